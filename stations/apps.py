from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    """家室站点: liaison stations, duty shifts, visits and receptions, activities."""

    name = "stations"
    verbose_name = _("家室站点")
