"""Stations for staff and station managers: list with counts, detail, edit, members, QR codes,
posters, categories; and the public station page /s/<code>/."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from core.http import query_without_page
from deputies.models import Deputy
from divisions.models import Township
from stations import permissions, qr, services
from stations.filters import StationFilter
from stations.forms import AddMembersForm, CategoryForm, StationForm
from stations.models import (
    Category,
    DutyAssignment,
    DutyShift,
    Station,
    StationMembership,
    Visit,
    default_duty_rule,
)
from stations.public import station_page_response
from stations.views.common import form_status


def station_page(request, code):
    """/s/<code>/: the public page a station's QR code opens (cached: stations.public)."""
    return station_page_response(request, code)


def _visible_stations(request):
    return Station.objects.visible_to(request.user)


@role_required(permissions.view_stations)
def station_list(request):
    queryset = _visible_stations(request).for_list().with_counts()
    station_filter = StationFilter(request.GET or None, queryset=queryset, request=request)
    page = Paginator(station_filter.qs, 30).get_page(request.GET.get("page"))
    unassigned = None
    if permissions.view_membership_gaps.has(request.user):
        unassigned = Deputy.objects.visible_to(request.user).active().filter(memberships__isnull=True).count()
    return render(
        request,
        "stations/station_list.html",
        {
            "filter": station_filter,
            "page_obj": page,
            "stations": page.object_list,
            "paginator": page.paginator,
            "query": query_without_page(request),
            "unassigned": unassigned,
            "year": timezone.localdate().year,
            "townships": Township.objects.filter(
                pk__in=_visible_stations(request).values("township_id")
            ),
        },
    )


@role_required(permissions.view_stations)
def station_detail(request, pk):
    station = get_object_or_404(_visible_stations(request).for_list().select_related("duty_rule"), pk=pk)
    today = timezone.localdate()
    memberships = (
        StationMembership.objects.filter(station=station)
        .select_related("deputy", "deputy__township")
        .order_by("-is_leader", "deputy__search_keys")
    )
    shifts = (
        DutyShift.objects.filter(station=station, date__gte=today)
        .order_by("date")
        .prefetch_related(
            Prefetch("assignments", queryset=DutyAssignment.objects.select_related("deputy", "swapped_from"))
        )[:6]
    )
    visits = Visit.objects.filter(station=station).for_list()[:10]
    return render(
        request,
        "stations/station_detail.html",
        {
            "station": station,
            "memberships": memberships,
            "shifts": shifts,
            "visits": visits,
            "rule": station.rule(),
        },
    )


@role_required(permissions.create_stations)
def station_create(request):
    form = StationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        station = services.create_station(by=request.user, **form.cleaned_data)
        messages.success(request, _("已新建站点“%(name)s”。") % {"name": station.name})
        return redirect("stations:detail", pk=station.pk)
    return render(request, "stations/station_form.html", {"form": form}, status=form_status(request, form))


@role_required(permissions.edit_stations)
def station_update(request, pk):
    station = get_object_or_404(_visible_stations(request), pk=pk)
    form = StationForm(request.POST or None, request.FILES or None, instance=station, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_station(Station.objects.get(pk=pk), by=request.user, **form.cleaned_data)
        messages.success(request, _("已保存。"))
        return redirect("stations:detail", pk=pk)
    return render(
        request, "stations/station_form.html", {"form": form, "station": station}, status=form_status(request, form)
    )


@role_required(permissions.edit_stations)
def station_members(request, pk):
    """Add deputies to a station: the station's township by default, or a name/pinyin search."""
    station = get_object_or_404(_visible_stations(request).select_related("township"), pk=pk)
    term = request.GET.get("q", "").strip()
    eligible = services.addable_deputies(station, by=request.user)
    form = AddMembersForm(request.POST or None, candidates=eligible)
    shown = eligible.select_related("township")
    candidates = shown.search(term) if term else shown.filter(township=station.township)
    if request.method == "POST" and form.is_valid():
        added = services.add_members(station, deputies=list(form.cleaned_data["deputies"]), by=request.user)
        messages.success(request, _("已编入 %(n)s 名代表。") % {"n": len(added)})
        return redirect("stations:members", pk=pk)
    memberships = (
        StationMembership.objects.filter(station=station)
        .select_related("deputy", "deputy__township")
        .order_by("-is_leader", "deputy__search_keys")
    )
    return render(
        request,
        "stations/station_members.html",
        {
            "station": station,
            "form": form,
            "memberships": memberships,
            "candidates": list(candidates[:60]),
            "candidate_total": candidates.count(),
            "term": term,
        },
        status=form_status(request, form),
    )


@role_required(permissions.edit_stations)
@require_POST
def member_remove(request, pk, membership_pk):
    station = get_object_or_404(_visible_stations(request), pk=pk)
    membership = get_object_or_404(StationMembership.objects.select_related("deputy", "station"), pk=membership_pk, station=station)
    services.remove_member(membership, by=request.user)
    remaining = StationMembership.objects.filter(deputy=membership.deputy).exists()
    if remaining:
        messages.success(request, _("已将 %(name)s 移出本站点。") % {"name": membership.deputy.name})
    else:
        messages.warning(
            request, _("已将 %(name)s 移出本站点。该代表现在不属于任何站点，请尽快编入。") % {"name": membership.deputy.name}
        )
    return redirect("stations:members", pk=pk)


@role_required(permissions.view_membership_gaps)
def unassigned_deputies(request):
    """Active deputies who belong to no station (every deputy should belong to one)."""
    deputies = (
        Deputy.objects.visible_to(request.user).active().filter(memberships__isnull=True).for_list()
    )
    page = Paginator(deputies, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "stations/unassigned_deputies.html",
        {"page_obj": page, "deputies": page.object_list, "paginator": page.paginator, "query": ""},
    )


# --- QR codes and posters -------------------------------------------------------------------


@role_required(permissions.view_stations)
def station_qr_svg(request, pk):
    station = get_object_or_404(_visible_stations(request), pk=pk)
    response = HttpResponse(qr.svg_bytes(station), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="station-{station.code}.svg"'
    return response


@role_required(permissions.view_stations)
def station_qr_png(request, pk):
    station = get_object_or_404(_visible_stations(request), pk=pk)
    response = HttpResponse(qr.png_bytes(station), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="station-{station.code}.png"'
    return response


def _posters(stations):
    default = default_duty_rule()
    return [{"station": station, "qr": qr.svg_inline(station), "rule": station.rule(default)} for station in stations]


@role_required(permissions.view_stations)
def station_poster(request, pk):
    station = get_object_or_404(_visible_stations(request).select_related("township", "duty_rule"), pk=pk)
    return render(request, "stations/posters.html", {"posters": _posters([station]), "title": station.name})


@role_required(permissions.view_stations)
def township_posters(request):
    """Every active station's poster of one township, one A4 page each, for printing."""
    township = get_object_or_404(Township, pk=request.GET.get("township") or 0)
    stations = (
        _visible_stations(request).active().filter(township=township).select_related("township", "duty_rule")
    )
    return render(
        request,
        "stations/posters.html",
        {"posters": _posters(stations), "title": _("%(name)s站点二维码海报") % {"name": township.name}},
    )


# --- Categories -----------------------------------------------------------------------------


@role_required(permissions.view_categories)
def category_list(request):
    if request.method == "POST":
        permissions.manage_categories.check(request.user)
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        category = services.save_category(Category(), by=request.user, **form.cleaned_data)
        messages.success(request, _("已添加类别“%(name)s”。") % {"name": category.name})
        return redirect("stations:categories")
    return render(
        request,
        "stations/category_list.html",
        {"categories": Category.objects.all(), "form": form},
        status=form_status(request, form),
    )


@role_required(permissions.manage_categories)
def category_update(request, pk):
    category = get_object_or_404(Category, pk=pk)
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        services.save_category(Category.objects.get(pk=pk), by=request.user, **form.cleaned_data)
        messages.success(request, _("已保存。"))
        return redirect("stations:categories")
    return render(
        request, "stations/category_form.html", {"form": form, "category": category}, status=form_status(request, form)
    )
