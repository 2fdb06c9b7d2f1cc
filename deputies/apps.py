from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    """人大代表: the registry of deputies, their groups and the congress sessions."""

    name = "deputies"
    verbose_name = _("人大代表")

    def ready(self):
        from accounts.models import Role
        from accounts.permissions import guard_role
        from deputies.services import is_serving

        guard_role(Role.DEPUTY, is_serving)
        from audit.registry import register
        from deputies.models import CongressSession, Deputy, DeputyGroup, SessionAttendance

        register(Deputy, masked=["phone"], exclude=["search_keys", "feed_token"])
        register(DeputyGroup)
        register(CongressSession)
        register(SessionAttendance)

        from deputies.importers import DeputyImporter
        from imports import registry

        registry.register(DeputyImporter())

        from core.caching import watch_models
        from deputies.filters import COUNT_MODELS, FILTER_CHOICE_MODELS

        watch_models(*FILTER_CHOICE_MODELS, *COUNT_MODELS)  # the roster's shared filter form and count

        from core.security import register_media

        # Deputies' photos appear on the stations' public pages.
        register_media("deputies/", public=True)
