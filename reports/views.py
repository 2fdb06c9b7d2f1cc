from urllib.parse import quote

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from core import calendar
from audit.registry import note_view
from core.exceptions import DomainError
from core.media import stored_file_response
from deputies.models import Deputy
from divisions.models import HandlingUnit
from divisions.ranking import min_items_to_rank
from divisions.scope import within
from reports import services
from reports.awards import shortlist
from reports.figures import shared_for_dashboard, year_figures
from reports.forms import AnnualReportForm, AwardForm, ScopeForm
from reports.models import AWARD_SUBJECT, Award, AwardKind, GeneratedReport
from reports.permissions import generate_annual_report, manage_awards, view_dashboard
from stations.models import Station
from suggestions.models import Suggestion


def _chart_data(figures):
    data = figures.as_json()
    data["labels"] = {
        "visits": _("进站履职（次）"), "receptions": _("接待群众（人次）"), "collected": _("收集意见"),
        "closed": _("已办结"), "percent": _("完成进度（%）"),
        "months": [f"{m}月" for m in range(1, 13)],
        "rates": [_("办结率"), _("满意率"), _("办成率"), _("按时答复率")],
    }
    return data


@role_required(view_dashboard)
def dashboard(request):
    form = ScopeForm(request.GET or None, user=request.user)
    year, region = form.scope()
    key = f"reports:dashboard:{get_language()}:{year}:{region.pk if region else 'all'}"
    return render(request, "reports/dashboard.html", {
        "form": form, "year": year, "scope": form.scope_name(region),
        "figures_html": shared_for_dashboard(key, lambda: _figures_html(year, region)),
        "calendar_missing_year": calendar.missing_year(timezone.localdate()),
    })


def _figures_html(year, region):
    """The tiles, charts and tables of a year and scope (the same for every staff member)."""
    figures = year_figures(year, region)
    return render_to_string("reports/_dashboard_figures.html", {
        "f": figures, "s": figures.suggestions.totals, "chart_data": _chart_data(figures),
    })


SUBJECT_MODELS = {"deputy": Deputy, "station": Station, "suggestion": Suggestion, "unit": HandlingUnit}


@role_required(manage_awards)
def awards(request):
    form = ScopeForm(request.GET or None, user=request.user)
    year, region = form.scope()
    kind = request.GET.get("kind") or AwardKind.BEST_DEPUTY
    if kind not in AwardKind.values:
        kind = AwardKind.BEST_DEPUTY
    rows, headers, score_header = shortlist(kind, year, region)
    minimum = min_items_to_rank(region)
    given = Award.objects.filter(year=year).select_related("deputy", "station", "suggestion", "unit", "awarded_by")
    return render(request, "reports/awards.html", {
        "form": form, "year": year, "kind": kind, "kinds": AwardKind.choices, "rows": rows, "headers": headers,
        "score_header": score_header, "given": given, "too_few": rows.too_few, "minimum": minimum, "kind_label": AwardKind(kind).label,
        "region_id": region.pk if region else "",
    })


@require_POST
@role_required(manage_awards)
def award_record(request):
    form = AwardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求有误，请从候选名单中选择。"))
        return redirect("reports:awards")
    data = form.cleaned_data
    model = SUBJECT_MODELS[AWARD_SUBJECT[data["kind"]]]
    subject = get_object_or_404(model, pk=data["subject"])
    try:
        award = services.record_award(kind=data["kind"], year=data["year"], subject=subject, by=request.user,
                                      citation=data["citation"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已登记：%(award)s") % {"award": award})
    return redirect(f"{reverse('reports:awards')}?year={data['year']}&kind={data['kind']}")


@role_required(generate_annual_report)
def annual_reports(request):
    form = AnnualReportForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            year, region = form.scope()
            report = services.request_annual_report(year=year, region=region, by=request.user)
            note_view(_("生成年度工作报告"))
            return redirect("reports:annual_detail", pk=report.pk)
    reports = GeneratedReport.objects.filter(within(request.user, "region")).select_related("region", "requested_by")[:50]
    return render(request, "reports/annual_list.html", {"form": form, "reports": reports},
                  status=400 if request.method == "POST" else 200)


@role_required(generate_annual_report)
def annual_detail(request, pk):
    report = get_object_or_404(
        GeneratedReport.objects.filter(within(request.user, "region")).select_related("region", "requested_by"), pk=pk)
    return render(request, "reports/annual_detail.html", {"report": report})


@require_POST
@role_required(generate_annual_report)
def annual_retry(request, pk):
    report = get_object_or_404(GeneratedReport.objects.filter(within(request.user, "region")), pk=pk)
    try:
        services.retry_annual_report(report, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已重新排队生成，请稍候。"))
    return redirect("reports:annual_detail", pk=report.pk)


@role_required(generate_annual_report)
def annual_status(request, pk):
    report = get_object_or_404(GeneratedReport.objects.filter(within(request.user, "region")), pk=pk)
    done = report.status == GeneratedReport.Status.DONE
    return JsonResponse({
        "status": report.status,
        "status_display": report.get_status_display(),
        "progress": report.progress,
        "step": report.step,
        "error": report.error,
        "docx": reverse("reports:annual_file", args=[report.pk, "docx"]) if done else None,
        "xlsx": reverse("reports:annual_file", args=[report.pk, "xlsx"]) if done else None,
    })


@role_required(generate_annual_report)
def annual_file(request, pk, kind):
    report = get_object_or_404(GeneratedReport.objects.filter(within(request.user, "region")).select_related("region"),
                               pk=pk, status=GeneratedReport.Status.DONE)
    field = {"docx": report.docx, "xlsx": report.xlsx}.get(kind)
    if not field:
        raise Http404
    if not field.storage.exists(field.name):
        raise Http404(_("报告文件已不存在，请重新生成。"))
    filename = f"{report.scope_name}{report.year}年度工作报告.{kind}"
    note_view(_("年度工作报告"))
    # From the local disk, or a redirect to a short-lived presigned URL (MEDIA_STORAGE=s3).
    response = stored_file_response(field.storage, field.name, attachment=True, filename=filename,
                                    content_type=REPORT_TYPES[kind])
    if isinstance(response, FileResponse):
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


REPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
