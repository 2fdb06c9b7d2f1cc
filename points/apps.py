from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    """履职积分: points derived from what deputies did, their ranks, group summaries and the
    deputy's dossier (履职档案)."""

    name = "points"
    verbose_name = _("履职积分")

    def ready(self):
        from audit.registry import register
        from points.models import PointRule

        register(PointRule)
