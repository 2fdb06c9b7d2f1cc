"""Who may do what with notifications."""

from django.utils.translation import gettext_lazy as _

from accounts.permissions import ADMIN_ROLES, ALL_ROLES, RolePermission

# Every signed-in user chooses their own channels and binds their own WeChat.
choose_channels = RolePermission("choose_channels", ALL_ROLES)
# Admins see the delivery records, resend failed ones, edit the providers' templates and
# read the monthly SMS count (cost).
manage_deliveries = RolePermission(
    "manage_deliveries", ADMIN_ROLES, message=_("只有管理员可以管理消息发送。")
)
