"""Who may do what with opinions. Object scope (a township, a deputy's stations, a unit's
referrals) is `Opinion.objects.visible_to(user)`; services check the party as well."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.permissions import STAFF_ROLES, RolePermission

# The opinions list and pages: staff, deputies (their stations'), units (referred to them),
# station managers (their stations', read only).
view_opinions = RolePermission(
    "view_opinions", STAFF_ROLES | {Role.DEPUTY, Role.UNIT, Role.STATION_MANAGER}
)
# The staff inbox: every filter, bulk referral, export, referral of an opinion not yet adopted.
manage_opinions = RolePermission("manage_opinions", STAFF_ROLES)
# 定单: a member deputy of the station adopts it, then answers, refers or converts it.
adopt_opinions = RolePermission(
    "adopt_opinions", {Role.DEPUTY}, message=_("只有本站点的人大代表可以接单。")
)
# 接单: the handling unit accepts or returns a referral and replies.
handle_opinions = RolePermission(
    "handle_opinions", {Role.UNIT}, message=_("只有承办单位可以办理转交的意见。")
)
