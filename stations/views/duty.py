"""逢6进站: the roster, swaps, the deputy's 我的值班 page and calendar feed, the missed-shift
report, duty rules and holidays."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from audit.models import AuditEntry
from audit.registry import log
from core import calendar as workdays
from core.excel import Column, export_response
from core.exceptions import DomainError
from core.http import query_without_page
from deputies.models import Deputy
from divisions.models import Township
from divisions.scope import within_or_above
from stations import calendar, permissions, scheduler, services
from stations.filters import ShiftFilter
from stations.forms import (
    DutyRuleForm,
    HolidayForm,
    StaffUnavailabilityForm,
    SwapDecisionForm,
    SwapForm,
    SwapRequestForm,
    UnavailabilityForm,
)
from stations.models import (
    DutyAssignment,
    DutyRule,
    DutyShift,
    Holiday,
    Station,
    StationMembership,
    SwapRequest,
    Unavailability,
    default_duty_rule,
)
from stations.views.common import form_status


def _month_from(request):
    """(year, month) from ?month=YYYY-MM, the current month when absent or malformed."""
    today = timezone.localdate()
    try:
        return scheduler.parse_month(request.GET["month"])
    except (KeyError, DomainError):
        return today.year, today.month


def _assignments_prefetch():
    return Prefetch(
        "assignments", queryset=DutyAssignment.objects.select_related("deputy", "swapped_from").order_by("slot")
    )


# --- Roster (staff, station managers) -------------------------------------------------------


@role_required(permissions.manage_duty)
def roster(request):
    year, month = _month_from(request)
    data = request.GET.copy()
    data.setdefault("month", f"{year}-{month:02d}")
    shifts = (
        DutyShift.objects.visible_to(request.user)
        .select_related("station", "station__township")
        .prefetch_related(_assignments_prefetch())
        .order_by("date", "station__township__sort_order", "station__name")
    )
    shift_filter = ShiftFilter(data, queryset=shifts, request=request)
    page = Paginator(shift_filter.qs, 50).get_page(request.GET.get("page"))
    first = scheduler.month_bounds(year, month)[0]
    return render(
        request,
        "stations/duty_roster.html",
        {
            "filter": shift_filter,
            "page_obj": page,
            "shifts": page.object_list,
            "paginator": page.paginator,
            "query": query_without_page(request),
            "month": first,
            "previous_month": scheduler.add_months(first, -1),
            "next_month": scheduler.add_months(first, 1),
            "today": timezone.localdate(),
            "pending_swaps": SwapRequest.objects.filter(
                status=SwapRequest.Status.PENDING,
                assignment__shift__station__in=Station.objects.visible_to(request.user).values("pk"),
            ).count(),
        },
    )


@role_required(permissions.configure_duty)
@require_POST
def schedule_run(request):
    """Staff build a month's roster now (the same service as the monthly task)."""
    try:
        year, month = scheduler.parse_month(request.POST.get("month", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("stations:roster")
    result = scheduler.schedule_month(year, month, by=request.user)
    if result.shifts:
        messages.success(
            request,
            _("%(year)s年%(month)s月已排班：%(stations)s 个站点，%(shifts)s 个班次，%(n)s 人次。")
            % {"year": year, "month": month, "stations": result.stations, "shifts": result.shifts, "n": result.assignments},
        )
    else:
        messages.info(request, _("%(year)s年%(month)s月的班次都已排好，没有新增。") % {"year": year, "month": month})
    return redirect(f"{reverse('stations:roster')}?month={year}-{month:02d}")


@role_required(permissions.manage_duty)
def assignment_swap(request, pk):
    assignment = get_object_or_404(
        DutyAssignment.objects.visible_to(request.user).select_related("shift__station", "deputy"), pk=pk
    )
    shift = assignment.shift
    busy = services.busy_on([shift.date])[shift.date]  # on duty that day anywhere, or unavailable
    form = SwapForm(request.POST or None, station=shift.station, exclude=busy)
    if request.method == "POST" and form.is_valid():
        try:
            services.swap_duty(
                assignment, deputy=form.cleaned_data["deputy"], by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            form.add_error("deputy", exc.message)
        else:
            messages.success(request, _("已调班，两位代表都会收到通知。"))
            return redirect(f"{reverse('stations:roster')}?month={shift.date:%Y-%m}&station={shift.station_id}")
    return render(
        request, "stations/assignment_swap.html", {"assignment": assignment, "shift": shift, "form": form},
        status=form_status(request, form),
    )


@role_required(permissions.manage_duty)
def swap_requests(request):
    visible = SwapRequest.objects.filter(
        assignment__shift__station__in=Station.objects.visible_to(request.user).values("pk")
    ).select_related("assignment__shift__station", "assignment__deputy", "requested_by", "proposed", "decided_by")
    pending = list(
        visible.filter(status=SwapRequest.Status.PENDING)
        .prefetch_related("assignment__shift__assignments")
        .order_by("assignment__shift__date")
    )
    members = {}
    for membership in (
        StationMembership.objects.filter(
            station_id__in={item.assignment.shift.station_id for item in pending},
            deputy__status=Deputy.Status.ACTIVE,
        )
        .select_related("deputy")
        .order_by("deputy__township__sort_order", "deputy__search_keys", "deputy_id")
    ):
        members.setdefault(membership.station_id, []).append(membership.deputy)
    busy = services.busy_on({item.assignment.shift.date for item in pending})
    for item in pending:
        shift = item.assignment.shift
        item.form = SwapDecisionForm(
            station=shift.station, exclude=busy[shift.date], members=members.get(shift.station_id, []),
            prefix=f"s{item.pk}",
        )
    decided = visible.exclude(status=SwapRequest.Status.PENDING).order_by("-decided_at", "-created_at")[:30]
    return render(request, "stations/swap_requests.html", {"pending": pending, "decided": decided})


@role_required(permissions.manage_duty)
@require_POST
def swap_decide(request, pk):
    swap = get_object_or_404(
        SwapRequest.objects.filter(
            assignment__shift__station__in=Station.objects.visible_to(request.user).values("pk")
        ).select_related("assignment__shift__station"),
        pk=pk,
    )
    shift = swap.assignment.shift
    form = SwapDecisionForm(
        request.POST, station=shift.station, exclude=services.busy_on([shift.date])[shift.date], prefix=f"s{pk}"
    )
    if not form.is_valid():
        messages.error(request, _("请检查替班代表和处理意见。"))
        return redirect("stations:swap_requests")
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_swap(
            swap, by=request.user, approve=approve, deputy=form.cleaned_data["deputy"], note=form.cleaned_data["note"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已同意调班。") if approve else _("已退回调班申请。"))
    return redirect("stations:swap_requests")


# --- 我的值班 (deputies) -----------------------------------------------------------------------


def _my_assignments(deputy):
    return DutyAssignment.objects.filter(deputy=deputy).select_related("shift__station", "shift__station__township")


@role_required(permissions.view_my_duty)
def my_duty(request):
    deputy = services.deputy_of(request.user)
    today = timezone.localdate()
    upcoming = list(
        _my_assignments(deputy)
        .filter(shift__date__gte=today)
        .prefetch_related(
            Prefetch("shift__assignments", queryset=DutyAssignment.objects.select_related("deputy")),
            Prefetch(
                "swap_requests",
                queryset=SwapRequest.objects.filter(status=SwapRequest.Status.PENDING),
                to_attr="pending_swaps",
            ),
        )
        .order_by("shift__date")[:12]
    )
    year_start = today.replace(month=1, day=1)
    past = _my_assignments(deputy).filter(shift__date__gte=year_start, shift__date__lt=today)
    summary = past.aggregate(
        total=Count("pk"), attended=Count("pk", filter=Q(attendance=DutyAssignment.Attendance.ATTENDED))
    )
    recent = past.order_by("-shift__date")[:6]
    form = UnavailabilityForm()
    # Each station's rule with the county default read once (Station.rule() alone asks for the
    # default again for every station without its own rule).
    default_rule = default_duty_rule()
    stations = list(Station.objects.filter(memberships__deputy=deputy).select_related("township", "duty_rule"))
    for station in stations:
        station.effective_rule = station.rule(default_rule)
    return render(
        request,
        "stations/my_duty.html",
        {
            "deputy": deputy,
            "today": today,
            "upcoming": upcoming,
            "recent": recent,
            "summary": summary,
            "stations": stations,
            "unavailability": Unavailability.objects.filter(deputy=deputy, end__gte=today),
            "unavailability_form": form,
            "feed_url": calendar.feed_url(deputy),
            "requests": SwapRequest.objects.filter(requested_by=deputy)
            .select_related("assignment__shift__station", "proposed")
            .order_by("-created_at")[:5],
        },
    )


@role_required(permissions.view_my_duty)
def my_swap_request(request, pk):
    deputy = services.deputy_of(request.user)
    assignment = get_object_or_404(_my_assignments(deputy), pk=pk)
    busy = services.busy_on([assignment.shift.date])[assignment.shift.date]
    form = SwapRequestForm(request.POST or None, station=assignment.shift.station, exclude=busy)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_swap(
                assignment, by=request.user, reason=form.cleaned_data["reason"], proposed=form.cleaned_data["proposed"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已提交调班申请，站点管理员或工作人员处理后会通知您。"))
            return redirect("stations:my_duty")
    return render(
        request, "stations/my_swap_request.html", {"assignment": assignment, "form": form},
        status=form_status(request, form),
    )


@role_required(permissions.view_my_duty)
@require_POST
def my_swap_cancel(request, pk):
    deputy = services.deputy_of(request.user)
    swap = get_object_or_404(SwapRequest, pk=pk, requested_by=deputy)
    services.cancel_swap_request(swap, by=request.user)
    messages.success(request, _("已撤回调班申请。"))
    return redirect("stations:my_duty")


@role_required(permissions.view_my_duty)
@require_POST
def my_unavailability_add(request):
    deputy = services.deputy_of(request.user)
    form = UnavailabilityForm(request.POST)
    if form.is_valid():
        services.add_unavailability(by=request.user, deputy=deputy, **form.cleaned_data)
        messages.success(request, _("已登记。以后排班会避开这段时间；已排好的值班请申请调班。"))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("stations:my_duty")


def _ics_response(deputy, *, filename):
    start, end = calendar.feed_window()
    assignments = _my_assignments(deputy).filter(shift__date__gte=start, shift__date__lte=end).order_by("shift__date")
    body = calendar.duty_calendar(assignments, name=_("%(name)s的值班") % {"name": deputy.name})
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@role_required(permissions.view_my_duty)
def my_duty_ics(request):
    return _ics_response(services.deputy_of(request.user), filename="duty.ics")


def duty_feed(request, token):
    """The subscription feed for calendar apps (no sign-in; the URL's token names the deputy)."""
    deputy = calendar.deputy_from_token(token)
    if deputy is None:
        raise Http404("unknown feed")
    return _ics_response(deputy, filename="duty.ics")


@login_required
@require_POST
def duty_feed_reset(request, pk):
    """A new feed URL for a deputy (the old one answers 404): the deputy's own, or staff's for a
    deputy they manage."""
    own = getattr(request.user, "deputy", None)
    if own is not None and own.pk == pk:
        deputy = own
    else:
        deputy = get_object_or_404(Deputy.objects.visible_to(request.user), pk=pk)
    services.reset_feed_token(deputy, by=request.user)
    messages.success(request, _("已重置日历订阅地址，原地址已失效；请在手机日历中改用新地址。"))
    if deputy.user_id == request.user.pk:
        return redirect("stations:my_duty")
    return redirect("deputies:detail", pk=deputy.pk)


# --- Missed-shift report (staff) ------------------------------------------------------------


def _month_assignments(request, year, month):
    start, end = scheduler.month_bounds(year, month)
    return DutyAssignment.objects.visible_to(request.user).filter(shift__date__gte=start, shift__date__lt=end)


MISSED_COLUMNS = [
    Column("township", "乡镇", 12), Column("station", "站点", 24), Column("date", "值班日期", 12),
    Column("deputy", "代表", 10), Column("level", "代表层级", 10), Column("attendance", "出勤", 8),
]


@role_required(permissions.view_duty_reports)
def missed_report(request):
    """Per township: turns scheduled this month, attended, missed; and the missed turns."""
    year, month = _month_from(request)
    today = timezone.localdate()
    attended = Q(attendance=DutyAssignment.Attendance.ATTENDED)
    rows = list(
        _month_assignments(request, year, month)
        .values("shift__station__township_id", "shift__station__township__name", "shift__station__township__sort_order")
        .annotate(
            total=Count("pk"),
            attended=Count("pk", filter=attended),
            missed=Count("pk", filter=Q(shift__date__lt=today) & ~attended),
            due=Count("pk", filter=Q(shift__date__lt=today)),
        )
        .order_by("shift__station__township__sort_order", "shift__station__township_id")
    )
    for row in rows:
        row["rate"] = round(100 * row["attended"] / row["due"], 1) if row["due"] else None
    missed = (
        _month_assignments(request, year, month)
        .missed(today)
        .select_related("deputy", "shift__station__township")
        .order_by("shift__station__township__sort_order", "shift__date", "shift__station__name")
    )
    township_id = request.GET.get("township")
    if township_id and township_id.isdigit():
        missed = missed.filter(shift__station__township_id=int(township_id))
    if request.GET.get("format") == "xlsx":
        log(AuditEntry.Action.EXPORT, object_repr=_("导出缺勤名单"), changes={"month": f"{year}-{month:02d}"})
        data = (
            [a.shift.station.township.name, a.shift.station.name, a.shift.date.isoformat(), a.deputy.name,
             a.deputy.get_level_display(), a.get_attendance_display()]
            for a in missed.iterator(chunk_size=500)
        )
        return export_response(f"缺勤名单-{year}{month:02d}.xlsx", _("缺勤名单"), MISSED_COLUMNS, data)
    page = Paginator(missed, 50).get_page(request.GET.get("page"))
    first = scheduler.month_bounds(year, month)[0]
    return render(
        request,
        "stations/missed_report.html",
        {
            "rows": rows,
            "month": first,
            "previous_month": scheduler.add_months(first, -1),
            "next_month": scheduler.add_months(first, 1),
            "page_obj": page,
            "missed": page.object_list,
            "paginator": page.paginator,
            "query": query_without_page(request),
            "township": Township.objects.filter(pk=township_id).first() if township_id and township_id.isdigit() else None,
            "totals": {key: sum(row[key] for row in rows) for key in ("total", "attended", "missed", "due")},
        },
    )


# --- Rules and holidays (staff) -------------------------------------------------------------


@role_required(permissions.view_duty_config)
def rule_list(request):
    rules = DutyRule.objects.annotate(station_count=Count("stations"))
    return render(request, "stations/rule_list.html", {"rules": rules})


@role_required(permissions.configure_duty)
def rule_edit(request, pk=None):
    rule = get_object_or_404(DutyRule, pk=pk) if pk else DutyRule()
    form = DutyRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_duty_rule(
                DutyRule.objects.get(pk=pk) if pk else DutyRule(), by=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存值班规则“%(name)s”（%(text)s）。") % {"name": saved.name, "text": saved.description})
            return redirect("stations:rules")
    return render(request, "stations/rule_form.html", {"form": form, "rule": rule if pk else None}, status=form_status(request, form))


@role_required(permissions.view_duty_config)
def holiday_list(request):
    if request.method == "POST":
        permissions.configure_duty.check(request.user)
    today = timezone.localdate()
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else today.year
    form = HolidayForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_holiday(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error("date", exc.message)
        else:
            messages.success(request, _("已登记。以后排班会按规则顺延或取消；已排好的班次不变。"))
            return redirect(f"{request.path}?year={form.cleaned_data['date'].year}")
    holidays = (
        Holiday.objects.filter(date__year=year)
        .filter(within_or_above(request.user, "region"))
        .select_related("region")
        .order_by("date", "region__path")
    )
    return render(
        request,
        "stations/holiday_list.html",
        {
            "holidays": holidays, "form": form, "year": year,
            "official": workdays.official_days(year), "covered": workdays.covers(year),
        },
        status=form_status(request, form),
    )


@role_required(permissions.configure_duty)
@require_POST
def holiday_remove(request, pk):
    holiday = get_object_or_404(Holiday.objects.filter(within_or_above(request.user, "region")), pk=pk)
    services.remove_holiday(holiday, by=request.user)
    messages.success(request, _("已删除 %(name)s。") % {"name": holiday.name})
    return redirect(f"{reverse('stations:holidays')}?year={holiday.date.year}")


@role_required(permissions.record_unavailability)
def unavailability_list(request):
    """Staff record periods deputies cannot take duty (the scheduler skips them)."""
    form = StaffUnavailabilityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.add_unavailability(by=request.user, **form.cleaned_data)
        messages.success(request, _("已登记。以后排班会避开这段时间；已排好的值班请调班。"))
        return redirect("stations:unavailability")
    periods = (
        Unavailability.objects.filter(
            end__gte=timezone.localdate(), deputy__in=Deputy.objects.visible_to(request.user).values("pk")
        )
        .select_related("deputy", "deputy__township")
        .order_by("start")
    )
    page = Paginator(periods, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "stations/unavailability_list.html",
        {"form": form, "page_obj": page, "periods": page.object_list, "paginator": page.paginator, "query": ""},
        status=form_status(request, form),
    )
