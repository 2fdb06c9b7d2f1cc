"""What changes reports: recording a “四最” award, and asking for / building an annual report."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from core.exceptions import Conflict, DomainError
from divisions.scope import covers, scope_label
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
    region = subject.congress.region if kind == "best_unit" else getattr(subject, "township", None)
    if region is not None and not covers(by, region):
        raise PermissionDenied(_("您只能评选%(scope)s的代表、站点、建议和单位。") % {"scope": scope_label(by)})
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


def request_annual_report(*, year, region=None, by):
    """Queue an annual report of a region (None: the whole deployment); a Celery task builds it
    and records its progress."""
    generate_annual_report.check(by)
    if not covers(by, region):
        raise DomainError(_("您只能生成%(scope)s的报告。") % {"scope": scope_label(by)})
    with transaction.atomic():
        report = GeneratedReport.objects.create(year=year, region=region, requested_by=by, step=_("排队等待生成"))
        outbox.enqueue("reports.tasks.build_annual_report", report_id=report.pk)
    return report


def retry_annual_report(report, *, by):
    """Queue a failed report again, on the same row (its page follows the new run)."""
    generate_annual_report.check(by)
    if not covers(by, report.region):
        raise DomainError(_("您只能生成%(scope)s的报告。") % {"scope": scope_label(by)})
    with transaction.atomic():
        queued = GeneratedReport.objects.filter(pk=report.pk, status=GeneratedReport.Status.FAILED).update(
            status=GeneratedReport.Status.PENDING, progress=0, step=_("排队等待生成"), error="",
            started_at=None, finished_at=None,
        )
        if not queued:
            raise Conflict(_("只有生成失败的报告可以重新生成。"))
        outbox.enqueue("reports.tasks.build_annual_report", report_id=report.pk)
    report.refresh_from_db()
    return report


def _progress(report_id, percent, step):
    GeneratedReport.objects.filter(pk=report_id).update(progress=percent, step=step)


def build_annual_report(report_id):
    """Build a queued report: figures, charts, Word and Excel, saved with the row. A report
    already built is left alone (the task may be delivered twice); a failure is recorded with
    its message and the row marked failed."""
    with transaction.atomic():
        report = GeneratedReport.objects.select_for_update(of=("self",)).select_related("region").filter(pk=report_id).first()
        if report is None or report.status == GeneratedReport.Status.DONE:
            return report
        report.status, report.started_at, report.error = GeneratedReport.Status.RUNNING, timezone.now(), ""
        report.progress, report.step = 5, _("统计全年数据")
        report.save(update_fields=["status", "started_at", "error", "progress", "step"])
    try:
        figures = year_figures(report.year, report.region)
        docx, xlsx = annual.build(figures, progress=lambda p, s: _progress(report.pk, p, s), serial=report.pk)
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
    # The status already says 生成失败; the step is left blank so the page says it once.
    GeneratedReport.objects.filter(pk=report.pk).update(
        status=GeneratedReport.Status.FAILED, error=message, step="", finished_at=timezone.now()
    )
    report.refresh_from_db()
    return report
