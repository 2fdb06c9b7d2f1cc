"""Dashboards and awards are for staff (a township's staff see their township); the annual report
is the admins' (the county office head)."""

from django.utils.translation import gettext_lazy as _

from accounts.permissions import ADMIN_ROLES, STAFF_ROLES, RolePermission

view_dashboard = RolePermission(
    "view_dashboard", STAFF_ROLES, _("只有人大工作人员和管理员可以查看数据看板。")
)
manage_awards = RolePermission(
    "manage_awards", STAFF_ROLES, _("只有人大工作人员可以查看“四最”候选名单和登记评选结果。")
)
generate_annual_report = RolePermission(
    "generate_annual_report", ADMIN_ROLES, _("只有管理员可以生成年度工作报告。")
)
