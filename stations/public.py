"""The public station page /s/<code>/ and its extension point.

Other apps add sections to the page without stations importing them:

    from stations.public import register_panel

    def opinion_panel(request, station, state):
        form = state.get("opinion_form") or OpinionForm()
        return render_to_string("opinions/_station_panel.html", {"form": form, "station": station},
                                request=request)

    register_panel("opinion_form", order=20, render=opinion_panel)   # in AppConfig.ready()

`render(request, station, state)` returns HTML ("" hides the panel). A POST view of another app
re-renders the page with its bound form through
`render_station_page(request, station, status=400, state={"opinion_form": form})`.

Built-in panels: "station" (order 10: name, address, hours), "duty" (30: next duty days),
"deputies" (40: member deputies). Suggested orders: the opinion form 20, project proposals 50.
The page is plain HTML on the light public layout (no JavaScript), for WeChat on a slow phone."""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from deputies.models import Deputy, Level
from stations.models import Station, StationMembership

NEXT_DUTY_DAYS = 3


@dataclass(frozen=True)
class Panel:
    name: str
    order: int
    render: object


_panels = {}


def register_panel(name, *, order, render):
    """Add (or replace, by name) a section of the public station page."""
    _panels[name] = Panel(name, order, render)


def unregister_panel(name):
    _panels.pop(name, None)


def registered_panels():
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.name))


def get_public_station(code):
    """The active station with this public code, or 404 (the same for unknown and inactive)."""
    station = (
        Station.objects.filter(code=str(code).strip().lower(), is_active=True)
        .select_related("township", "duty_rule")
        .first()
    )
    if station is None:
        raise Http404("unknown station code")
    return station


def render_station_page(request, station, *, status=200, state=None):
    """The public page of `station` with every registered panel, in order."""
    state = {} if state is None else state
    sections = []
    for panel in registered_panels():
        html = panel.render(request, station, state)
        if html:
            sections.append({"name": panel.name, "html": mark_safe(html)})
    return render(
        request, "stations/public_station.html", {"station": station, "sections": sections}, status=status
    )


# --- Built-in panels ------------------------------------------------------------------------


def _station_panel(request, station, state):
    return render_to_string("stations/public/_station.html", {"station": station}, request=request)


def _duty_panel(request, station, state):
    if not station.duty_enabled:
        return ""
    shifts = list(
        station.shifts.filter(date__gte=timezone.localdate())
        .order_by("date")
        .prefetch_related("assignments__deputy")[:NEXT_DUTY_DAYS]
    )
    rule = station.rule()
    return render_to_string(
        "stations/public/_duty.html", {"station": station, "shifts": shifts, "rule": rule}, request=request
    )


def _deputies_panel(request, station, state):
    memberships = (
        StationMembership.objects.filter(station=station, deputy__status=Deputy.Status.ACTIVE)
        .select_related("deputy")
        .only("is_leader", "deputy__name", "deputy__level", "deputy__photo", "deputy__search_keys")
    )
    deputies = [m.deputy for m in sorted(memberships, key=_member_order)]
    return render_to_string(
        "stations/public/_deputies.html", {"station": station, "deputies": deputies}, request=request
    )


LEVEL_RANK = {level: rank for rank, level in enumerate(Level.values)}


def _member_order(membership):
    return (not membership.is_leader, LEVEL_RANK.get(membership.deputy.level, 9), membership.deputy.search_keys)


def register_builtin_panels():
    register_panel("station", order=10, render=_station_panel)
    register_panel("duty", order=30, render=_duty_panel)
    register_panel("deputies", order=40, render=_deputies_panel)
