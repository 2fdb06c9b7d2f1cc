from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def forget_shared_html(sender, **kwargs):
    """Every deploy runs `migrate`: HTML kept in the cache by the previous release's templates
    (filter forms, table rows; their keys carry the model versions) is not served by this one."""
    from core.caching import bump_all_model_versions

    bump_all_model_versions()


class CoreConfig(AppConfig):
    """Site-wide infrastructure: health check, home page, API conventions, the task outbox,
    rate limiting, uploads and Excel I/O. Imports nothing from the domain apps."""

    name = "core"
    verbose_name = _("基础设施")

    def ready(self):
        post_migrate.connect(forget_shared_html, sender=self, dispatch_uid="core-forget-shared-html")
        from core import lookups

        lookups.register()
        from core import links  # noqa: F401 (its deploy check)
        from audit.registry import register
        from core.models import Holiday

        register(Holiday)
        # django-celery-beat names this field in plain English (no msgid to translate); the
        # label shown in the admin only: migrations read the field's declared name.
        from django_celery_beat.models import PeriodicTask

        PeriodicTask._meta.get_field("task").verbose_name = _("任务名称")
