"""Who sees points. A deputy sees their own points, rank and dossier; a group leader
(DeputyGroup.leader) also their group's; staff see everyone in their scope and edit the rules."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.permissions import STAFF_ROLES, ConfigurationPermission, RolePermission

view_points = RolePermission(
    "view_points", STAFF_ROLES | {Role.DEPUTY}, _("只有人大代表和人大工作人员可以查看履职积分。")
)
view_point_rankings = RolePermission(
    "view_point_rankings", STAFF_ROLES, _("只有人大工作人员可以查看全体代表的积分排名。")
)
# The rules score every deputy of the congress: only its own staff change them (a township's read).
manage_point_rules = ConfigurationPermission(
    "manage_point_rules", STAFF_ROLES, _("积分规则由本级人大工作人员修改，您只能查看。")
)
view_point_rules = RolePermission("view_point_rules", STAFF_ROLES)
