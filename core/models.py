from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A Celery task to run, written in the same transaction as the change that caused it.

    Published right after the commit; when the broker is unreachable the row stays unsent and
    `flush_outbox` (every minute, and on demand) publishes it once Redis is back. Tasks are
    idempotent, so a message published twice does its work once."""

    task_name = models.CharField(_("任务"), max_length=200)
    kwargs = models.JSONField(_("参数"), default=dict)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发出时间"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)

    class Meta:
        verbose_name = _("待发任务")
        verbose_name_plural = _("待发任务")
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_unsent_idx",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.task_name} #{self.pk}"


def choice_display(field_name):
    """A `get_<field>_display` for a model body, for fields shown on every row of a long list:

        get_state_display = choice_display("state")

    Django's own builds and hashes a dict of every choice on each call, and hashing a lazy label
    translates it: about 1 ms for a state with fifteen choices, a quarter of a 30-row
    suggestion table's time. This one looks the value up without hashing the labels."""

    def display(self):
        field = self._meta.get_field(field_name)
        value = getattr(self, field.attname)
        return force_str(dict(field.flatchoices).get(value, value), strings_only=True)

    display.__name__ = f"get_{field_name}_display"
    return display


class Holiday(models.Model):
    """A local override of the State Council's calendar (core.calendar): a day off the official
    calendar does not have (a county's own holiday), or a working day it does not list (调休上班).
    Without a region it holds for the whole deployment; with one, for that region and everything
    under it (a county's day holds in its townships). A listed day wins over the official one."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("节假日")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"))
    name = models.CharField(_("名称"), max_length=30)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.HOLIDAY)
    region = models.ForeignKey(
        "divisions.Region", verbose_name=_("适用区域"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="holidays", help_text=_("留空：全部区域适用"),
    )

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(region__isnull=True), name="holiday_date_unique"
            ),
            models.UniqueConstraint(fields=["date", "region"], name="holiday_date_region_unique"),
        ]

    def __str__(self):
        return f"{self.date} {self.name}"
