from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    """群众意见: opinions the public submits from a station's QR page, and their handling."""

    name = "opinions"
    verbose_name = _("群众意见")
