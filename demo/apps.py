from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo county (seed_demo). Depends on every other app; nothing depends on it."""

    name = "demo"
    verbose_name = _("演示数据")
