from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Messages to users: in-app always, e-mail when an address is known, SMS when a number is."""

    name = "notifications"
    verbose_name = _("通知")
