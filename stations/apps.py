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
            models.Unavailability, models.DutyAssignment, models.SwapRequest,
            models.Visit, models.Activity, models.ActivitySignup, models.LearningMaterial,
        ):
            register(model)
        # A visitor's name, number and words stay out of the audit log (erasable on request).
        register(
            models.Reception, exclude=["visitor_name", "visitor_phone", "content", "feedback"],
            describe=lambda reception: f"{reception._meta.verbose_name} #{reception.pk}",
        )
        public.register_builtin_panels()

        from imports import registry
        from stations.importers import StationImporter

        registry.register(StationImporter())
        from core.caching import watch_models
        from stations.filters import STATION_CHOICE_MODELS

        watch_models(*STATION_CHOICE_MODELS)  # the visit list's shared station select
        self.register_media()

    @staticmethod
    def register_media():
        """Station photos are public (the QR page); a visit's photos only for who sees the visit."""
        from core.security import register_media
        from stations.models import LearningMaterial, Visit, VisitPhoto

        register_media("stations/", public=True)
        register_media("visits/", lambda request, name: VisitPhoto.objects.filter(
            image=name, visit__in=Visit.objects.visible_to(request.user)).exists())
        register_media("materials/", lambda request, name: LearningMaterial.objects.visible_to(
            request.user).filter(attachment=name).exists())
