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
The page is plain HTML on the light public layout (no JavaScript), for WeChat on a slow phone.

The page a QR code opens is by far the most visited one, so an anonymous visitor's page is served
from the cache: rendered once per station and day, kept with the CSRF tokens of its forms taken
out and given each visitor's own token back. Whatever the page shows invalidates it: the
station, its members, its shifts and their deputies (that station's page), and the deputies,
duty rules, townships and categories (every page), through the signals connected below and,
for bulk writes that send none (the monthly schedule), `invalidate_station_pages`. A panel of
another app names the models its content comes from with `register_panel(...,
invalidated_by=[Model, ...])`; any change to one of them invalidates every station's page.
A signed-in user, a page with messages or a bound form is always rendered afresh."""

import functools
import hashlib
import logging
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from deputies.models import Deputy, Level
from divisions.models import Township
from stations.models import Category, DutyAssignment, DutyRule, DutyShift, Station, StationMembership

logger = logging.getLogger(__name__)

NEXT_DUTY_DAYS = 3
# A safety net only (every change invalidates at once): a page lives at most this long.
PAGE_CACHE_SECONDS = 600
PAGE_KEY = "stations:public-page:{}:{}"  # release, code: a cached visit asks no query at all
VERSION_KEY = "stations:public-page-version:{}"
GENERATION_KEY = "stations:public-page-generation"
CODE = re.compile(r"[0-9a-z]{1,32}")
CSRF_PLACEHOLDER = "lianxin-csrf-placeholder"
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')


@dataclass(frozen=True)
class Panel:
    name: str
    order: int
    render: object


_panels = {}


def register_panel(name, *, order, render, invalidated_by=()):
    """Add (or replace, by name) a section of the public station page. `invalidated_by`: the
    models the panel's content comes from; saving or deleting one invalidates every cached
    station page."""
    _panels[name] = Panel(name, order, render)
    for model in invalidated_by:
        _connect(model, invalidate_all_station_pages_on_change, f"public-page-{name}-{model._meta.label}")


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


def station_page_response(request, code):
    """The response for /s/<code>/: an anonymous visitor's page straight from the cache (no
    query), else rendered (and stored for the next visitor)."""
    code = str(code).strip().lower()
    if CODE.fullmatch(code) and _is_plain_visit(request):
        html = _cached_page(code)
        if html is not None:
            if CSRF_PLACEHOLDER in html:
                html = html.replace(CSRF_PLACEHOLDER, get_token(request))
            return HttpResponse(html)
    return render_station_page(request, get_public_station(code))


def render_station_page(request, station, *, status=200, state=None):
    """The public page of `station` with every registered panel, in order (stored in the cache
    for an anonymous visitor's plain request)."""
    cacheable = not state and status == 200 and _is_plain_visit(request)
    versions = _versions(station.code) if cacheable else None
    response = _render_station_page(request, station, status=status, state=state)
    if versions is not None:
        _store_page(station.code, versions, response.content.decode())
    return response


def _render_station_page(request, station, *, status, state):
    state = {} if state is None else state
    sections = []
    for panel in registered_panels():
        html = panel.render(request, station, state)
        if html:
            # Each panel renders its own template (autoescaped); this only marks that output.
            sections.append({"name": panel.name, "html": mark_safe(html)})  # noqa: S308
    return render(
        request, "stations/public_station.html", {"station": station, "sections": sections}, status=status
    )


# --- The page cache -------------------------------------------------------------------------


def _is_plain_visit(request):
    """What every anonymous visitor sees alike: no user box, no messages."""
    from django.contrib.messages import get_messages

    # 长辈模式 pages differ (class="care" on <html>): rendered afresh, never stored.
    return request.method in ("GET", "HEAD") and not request.user.is_authenticated and not len(
        get_messages(request)
    ) and request.COOKIES.get("care") != "1"


def _cached_page(code):
    """The stored page of this station if it was made today from what is current: under the
    station's version and the generation of every page that are current now."""
    keys = [PAGE_KEY.format(_release(), code), VERSION_KEY.format(code), GENERATION_KEY]
    try:
        found = cache.get_many(keys)
    except Exception:  # the cache down must not take the page down
        logger.warning("station page cache unavailable", exc_info=True)
        return None
    page, version, generation = (found.get(key) for key in keys)
    if (
        page
        and version is not None
        and generation is not None
        and page["day"] == timezone.localdate().isoformat()
        and (page["version"], page["generation"]) == (version, generation)
    ):
        return page["html"]
    return None


def _release():
    """What the code makes of the page: the panels, the project's templates and the static
    files' manifest (hashed asset names). A deploy that changes any of them starts afresh
    instead of serving pages made by the previous release."""
    panels = tuple((p.name, p.order, getattr(p.render, "__module__", ""), getattr(p.render, "__qualname__", ""))
                   for p in registered_panels())
    return _release_of(panels)


@functools.cache
def _release_of(panels):
    digest = hashlib.sha256(repr(panels).encode())
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", ())]
    folders += [Path(app.path) / "templates" for app in apps.get_app_configs()
                if Path(app.path).is_relative_to(settings.BASE_DIR)]
    for folder in folders:
        for path in sorted(folder.rglob("*.html")) if folder.is_dir() else ():
            digest.update(str(path).encode() + path.read_bytes())
    manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
    if settings.STATIC_ROOT and manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


def _versions(code):
    """The station's version and the generation, read before rendering: a change committed
    while the page renders bumps them, and the page stored under the old ones is never served."""
    try:
        cache.add(VERSION_KEY.format(code), uuid.uuid4().hex, None)
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        found = cache.get_many([VERSION_KEY.format(code), GENERATION_KEY])
        return found[VERSION_KEY.format(code)], found[GENERATION_KEY]
    except Exception:
        logger.warning("station page cache unavailable", exc_info=True)
        return None


def _store_page(code, versions, html):
    page = {
        "day": timezone.localdate().isoformat(),
        "version": versions[0],
        "generation": versions[1],
        "html": CSRF_VALUE.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", html),
    }
    try:
        cache.set(PAGE_KEY.format(_release(), code), page, PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("station page cache unavailable", exc_info=True)


def _bump(codes=None):
    try:
        if codes is None:
            cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
        else:
            cache.set_many({VERSION_KEY.format(code): uuid.uuid4().hex for code in codes}, None)
    except Exception:
        logger.warning("could not invalidate station pages %s", codes, exc_info=True)


def invalidate_station_pages(station_ids=None, *, codes=()):
    """Make the cached public pages of these stations (given by id or by code; of every station
    when neither is given) stale: now, and again when the transaction commits, so that a page
    rendered from what was read before the commit is not served either."""
    if station_ids is None and not codes:
        targets = None
    else:
        ids = {pk for pk in station_ids or () if pk is not None}
        targets = set(codes) | set(Station.objects.filter(pk__in=ids).values_list("code", flat=True) if ids else ())
        if not targets:
            return
    _bump(targets)
    transaction.on_commit(lambda: _bump(targets))


def invalidate_all_station_pages_on_change(sender, **kwargs):
    invalidate_station_pages()


def _station_changed(sender, instance, **kwargs):
    invalidate_station_pages(codes=[instance.code, *getattr(instance, "_public_codes_before", ())])


def _station_changing(sender, instance, **kwargs):
    """Remember the code the station had (a new code must leave no page under the old one)."""
    if instance.pk:
        instance._public_codes_before = list(Station.objects.filter(pk=instance.pk).values_list("code", flat=True))


def _station_part_changed(sender, instance, **kwargs):
    invalidate_station_pages([instance.station_id])


def _assignment_changed(sender, instance, **kwargs):
    station_id = DutyShift.objects.filter(pk=instance.shift_id).values_list("station_id", flat=True).first()
    if station_id is None:  # the shift is being deleted too: its own signal invalidates
        return
    invalidate_station_pages([station_id])


def _deputy_changed(sender, instance, **kwargs):
    invalidate_station_pages(
        StationMembership.objects.filter(deputy_id=instance.pk).values_list("station_id", flat=True)
    )


def _connect(model, receiver, uid):
    post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save")
    post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-delete")


def connect_page_cache():
    """What the built-in panels show, and the category list of the opinion form."""
    _connect(Station, _station_changed, "public-page-station")
    pre_save.connect(_station_changing, sender=Station, dispatch_uid="public-page-station-pre-save")
    _connect(StationMembership, _station_part_changed, "public-page-membership")
    _connect(DutyShift, _station_part_changed, "public-page-shift")
    _connect(DutyAssignment, _assignment_changed, "public-page-assignment")
    _connect(Deputy, _deputy_changed, "public-page-deputy")
    for model in (DutyRule, Township, Category):
        _connect(model, invalidate_all_station_pages_on_change, f"public-page-{model._meta.label}")


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
    """The built-in panels and the invalidation of the cached page (called in AppConfig.ready)."""
    connect_page_cache()
    register_panel("station", order=10, render=_station_panel)
    register_panel("duty", order=30, render=_duty_panel)
    register_panel("deputies", order=40, render=_deputies_panel)
