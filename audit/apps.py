from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who changed what and when, for every registered core record."""

    name = "audit"
    verbose_name = _("操作日志")

    def ready(self):
        from audit import registry  # noqa: F401  (connects the signal handlers)
