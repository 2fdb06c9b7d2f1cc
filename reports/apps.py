from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """数据看板、“四最”评选和年度工作报告: what the staff and admins read of the whole portal."""

    name = "reports"
    verbose_name = _("统计报告")

    def ready(self):
        from audit.registry import register
        from reports.models import Award

        register(Award)
