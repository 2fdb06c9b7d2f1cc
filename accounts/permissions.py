"""Permissions, written once and used by pages, the API and templates.

Each domain app declares what it needs in its own permissions.py:

    manage_deputies = RolePermission("manage_deputies", STAFF_ROLES)

and then uses `manage_deputies.has(user)` in Python, `RoleRequiredMixin` with
`permission = manage_deputies` in views, `manage_deputies.drf` in DRF `permission_classes`, and
`{% if can.manage_deputies %}` in templates. Object-level scope (a township, a unit, a deputy's
own records) belongs to each model's queryset `visible_to(user)`, used by pages and API alike.
"""

from django.conf import settings
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from accounts.models import Role

ADMIN_ROLES = frozenset({Role.ADMIN})
STAFF_ROLES = frozenset({Role.ADMIN, Role.STAFF})
ALL_ROLES = frozenset(Role)

_registry = {}
# Extra conditions a domain app sets for a role to be in force (deputies: an active seat), so
# this plumbing needs no import of the domain apps. See `guard_role`.
_role_guards = {}


def guard_role(role, in_force):
    """Register `in_force(user) -> bool` for `role`: when it answers False the user holds none of
    the role's permissions (pages 403, API 403) and cannot sign in (`accounts.forms.LoginForm`)."""
    _role_guards[role] = in_force


def role_in_force(user):
    """False when the user's role has ended (a deputy whose every seat ended)."""
    in_force = _role_guards.get(getattr(user, "role", None))
    return in_force is None or in_force(user)


class RolePermission:
    """A named permission granted to a set of roles."""

    def __init__(self, name, roles, message=None):
        if name in _registry:
            raise ValueError(f"permission {name!r} is defined twice")
        self.name = name
        self.roles = frozenset(roles)
        self.message = message or _("您没有执行该操作的权限。")
        _registry[name] = self

    def __repr__(self):
        return f"<RolePermission {self.name}>"

    def has(self, user):
        return bool(
            user is not None
            and user.is_authenticated
            and user.is_active
            and user.role in self.roles
            and role_in_force(user)
        )

    def check(self, user):
        """Raise PermissionDenied (403) unless the user has this permission."""
        if not self.has(user):
            if user is not None and getattr(user, "role", None) in self.roles and not role_in_force(user):
                raise PermissionDenied(_("您的代表资格已终止，不能再使用代表功能。"))
            raise PermissionDenied(self.message)

    @cached_property
    def drf(self):
        """A DRF permission class for `permission_classes`."""
        permission = self

        class HasRolePermission(BasePermission):
            message = permission.message

            def has_permission(self, request, view):
                return permission.has(request.user)

        HasRolePermission.__name__ = f"Has_{self.name}"
        return HasRolePermission


class ConfigurationPermission(RolePermission):
    """Changing configuration (duty rules, holidays, point rules, categories, learning materials):
    the roles, and being staff of the congress that owns it (`divisions.scope.may_configure`).
    The one rule every configuration page, API endpoint and service uses; reading stays with a
    plain `RolePermission`, so a township's staff keep seeing the county's configuration."""

    def __init__(self, name, roles, message=None):
        super().__init__(name, roles, message or _("配置由其所属人大的工作人员修改，您只能查看。"))

    def has(self, user, congress=None):
        from divisions.scope import may_configure

        return super().has(user) and may_configure(user, congress)

    def check(self, user, congress=None):
        if not self.has(user, congress):
            raise PermissionDenied(self.message)


def get(name):
    return _registry[name]


class PermissionFlags:
    """`can.<name>` for templates; unknown names are False."""

    def __init__(self, user):
        self._user = user

    def __getitem__(self, name):
        permission = _registry.get(name)
        if permission is None:
            raise KeyError(name)
        return permission.has(self._user)


class RoleRequiredMixin(AccessMixin):
    """Class-based views: anonymous users go to the login page, a wrong role gets 403."""

    permission = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.permission.check(request.user)
        return super().dispatch(request, *args, **kwargs)


def role_required(permission):
    """Function views: the same as RoleRequiredMixin."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            permission.check(request.user)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


signed_in = RolePermission("signed_in", ALL_ROLES)
use_admin = RolePermission("use_admin", ADMIN_ROLES)
view_audit_log = RolePermission("view_audit_log", ADMIN_ROLES)
# Admins and staff may turn two-factor on; so may any role that must (TWO_FACTOR_REQUIRED_ROLES).
use_two_factor = RolePermission(
    "use_two_factor", STAFF_ROLES | {Role(role) for role in settings.TWO_FACTOR_REQUIRED_ROLES if role in Role.values}
)
