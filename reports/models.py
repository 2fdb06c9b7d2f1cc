"""“四最” awards and the generated annual reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from divisions.scope import scope_region_name
from reports.storage import report_storage


class AwardKind(models.TextChoices):
    BEST_DEPUTY = "best_deputy", _("最美人大代表")
    BEST_STATION = "best_station", _("最优代表联络站")
    BEST_SUGGESTION = "best_suggestion", _("最佳代表建议")
    BEST_UNIT = "best_unit", _("最好办理单位")


# The field that names what an award went to, by kind.
AWARD_SUBJECT = {
    AwardKind.BEST_DEPUTY: "deputy",
    AwardKind.BEST_STATION: "station",
    AwardKind.BEST_SUGGESTION: "suggestion",
    AwardKind.BEST_UNIT: "unit",
}


class Award(models.Model):
    """An award given (评选结果) for a year: to a deputy, a station, a suggestion or a unit."""

    Kind = AwardKind

    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("奖项"), max_length=20, choices=AwardKind.choices)
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, null=True, blank=True, related_name="awards",
        verbose_name=_("代表"),
    )
    station = models.ForeignKey(
        "stations.Station", on_delete=models.PROTECT, null=True, blank=True, related_name="awards",
        verbose_name=_("站点"),
    )
    suggestion = models.ForeignKey(
        "suggestions.Suggestion", on_delete=models.PROTECT, null=True, blank=True, related_name="awards",
        verbose_name=_("建议"),
    )
    unit = models.ForeignKey(
        "divisions.HandlingUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="awards",
        verbose_name=_("承办单位"),
    )
    citation = models.TextField(_("评选理由"), blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("登记人"),
    )
    awarded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("“四最”评选结果")
        verbose_name_plural = _("“四最”评选结果")
        ordering = ["-year", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=AwardKind.BEST_DEPUTY, deputy__isnull=False, station__isnull=True, suggestion__isnull=True, unit__isnull=True)
                | Q(kind=AwardKind.BEST_STATION, station__isnull=False, deputy__isnull=True, suggestion__isnull=True, unit__isnull=True)
                | Q(kind=AwardKind.BEST_SUGGESTION, suggestion__isnull=False, deputy__isnull=True, station__isnull=True, unit__isnull=True)
                | Q(kind=AwardKind.BEST_UNIT, unit__isnull=False, deputy__isnull=True, station__isnull=True, suggestion__isnull=True),
                name="award_subject_matches_kind",
            ),
            *[
                models.UniqueConstraint(
                    fields=["year", "kind", subject], condition=Q(**{f"{subject}__isnull": False}),
                    name=f"award_once_per_{subject}",
                )
                for subject in ("deputy", "station", "suggestion", "unit")
            ],
        ]

    def __str__(self):
        return f"{self.year}年{self.get_kind_display()}：{self.subject}"

    @property
    def subject(self):
        return getattr(self, AWARD_SUBJECT[self.kind])


class GeneratedReport(models.Model):
    """年度工作报告: a Word report and an Excel workbook for a year (the county or one township),
    built by a Celery task that records its progress; kept for downloading again."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("生成失败")

    year = models.PositiveSmallIntegerField(_("年度"))
    region = models.ForeignKey(
        "divisions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("区域"), help_text=_("哪个区域的报告；留空表示整个平台"),
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    step = models.CharField(_("当前步骤"), max_length=100, blank=True)
    docx = models.FileField(_("Word 报告"), storage=report_storage, upload_to="annual/%Y/", blank=True)
    xlsx = models.FileField(_("Excel 附表"), storage=report_storage, upload_to="annual/%Y/", blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("生成人"),
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度工作报告")
        verbose_name_plural = _("年度工作报告")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.scope_name}{self.year}年度工作报告"

    @property
    def scope_name(self):
        return scope_region_name(self.region)

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
