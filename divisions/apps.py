from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DivisionsConfig(AppConfig):
    """The county's structure: townships, villages/communities, and the government departments
    (承办单位) that handle what deputies and the public raise."""

    name = "divisions"
    verbose_name = _("行政区划与部门")
