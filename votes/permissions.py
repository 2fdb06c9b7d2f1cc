from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.permissions import STAFF_ROLES, RolePermission

# Staff run the yearly cycle: collecting, screening, opening and closing the ballot, paper
# ballots, publishing, implementation plans and evaluation.
manage_votes = RolePermission("manage_votes", STAFF_ROLES)
# Deputies cast ballots, propose projects, inspect and evaluate projects.
cast_ballots = RolePermission(
    "cast_ballots", {Role.DEPUTY}, _("只有人大代表可以参加民生实事项目票决。")
)
inspect_projects = RolePermission("inspect_projects", {Role.DEPUTY})
# Deputies and departments propose projects from their accounts.
propose_projects = RolePermission("propose_projects", {Role.DEPUTY, Role.UNIT})
# Departments answer feasibility requests and report monthly progress of their projects.
work_on_projects = RolePermission(
    "work_on_projects", {Role.UNIT}, _("只有承办单位可以答复可行性论证和报送项目进度。")
)
# Who sees the 民生实事票决 pages of the portal (the public pages need no account).
view_votes = RolePermission("view_votes", {Role.ADMIN, Role.STAFF, Role.DEPUTY, Role.UNIT})
