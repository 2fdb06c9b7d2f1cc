from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    """代表建议: deputies' suggestions and motions, their handling and evaluation."""

    name = "suggestions"
    verbose_name = _("代表建议")

    def ready(self):
        from audit.registry import register
        from suggestions.models import Assignment, Category, Extension, Hearing, Reply, Suggestion

        register(Suggestion, exclude=["content"])
        register(Assignment)
        register(Extension)
        register(Reply, masked=["contact_phone"], exclude=["text"])
        register(Hearing)
        register(Category)

        from core.caching import watch_models
        from suggestions.filters import COUNT_MODELS, ROW_NAME_MODELS

        # The filter form's choices, the names on the table's rows and the staff's list's count.
        watch_models(*ROW_NAME_MODELS, *COUNT_MODELS)
