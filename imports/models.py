from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One uploaded sheet: held as `pending` while staff look at the preview, `applied` once
    confirmed (every row written in one transaction), `undone` when the batch was reversed.

    `rows` are the sheet's cells as text ([row number, {column key: text}]), so the preview and
    the confirmation read the same data (emptied once applied); `undo` lists what the
    confirmation wrote, newest last: {"model": "app.model", "pk": …, "created": bool,
    "before": {attname: value}} (emptied once undone or once a newer batch of the kind is
    applied: only the newest can be undone)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        APPLIED = "applied", _("已导入")
        UNDONE = "undone", _("已撤销")

    kind = models.CharField(_("导入类型"), max_length=20)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    rows = models.JSONField(_("数据行"), default=list, blank=True)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("不变"), default=0)
    undo = models.JSONField(_("撤销数据"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("撤销人"),
    )
    undone_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["kind", "status", "-applied_at"], name="import_batch_kind_idx")]

    def __str__(self):
        return f"{self.kind} #{self.pk} {self.get_status_display()}"
