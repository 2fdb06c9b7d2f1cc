"""What changes reports: recording a “四最” award, and asking for / building an annual report."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from core.exceptions import Conflict, DomainError
from reports import annual
from reports.figures import year_figures
from reports.models import AWARD_SUBJECT, Award, GeneratedReport
from reports.permissions import generate_annual_report, manage_awards

logger = logging.getLogger(__name__)


def record_award(*, kind, year, subject, by, citation=""):
    """Record that `subject` (a deputy, station, suggestion or unit, by kind) won an award."""
    manage_awards.check(by)
    field = AWARD_SUBJECT.get(kind)
    if field is None:
        raise DomainError(_("没有这个奖项。"))
    township_id = by.scope_township_id
    if township_id and getattr(subject, "township_id", township_id) != township_id:
        raise PermissionDenied(_("您只能评选本乡镇的代表、站点和建议。"))
    award = Award(kind=kind, year=year, citation=citation.strip(), awarded_by=by, **{field: subject})
    try:
        award.full_clean(validate_constraints=False)
        with transaction.atomic():
            award.save()
    except IntegrityError:
        raise Conflict(_("%(subject)s 已登记为%(year)s年%(kind)s。") % {
            "subject": subject, "year": year, "kind": award.get_kind_display()}) from None
    except ValidationError as exc:
        raise DomainError("；".join(exc.messages)) from None
    return award


def request_annual_report(*, year, township=None, by):
    """Queue an annual report; a Celery task builds it and records its progress."""
    generate_annual_report.check(by)
    if by.scope_township_id and (township is None or township.pk != by.scope_township_id):
        raise DomainError(_("您只能生成本乡镇的报告。"))
    with transaction.atomic():
        report = GeneratedReport.objects.create(year=year, township=township, requested_by=by, step=_("排队等待生成"))
        outbox.enqueue("reports.tasks.build_annual_report", report_id=report.pk)
    return report


def _progress(report_id, percent, step):
    GeneratedReport.objects.filter(pk=report_id).update(progress=percent, step=step)


def build_annual_report(report_id):
    """Build a queued report: figures, charts, Word and Excel, saved with the row. A report
    already built is left alone (the task may be delivered twice); a failure is recorded with
    its message and the row marked failed."""
    with transaction.atomic():
        report = GeneratedReport.objects.select_for_update(of=("self",)).select_related("township").filter(pk=report_id).first()
        if report is None or report.status == GeneratedReport.Status.DONE:
            return report
        report.status, report.started_at, report.error = GeneratedReport.Status.RUNNING, timezone.now(), ""
        report.progress, report.step = 5, _("统计全年数据")
        report.save(update_fields=["status", "started_at", "error", "progress", "step"])
    try:
        figures = year_figures(report.year, report.township)
        docx, xlsx = annual.build(figures, progress=lambda p, s: _progress(report.pk, p, s))
    except annual.ReportError as exc:
        return _fail(report, str(exc))
    except Exception as exc:
        logger.exception("annual report %s failed", report.pk)
        return _fail(report, _("生成报告时出错：%(error)s") % {"error": exc})
    name = f"{report.scope_name}{report.year}年度工作报告-{report.pk}"
    report.docx.save(f"{name}.docx", ContentFile(docx), save=False)
    report.xlsx.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
    report.status, report.progress, report.step = GeneratedReport.Status.DONE, 100, _("已完成")
    report.finished_at = timezone.now()
    report.save(update_fields=["docx", "xlsx", "status", "progress", "step", "finished_at"])
    return report


def _fail(report, message):
    GeneratedReport.objects.filter(pk=report.pk).update(
        status=GeneratedReport.Status.FAILED, error=message, step=_("生成失败"), finished_at=timezone.now()
    )
    report.refresh_from_db()
    return report
