"""The year's figures of the whole portal, for the dashboard, its API and the annual report.

`year_figures(year, region=None)` is the one place they are computed — by database
aggregation, a fixed number of queries whatever the size of the city — so the dashboard and
the report always say the same. A region's figures roll up: a city's table has a row per county,
a county's a row per township, each the sum of what is under it. The suggestion figures (办结率, 满意率, 办成率, 按时答复率) come
from `suggestions.selectors.suggestion_figures`, the suggestions app's own definitions."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils.translation import gettext_lazy as _

from core.caching import get_or_build
from deputies.models import Deputy
from divisions.models import Region
from divisions.scope import scope_for
from opinions.models import FINAL_STATES, Opinion
from stations.models import Activity, ActivitySignup, Station, Visit
from suggestions.selectors import suggestion_figures, with_rates
from votes.models import Candidate, VoteStatus

MONTHS = list(range(1, 13))


def rate(numerator, denominator):
    return round(100 * numerator / denominator, 2) if denominator else None


@dataclass
class YearFigures:
    year: int
    region: object  # a Region or None (the whole deployment)
    deputies: int
    deputies_by_level: list
    stations: int
    stations_by_kind: list  # [{"kind", "name", "count"}]
    visits: int
    receptions: int
    visits_by_month: list  # 12 numbers
    receptions_by_month: list
    activities: int
    activities_by_kind: list
    signups: int
    attended: int
    opinions_collected: int
    opinions_closed: int
    opinions_by_month: list  # [{"month", "collected", "closed"}]
    suggestions: object  # suggestions.selectors.Figures
    projects: list  # the projects elected in the year's votes, with progress
    projects_carried: list  # those of earlier votes carried out in the year (续建)
    townships: list = field(default_factory=list)  # one row per region under it (townships, counties)
    child_level: str = ""  # what those rows are: 乡镇（街道）, 县（区）
    # Activities held above the rows' level (a county's own, in no township): the table's extra
    # row, so that its 活动场次 column adds up to `activities`. `above_label`: 县级活动, 市级活动.
    activities_above: int = 0
    above_label: str = ""

    @property
    def township(self):
        """The township of a township's figures (None for a county, a city, the whole deployment)."""
        return self.region if self.region is not None and self.region.level == Region.Level.TOWNSHIP else None

    @property
    def scope_name(self):
        return self.region.name if self.region else None

    @property
    def opinion_close_rate(self):
        return rate(self.opinions_closed, self.opinions_collected)

    @property
    def projects_completed(self):
        return sum(1 for p in self.projects if p["completed"])

    @property
    def projects_carried_completed(self):
        """Carried-over projects completed in the year."""
        return sum(1 for p in self.projects_carried if p["completed"])

    @property
    def project_budget(self):
        return sum(p["budget"] or 0 for p in self.projects)

    def as_json(self):
        """Plain data for the API and the charts."""
        totals = self.suggestions.totals
        return {
            "year": self.year,
            "township": self.township.pk if self.township else None,
            "region": self.region.code if self.region else None,
            "child_level": str(self.child_level),
            "deputies": self.deputies,
            "deputies_by_level": self.deputies_by_level,
            "stations": self.stations,
            "stations_by_kind": self.stations_by_kind,
            "visits": self.visits,
            "receptions": self.receptions,
            "visits_by_month": self.visits_by_month,
            "receptions_by_month": self.receptions_by_month,
            "activities": self.activities,
            "activities_by_kind": self.activities_by_kind,
            "signups": self.signups,
            "attended": self.attended,
            "opinions": {
                "collected": self.opinions_collected,
                "closed": self.opinions_closed,
                "close_rate": self.opinion_close_rate,
                "by_month": self.opinions_by_month,
            },
            "suggestions": {
                key: totals[key]
                for key in ("total", "assigned", "replied", "class_a", "evaluated", "satisfied", "overdue",
                            "key", "completion_rate", "satisfaction_rate", "success_rate", "in_time_rate")
            },
            "suggestions_by_unit": [
                {k: row[k] for k in ("id", "name", "total", "assigned", "replied", "completion_rate",
                                     "satisfaction_rate", "success_rate", "in_time_rate", "too_few")}
                for row in self.suggestions.by_unit
            ],
            "projects": [{**p, "budget": float(p["budget"]) if p["budget"] is not None else None} for p in self.projects],
            "projects_carried": [
                {**p, "budget": float(p["budget"]) if p["budget"] is not None else None} for p in self.projects_carried
            ],
            "townships": self.townships,
            "activities_above": self.activities_above,
            "above_label": str(self.above_label),
        }


def _grouped(queryset, **aggregates):
    """The aggregates grouped by the queryset's values() (month, township, kind …): the database
    groups, Python only adds up these few hundred rows for the totals and breakdowns."""
    return list(queryset.order_by().annotate(**aggregates))


def _sum(rows, column="n", **where):
    """The total of `column` over the grouped rows that match `where`."""
    return sum(row[column] for row in rows if all(row[k] == v for k, v in where.items()))


def _sums_by(rows, key, column="n"):
    totals = {}
    for row in rows:
        totals[row[key]] = totals.get(row[key], 0) + row[column]
    return totals


def shared_for_dashboard(key, build):
    """`build()` computed once for every staff member asking for the same `key` within
    DASHBOARD_CACHE_SECONDS (60), then afresh (0: every time). For the dashboard: a city's year
    is thirteen aggregate queries over every app's tables and a page of tiles, charts and
    tables, the same for everyone looking at the same year and scope. The annual report and the
    API compute afresh."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return build()
    return get_or_build(key, build, seconds)


def year_figures(year, region=None):
    """Every figure of `year` for a region (None: the whole deployment), with one row per region
    under it (a county's townships, a city's counties). Thirteen queries: each table is grouped
    once by everything the dashboard breaks it down by (month, township, kind), and the totals,
    months and rows are added up from those groups."""
    scope = scope_for(region)
    townships = None if scope.is_whole else list(scope.region_ids)
    visits = Visit.objects.filter(date__year=year)
    opinions = Opinion.objects.filter(created_at__year=year)
    activities = Activity.objects.filter(starts_at__year=year, status=Activity.Status.PUBLISHED).annotate(
        township_key=Coalesce("station__township_id", "region_id")
    )
    deputies = Deputy.objects.active()
    stations = Station.objects.active()
    if townships is not None:
        visits = visits.filter(station__township_id__in=townships)
        opinions = opinions.filter(station__township_id__in=townships)
        activities = activities.filter(Q(station__township_id__in=townships) | Q(region_id__in=townships))
        deputies = deputies.filter(township_id__in=townships)
        stations = stations.filter(township_id__in=townships)

    deputy_rows = _grouped(deputies.values("level", township_pk=F("township_id")), n=Count("pk"))
    station_rows = _grouped(stations.values("kind", township_pk=F("township_id")), n=Count("pk"))
    levels = _sums_by(deputy_rows, "level")
    kinds = _sums_by(station_rows, "kind")
    # A visit's receptions counted in the same pass as the visits.
    visit_rows = _grouped(
        visits.values(month=ExtractMonth("date"), township_pk=F("station__township_id")),
        n=Count("pk", distinct=True), receptions=Count("receptions"),
    )
    live = Q(signups__cancelled_at__isnull=True)
    activity_rows = _grouped(
        activities.values("kind", township_pk=F("township_key")),
        n=Count("pk", distinct=True),
        signup_count=Count("signups", filter=live),
        attended_count=Count("signups", filter=live & Q(signups__attendance=ActivitySignup.Attendance.ATTENDED)),
    )
    activity_kinds = _sums_by(activity_rows, "kind")
    closed = Q(state__in=FINAL_STATES)
    opinion_rows = _grouped(
        opinions.values(month=ExtractMonth("created_at"), township_pk=F("station__township_id")),
        collected=Count("pk"), closed=Count("pk", filter=closed),
    )
    figures = suggestion_figures(year=year, region=region)
    # The projects voted in the year, and in the same query those of earlier votes carried out in
    # it (not completed before it began, and begun by its end).
    carried_over = Q(vote__year__lt=year) & (Q(completed_on__isnull=True) | Q(completed_on__year__gte=year)) & (
        Q(implementation_started_on__isnull=True) | Q(implementation_started_on__year__lte=year))
    projects = (
        Candidate.objects.filter(
            Q(vote__year=year) | carried_over, elected=True,
            vote__status__in=(VoteStatus.PUBLISHED, VoteStatus.IMPLEMENTING, VoteStatus.EVALUATED),
        )
        .select_related("vote", "vote__congress__region", "responsible_unit")
        .order_by("vote__congress__region__path", "vote_id", "rank", "number")
    )
    if region is not None:
        # The region's own votes and those of the congresses above it (a township's report lists
        # the county's projects too).
        projects = projects.filter(vote__congress__region_id__in=[*scope.region_ids, *scope.ancestor_ids])

    result = YearFigures(
        year=year,
        region=region,
        deputies=sum(levels.values()),
        deputies_by_level=[
            {"level": value, "name": str(label), "count": levels.get(value, 0)}
            for value, label in Deputy._meta.get_field("level").choices
        ],
        stations=sum(kinds.values()),
        stations_by_kind=[
            {"kind": value, "name": str(label), "count": kinds.get(value, 0)} for value, label in Station.Kind.choices
        ],
        visits=_sum(visit_rows),
        receptions=_sum(visit_rows, "receptions"),
        visits_by_month=[_sum(visit_rows, month=m) for m in MONTHS],
        receptions_by_month=[_sum(visit_rows, "receptions", month=m) for m in MONTHS],
        activities=sum(activity_kinds.values()),
        activities_by_kind=[
            {"kind": value, "name": str(label), "count": activity_kinds.get(value, 0)}
            for value, label in Activity.Kind.choices
        ],
        signups=_sum(activity_rows, "signup_count"),
        attended=_sum(activity_rows, "attended_count"),
        opinions_collected=_sum(opinion_rows, "collected"),
        opinions_closed=_sum(opinion_rows, "closed"),
        opinions_by_month=[
            {"month": m, "collected": _sum(opinion_rows, "collected", month=m),
             "closed": _sum(opinion_rows, "closed", month=m)}
            for m in MONTHS
        ],
        suggestions=figures,
        projects=[project_row(p) for p in projects if p.vote.year == year],
        projects_carried=[project_row(p) for p in projects if p.vote.year < year],
    )
    children, parent_of = rows_of(scope)
    result.child_level = children[0].get_level_display() if children else ""
    result.townships = region_rows(
        children, parent_of, deputy_rows=deputy_rows, station_rows=station_rows, visit_rows=visit_rows,
        activity_rows=activity_rows, opinion_rows=opinion_rows, figures=figures,
    )
    if children:
        result.activities_above = sum(row["n"] for row in activity_rows if row["township_pk"] not in parent_of)
        result.above_label = above_label(children)
    for row in result.townships:  # a rate over fewer assigned suggestions than the minimum is not compared
        row["too_few"] = row["assigned"] < figures.min_items
    return result


# The level above a row's level: the activities held there are the table's extra row.
ABOVE_LABELS = {Region.Level.TOWNSHIP: _("县级活动"), Region.Level.COUNTY: _("市级活动")}


def above_label(children):
    """The name of the row for activities held above the table's rows (县级活动 under a county's
    townships, 市级活动 under a city's counties; 上级活动 otherwise)."""
    return ABOVE_LABELS.get(children[0].level, _("上级活动"))


def project_row(p):
    return {
        "id": p.pk,
        "title": p.title,
        "scope": str(p.vote.scope_name),
        "vote_year": p.vote.year,
        "unit": p.responsible_unit.name if p.responsible_unit_id else "",
        "budget": p.budget,
        "percent": p.progress_percent,
        "completed": p.completed_on is not None,
        "completed_on": p.completed_on.isoformat() if p.completed_on else None,
        "planned_completion": p.planned_completion.isoformat() if p.planned_completion else None,
    }


def rows_of(scope):
    """The regions a scope's table has a row for, and {region id: the row's region id} for every
    region under them: a county's townships, a city's counties (each township adds up to its
    county); a township is its own one row. For the whole deployment, the rows under its root (or
    one row per root). At most one query: the scope has its regions already."""
    regions = list(scope.regions) if not scope.is_whole else list(Region.objects.order_by("path"))
    if not regions:
        return [], {}
    top = scope.region
    if top is None:
        roots = [r for r in regions if r.depth == 1]
        top = roots[0] if len(roots) == 1 else None
    if top is None:
        children = [r for r in regions if r.depth == 1]
    elif top.level == Region.Level.TOWNSHIP:
        children = [top]
    else:
        children = [r for r in regions if r.depth == top.depth + 1 and r.path.startswith(top.path)]
    children.sort(key=lambda r: (r.sort_order, r.path))
    if not children:
        return [], {}
    paths = {child.path: child.pk for child in children}
    depth = children[0].depth
    parent_of = {}
    for region in regions:
        row = paths.get(region.path[: depth * Region.steplen])
        if row is not None:
            parent_of[region.pk] = row
    return children, parent_of


def _in_scope(row, scope):
    return all(row[k] == v for k, v in scope.items())


def region_rows(children, parent_of, *, deputy_rows, station_rows, visit_rows, activity_rows, opinion_rows,
                figures):
    """One row per region under the scope (a county's townships, a city's counties): the table of
    the dashboard and the report. Grouped rows are added up into the row of the region they are in."""

    def by_row(rows, column="n"):
        totals = {}
        for row in rows:
            key = parent_of.get(row["township_pk"])
            if key is not None:
                totals[key] = totals.get(key, 0) + row[column]
        return totals

    deputies, stations = by_row(deputy_rows), by_row(station_rows)
    visits, receptions = by_row(visit_rows), by_row(visit_rows, "receptions")
    activities = by_row(activity_rows)
    collected, closed = by_row(opinion_rows, "collected"), by_row(opinion_rows, "closed")
    suggestions = {}
    for row in figures.by_township:
        key = parent_of.get(row["id"])
        if key is not None:
            suggestions.setdefault(key, []).append(row)
    rows = []
    for region in children:
        own = suggestions.get(region.pk, [])
        rows.append({
            "id": region.pk,
            "name": region.name,
            "code": region.code,
            "deputies": deputies.get(region.pk, 0),
            "stations": stations.get(region.pk, 0),
            "visits": visits.get(region.pk, 0),
            "receptions": receptions.get(region.pk, 0),
            "activities": activities.get(region.pk, 0),
            "opinions_collected": collected.get(region.pk, 0),
            "opinions_closed": closed.get(region.pk, 0),
            **suggestion_row(own),
        })
    return rows


SUGGESTION_COUNTS = ("total", "assigned", "replied", "class_a", "evaluated", "satisfied", "ever_replied", "in_time")


def suggestion_row(rows):
    """The suggestions of a table row from the per-township breakdown: the counts added up and the
    rates computed again from them (a rate of rates would weigh a small township as a big one)."""
    counts = with_rates({key: sum(row.get(key) or 0 for row in rows) for key in SUGGESTION_COUNTS})
    return {"suggestions": counts["total"], "assigned": counts["assigned"],
            "completion_rate": counts["completion_rate"], "satisfaction_rate": counts["satisfaction_rate"]}
