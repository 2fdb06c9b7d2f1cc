from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, roles and the permission rules that pages and the API share."""

    name = "accounts"
    verbose_name = _("账号与权限")

    def ready(self):
        from accounts import policy  # noqa: F401 (connects the sign-in policy to user_logged_in)
