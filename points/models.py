"""履职积分规则 and the quarterly group summaries.

Points themselves are never stored: `points.ledger` derives them from the records (visits,
receptions, activities, suggestions, session attendance …) with the year's rules, so every
point is traceable to its record and a rule change recomputes the year at once."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """What earns (or costs) points; each is one source of records in points.ledger."""

    SESSION_PRESENT = "session_present", _("出席代表大会")
    SESSION_ABSENT = "session_absent", _("无故缺席代表大会")
    SUGGESTION_LEAD = "suggestion_lead", _("领衔提出建议")
    SUGGESTION_COSIGN = "suggestion_cosign", _("附议建议")
    SUGGESTION_BONUS = "suggestion_bonus", _("建议获评最佳或A类答复")
    VISIT = "visit", _("进站履职")
    RECEPTION = "reception", _("接待群众")
    ACTIVITY = "activity", _("参加活动")
    TRAINING = "training", _("参加学习培训")
    MATERIAL_READ = "material_read", _("阅读学习资料")
    REPORT_TO_VOTERS = "report_to_voters", _("向选民述职")
    DUTY_MISSED = "duty_missed", _("值班缺勤")


DEDUCTIONS = frozenset({Event.SESSION_ABSENT, Event.DUTY_MISSED})

# event -> (points per record, yearly cap in points or None). A county changes them per year.
DEFAULT_RULES = {
    Event.SESSION_PRESENT: (10, None),
    Event.SESSION_ABSENT: (-10, None),
    Event.SUGGESTION_LEAD: (5, 50),
    Event.SUGGESTION_COSIGN: (2, 20),
    Event.SUGGESTION_BONUS: (5, None),
    Event.VISIT: (2, 60),
    Event.RECEPTION: (1, 40),
    Event.ACTIVITY: (3, 45),
    Event.TRAINING: (2, 20),
    Event.MATERIAL_READ: (1, 20),
    Event.REPORT_TO_VOTERS: (5, 10),
    Event.DUTY_MISSED: (-3, 30),
}


class PointRule(models.Model):
    """One event's points for one year: points per record and a yearly cap (the most points,
    or for a deduction the most deducted, one deputy gets from this event in the year)."""

    Event = Event

    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    event = models.CharField(_("履职事项"), max_length=30, choices=Event.choices)
    points = models.SmallIntegerField(
        _("每次分值"),
        validators=[MinValueValidator(-100), MaxValueValidator(100)],
        help_text=_("扣分事项填负数，例如值班缺勤 -3"),
    )
    yearly_cap = models.PositiveSmallIntegerField(
        _("年度上限"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(1000)],
        help_text=_("该事项一年最多计（或最多扣）多少分；留空表示不设上限"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("修改人"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["year", "event"], name="pointrule_once_a_year")]

    def __str__(self):
        return f"{self.year} {self.get_event_display()}"

    @property
    def is_deduction(self):
        return self.event in DEDUCTIONS

    def clean(self):
        if self.points is None:
            return
        if self.is_deduction and self.points > 0:
            raise ValidationError({"points": _("扣分事项的分值应为负数或 0。")})
        if not self.is_deduction and self.points < 0:
            raise ValidationError({"points": _("加分事项的分值不能为负数。")})


class GroupSummary(models.Model):
    """The quarterly points summary sent to one deputy group (代表小组), once per quarter."""

    group = models.ForeignKey(
        "deputies.DeputyGroup", on_delete=models.CASCADE, related_name="point_summaries",
        verbose_name=_("代表小组"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(
        _("季度"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    body = models.TextField(_("内容"))
    recipients = models.PositiveIntegerField(_("发送人数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("小组积分季报")
        verbose_name_plural = _("小组积分季报")
        ordering = ["-year", "-quarter", "group_id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "year", "quarter"], name="group_summary_once_a_quarter")
        ]

    def __str__(self):
        return f"{self.group} {self.year}年第{self.quarter}季度"
