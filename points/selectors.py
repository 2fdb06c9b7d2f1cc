"""Whose points a user may see, and the years offered."""

from django.db.models import Q
from django.utils import timezone

from accounts.models import Role
from deputies.models import Deputy, DeputyGroup
from divisions.scope import within


def own_deputy(user):
    """The registry entry of a deputy's account, or None."""
    if getattr(user, "role", None) != Role.DEPUTY:
        return None
    return Deputy.objects.filter(user=user).select_related("township", "group").first()


def led_groups(user):
    """The groups a deputy leads (组长)."""
    if getattr(user, "role", None) != Role.DEPUTY:
        return DeputyGroup.objects.none()
    return DeputyGroup.objects.filter(leader__user=user)


def visible_deputies(user):
    """Staff: the deputies of their scope; a deputy: themselves and the members of the groups
    they lead; anyone else: nobody."""
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
    if role in (Role.ADMIN, Role.STAFF):
        return Deputy.objects.visible_to(user)
    if role == Role.DEPUTY:
        return Deputy.objects.filter(Q(user=user) | Q(group__leader__user=user)).distinct()
    return Deputy.objects.none()


def visible_groups(user):
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
    if role in (Role.ADMIN, Role.STAFF):
        return DeputyGroup.objects.filter(within(user, "township"))
    return led_groups(user)


def year_choices(first=None):
    """The current year and the five before it, newest first."""
    this_year = timezone.localdate().year
    return list(range(this_year, (first or this_year - 5) - 1, -1))
