"""Who may do what with suggestions. Which suggestions they may see is
`Suggestion.objects.visible_to(user)`; which party of a suggestion may take a step (the lead
deputy, the lead unit, a co-unit) is checked in the step's service."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.permissions import STAFF_ROLES, RolePermission

view_suggestions = RolePermission(
    "view_suggestions", STAFF_ROLES | {Role.DEPUTY, Role.UNIT},
    _("只有人大代表、承办单位和人大工作人员可以查看代表建议。"),
)
propose_suggestions = RolePermission(
    "propose_suggestions", {Role.DEPUTY}, _("只有人大代表可以提出建议。")
)
manage_suggestions = RolePermission(
    "manage_suggestions", STAFF_ROLES, _("只有人大工作人员可以审查、交办和督办建议。")
)
handle_suggestions = RolePermission(
    "handle_suggestions", {Role.UNIT}, _("只有承办单位可以办理和答复建议。")
)
view_suggestion_figures = RolePermission(
    "view_suggestion_figures", STAFF_ROLES, _("只有人大工作人员可以查看建议办理统计。")
)
