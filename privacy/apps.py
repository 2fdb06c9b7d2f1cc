from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """个人信息: find, export and erase what the portal holds about one member of the public
    (opinions, receptions, project proposals), on that person's request. Reads the domain apps;
    nothing depends on it."""

    name = "privacy"
    verbose_name = _("个人信息保护")
