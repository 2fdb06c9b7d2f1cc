from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    """家室站点: liaison stations, duty shifts, visits and receptions, activities."""

    name = "stations"
    verbose_name = _("家室站点")

    def ready(self):
        from audit.registry import register
        from stations import models, public

        for model in (
            models.Station, models.StationMembership, models.Category, models.DutyRule,
            models.Holiday, models.Unavailability, models.DutyAssignment, models.SwapRequest,
            models.Visit, models.Activity, models.ActivitySignup, models.LearningMaterial,
        ):
            register(model)
        register(models.Reception, masked=["visitor_phone"])
        public.register_builtin_panels()
