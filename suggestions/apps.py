from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    """代表建议: deputies' suggestions and motions, their handling and evaluation."""

    name = "suggestions"
    verbose_name = _("代表建议")
