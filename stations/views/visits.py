"""进站履职: a deputy logs a visit with its receptions from a phone; lists and details."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from divisions.scope import scope_of
from core.caching import shared_until_changed
from core.exceptions import DomainError
from core.http import filter_data, query_without_page
from core.widgets import LongSelect
from stations import permissions, services
from stations.filters import STATION_CHOICE_MODELS, VisitFilter
from stations.forms import ReceptionFormSet, ReceptionHandlingForm, VisitForm
from stations.models import Reception, Station, Visit

RECEPTION_PREFIX = "r"


def _with_extra_reception(data):
    """The posted data with one more (empty) reception form, for the no-JavaScript "add" button."""
    data = data.copy()
    key = f"{RECEPTION_PREFIX}-TOTAL_FORMS"
    data[key] = str(int(data.get(key) or 0) + 1)
    return data


@role_required(permissions.log_visits)
def visit_create(request):
    deputy = services.deputy_of(request.user)
    all_stations = request.GET.get("all") == "1"
    if request.method == "POST" and "add_reception" in request.POST:
        # Without JavaScript: re-show the form with one more reception, nothing saved yet.
        fields = ("station", "date", "start_time", "end_time", "summary")
        form = VisitForm(
            initial={name: request.POST.get(name) for name in fields}, deputy=deputy, all_stations=all_stations
        )
        formset = ReceptionFormSet(
            _with_extra_reception(request.POST), prefix=RECEPTION_PREFIX, township_ids=form.township_ids
        )
        return render(request, "stations/visit_form.html", {"form": form, "formset": formset, "adding": True, "all_stations": all_stations})
    form = VisitForm(request.POST or None, request.FILES or None, deputy=deputy, all_stations=all_stations)
    formset = ReceptionFormSet(request.POST or None, prefix=RECEPTION_PREFIX, township_ids=form.township_ids)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        receptions = [f.cleaned_data for f in formset.forms if f.has_changed()]
        try:
            visit = services.record_visit(
                by=request.user,
                station=form.cleaned_data["station"],
                date=form.cleaned_data["date"],
                start_time=form.cleaned_data["start_time"],
                end_time=form.cleaned_data["end_time"],
                summary=form.cleaned_data["summary"],
                receptions=receptions,
                photos=form.cleaned_data["photos"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("已登记进站履职，接待群众 %(n)s 人次。") % {"n": len(receptions)},
            )
            return redirect("stations:visit_detail", pk=visit.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "stations/visit_form.html",
        {"form": form, "formset": formset, "all_stations": all_stations}, status=status,
    )


def station_select_html(request, selected):
    """The station filter of the visit list: every station the viewer sees (1,400 in a city),
    as one LongSelect from (pk, name) pairs. The staff's unselected select is shared by scope
    until a station or township changes (it was two thirds of the list's time at city scale)."""

    def build():
        stations = Station.objects.visible_to(request.user).values_list("pk", "name")
        widget = LongSelect(choices=[("", _("全部站点")), *stations], attrs={"id": "id_station"})
        return widget.render("station", selected)

    user = request.user
    if selected or user.role not in (Role.ADMIN, Role.STAFF):
        return build()
    return shared_until_changed(
        f"stations:visit-station-select:{get_language()}:{scope_of(user).key()}", build,
        models=STATION_CHOICE_MODELS, seconds=settings.FILTER_FORM_CACHE_SECONDS,
    )


@role_required(permissions.view_visits)
def visit_list(request):
    queryset = Visit.objects.visible_to(request.user).for_list()
    visit_filter = VisitFilter(filter_data(request), queryset=queryset, request=request)
    page = Paginator(visit_filter.qs, 30).get_page(request.GET.get("page"))
    mine = request.user.role == Role.DEPUTY
    return render(
        request,
        "stations/visit_list.html",
        {
            "filter": visit_filter,
            "page_obj": page,
            "visits": page.object_list,
            "paginator": page.paginator,
            "query": query_without_page(request),
            "mine": mine,
            "station_select": None if mine else station_select_html(request, request.GET.get("station", "")),
        },
    )


@role_required(permissions.view_visits)
def visit_detail(request, pk):
    visit = get_object_or_404(
        Visit.objects.visible_to(request.user)
        .select_related("station", "station__township", "deputy", "recorded_by")
        .prefetch_related(
            Prefetch("receptions", queryset=Reception.objects.select_related("category", "village", "visit")),
            "photos",
        ),
        pk=pk,
    )
    can_handle = visit.recorded_by_id == request.user.pk or permissions.see_visitor_phones.has(request.user)
    receptions = [
        {"reception": r, "name": r.name_for(request.user), "phone": r.phone_for(request.user), "form": ReceptionHandlingForm(instance=r, prefix=f"h{r.pk}") if can_handle else None}
        for r in visit.receptions.all()
    ]
    return render(
        request, "stations/visit_detail.html", {"visit": visit, "receptions": receptions, "can_handle": can_handle}
    )


@role_required(permissions.view_visits)
@require_POST
def reception_update(request, pk):
    reception = get_object_or_404(
        Reception.objects.select_related("visit").filter(
            visit__in=Visit.objects.visible_to(request.user).values("pk")
        ),
        pk=pk,
    )
    form = ReceptionHandlingForm(request.POST, instance=reception, prefix=f"h{reception.pk}")
    if not form.is_valid():
        messages.error(request, _("请选择处理方式。"))
        return redirect("stations:visit_detail", pk=reception.visit_id)
    services.update_reception(
        reception, by=request.user, handling=form.cleaned_data["handling"], feedback=form.cleaned_data["feedback"]
    )
    messages.success(request, _("已更新接待记录。"))
    return redirect("stations:visit_detail", pk=reception.visit_id)

