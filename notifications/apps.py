from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Messages to people: in-app always; e-mail, SMS and WeChat as each person chose.

    Every app declares its message kinds in `<app>/notices.py`, loaded here."""

    name = "notifications"
    verbose_name = _("通知")

    def ready(self):
        from audit.registry import register
        from notifications import checks, permissions  # noqa: F401  (system checks; `can.*`)
        from notifications.models import ChannelSettings, MessageTemplate

        autodiscover_modules("notices")
        register(MessageTemplate)
        register(ChannelSettings, exclude=["wechat_openid"])
