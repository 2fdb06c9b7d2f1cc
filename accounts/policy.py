"""Sign-in policy (等保 level 3): a password's maximum age for staff, admin and unit accounts
(PASSWORD_MAX_AGE_DAYS), and two-factor for the roles in TWO_FACTOR_REQUIRED_ROLES.

Both are decided once, at sign-in (`check_at_sign_in`, on user_logged_in), and kept in the
session: until the user has changed the password or enrolled an authenticator, every page sends
them there (PasswordPolicyMiddleware); no query is added to other requests. The API's token
endpoint refuses such users (`api_refusal`).

Demo accounts are not exempt from the rules; they simply never meet them: seed_demo sets the
published demo password directly (no validators, as for any password set by an admin tool) and
re-running it makes the password new again."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

PASSWORD_EXPIRED = "policy_password_expired"  # noqa: S105 (a session key, not a password)
TWO_FACTOR_MISSING = "policy_two_factor_missing"


def password_set_at(user):
    latest = user.password_history.order_by("-created_at", "-pk").values_list("created_at", flat=True).first()
    return latest or user.date_joined


def password_expired(user, *, now=None):
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or user.role not in settings.PASSWORD_MAX_AGE_ROLES or not user.has_usable_password():
        return False
    return (now or timezone.now()) - password_set_at(user) > timedelta(days=days)


def two_factor_missing(user):
    from accounts.twofactor import has_two_factor

    return user.role in settings.TWO_FACTOR_REQUIRED_ROLES and not has_two_factor(user)


@receiver(user_logged_in, dispatch_uid="accounts-policy-at-sign-in")
def check_at_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session[PASSWORD_EXPIRED] = password_expired(user)
    request.session[TWO_FACTOR_MISSING] = two_factor_missing(user)


def password_changed(request):
    if hasattr(request, "session"):
        request.session.pop(PASSWORD_EXPIRED, None)


def two_factor_enrolled(request):
    if hasattr(request, "session"):
        request.session.pop(TWO_FACTOR_MISSING, None)


def api_refusal(user):
    """The message refusing an API token to `user`, or None."""
    if password_expired(user):
        return _("密码已超过%(days)d天未修改，请先登录网页修改密码。") % {"days": settings.PASSWORD_MAX_AGE_DAYS}
    if two_factor_missing(user):
        return _("该账号须启用两步验证，请先登录网页绑定验证器。")
    return None


class PasswordPolicyMiddleware:
    """Sends a user whose sign-in found an old password (or a missing second factor) to the page
    that mends it; sign-out, static files and the mending pages themselves stay open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            if session.get(PASSWORD_EXPIRED):
                target = "accounts:password_change"
                message = _("您的密码已超过%(days)d天未修改，请先修改密码。") % {"days": settings.PASSWORD_MAX_AGE_DAYS}
            elif session.get(TWO_FACTOR_MISSING):
                target = "accounts:two_factor"
                message = _("您的账号须启用两步验证，请先绑定验证器。")
            else:
                return self.get_response(request)
            allowed = {reverse(target), reverse("accounts:logout"), reverse("accounts:password_change_done")}
            if request.path not in allowed and not request.path.startswith((settings.STATIC_URL, "/api/")):
                from django.contrib import messages

                messages.warning(request, message)
                return redirect(target)
        return self.get_response(request)
