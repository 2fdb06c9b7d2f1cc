from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Site-wide infrastructure: health check, home page, API conventions, the task outbox,
    rate limiting, uploads and Excel I/O. Imports nothing from the domain apps."""

    name = "core"
    verbose_name = _("基础设施")
