from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotesConfig(AppConfig):
    """民生实事项目票决: livelihood projects collected, screened, voted on and implemented."""

    name = "votes"
    verbose_name = _("民生实事票决")
