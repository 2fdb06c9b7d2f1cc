"""The year's figures of the whole portal, for the dashboard, its API and the annual report.

`year_figures(year, township=None)` is the one place they are computed — by database
aggregation, a fixed number of queries whatever the size of the county — so the dashboard and
the report always say the same. The suggestion figures (办结率, 满意率, 办成率, 按时答复率) come
from `suggestions.selectors.suggestion_figures`, the suggestions app's own definitions."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, ExtractMonth

from core.caching import get_or_build
from deputies.models import Deputy
from divisions.models import Township
from opinions.models import FINAL_STATES, Opinion
from stations.models import Activity, ActivitySignup, Station, Visit
from suggestions.selectors import suggestion_figures
from votes.models import Candidate, VoteStatus

MONTHS = list(range(1, 13))


def rate(numerator, denominator):
    return round(100 * numerator / denominator, 2) if denominator else None


@dataclass
class YearFigures:
    year: int
    township: object  # a Township or None (the county)
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
    projects: list  # elected projects with progress
    townships: list = field(default_factory=list)  # one row per township

    @property
    def scope_name(self):
        return self.township.name if self.township else None

    @property
    def opinion_close_rate(self):
        return rate(self.opinions_closed, self.opinions_collected)

    @property
    def projects_completed(self):
        return sum(1 for p in self.projects if p["completed"])

    @property
    def project_budget(self):
        return sum(p["budget"] or 0 for p in self.projects)

    def as_json(self):
        """Plain data for the API and the charts."""
        totals = self.suggestions.totals
        return {
            "year": self.year,
            "township": self.township.pk if self.township else None,
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
                                     "satisfaction_rate", "success_rate", "in_time_rate")}
                for row in self.suggestions.by_unit
            ],
            "projects": [{**p, "budget": float(p["budget"]) if p["budget"] is not None else None} for p in self.projects],
            "townships": self.townships,
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


def year_figures(year, township=None):
    """Every figure of `year` for the county or one township. Thirteen queries: each table is
    grouped once by everything the dashboard breaks it down by (month, township, kind), and the
    totals, months and township rows are added up from those groups."""
    scope = {"township_pk": township.pk} if township else {}
    visits = Visit.objects.filter(date__year=year)
    opinions = Opinion.objects.filter(created_at__year=year)
    activities = Activity.objects.filter(starts_at__year=year, status=Activity.Status.PUBLISHED).annotate(
        township_key=Coalesce("township_id", "station__township_id")
    )
    if township:
        visits = visits.filter(station__township=township)
        opinions = opinions.filter(station__township=township)
        activities = activities.filter(township_key=township.pk)

    # Registers: every township (the township table lists them all), the scope's totals from them.
    deputy_rows = _grouped(Deputy.objects.active().values("level", township_pk=F("township_id")), n=Count("pk"))
    station_rows = _grouped(Station.objects.active().values("kind", township_pk=F("township_id")), n=Count("pk"))
    levels = _sums_by([r for r in deputy_rows if _in_scope(r, scope)], "level")
    kinds = _sums_by([r for r in station_rows if _in_scope(r, scope)], "kind")
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
    figures = suggestion_figures(year=year, township=township)
    projects = (
        Candidate.objects.filter(
            elected=True, vote__year=year,
            vote__status__in=(VoteStatus.PUBLISHED, VoteStatus.IMPLEMENTING, VoteStatus.EVALUATED),
        )
        .select_related("vote", "vote__township", "responsible_unit")
        .order_by("vote__township__sort_order", "vote_id", "rank", "number")
    )
    if township:
        projects = projects.filter(Q(vote__township=township) | Q(vote__township__isnull=True))

    result = YearFigures(
        year=year,
        township=township,
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
        projects=[
            {
                "id": p.pk,
                "title": p.title,
                "scope": str(p.vote.scope_name),
                "unit": p.responsible_unit.name if p.responsible_unit_id else "",
                "budget": p.budget,
                "percent": p.progress_percent,
                "completed": p.completed_on is not None,
                "planned_completion": p.planned_completion.isoformat() if p.planned_completion else None,
            }
            for p in projects
        ],
    )
    townships = [township] if township else list(Township.objects.order_by("sort_order", "pk"))
    result.townships = township_rows(
        townships, deputy_rows=deputy_rows, station_rows=station_rows, visit_rows=visit_rows,
        activity_rows=activity_rows, opinion_rows=opinion_rows, figures=figures,
    )
    return result


def _in_scope(row, scope):
    return all(row[k] == v for k, v in scope.items())


def township_rows(townships, *, deputy_rows, station_rows, visit_rows, activity_rows, opinion_rows, figures):
    """One row per township (or the one township): the table of the dashboard and the report."""
    deputies = _sums_by(deputy_rows, "township_pk")
    stations = _sums_by(station_rows, "township_pk")
    visits = _sums_by(visit_rows, "township_pk")
    receptions = _sums_by(visit_rows, "township_pk", "receptions")
    activities = _sums_by(activity_rows, "township_pk")
    collected = _sums_by(opinion_rows, "township_pk", "collected")
    closed = _sums_by(opinion_rows, "township_pk", "closed")
    suggestion_rows = {row["id"]: row for row in figures.by_township}
    rows = []
    for t in townships:
        suggestion = suggestion_rows.get(t.pk, {})
        rows.append({
            "id": t.pk,
            "name": t.name,
            "deputies": deputies.get(t.pk, 0),
            "stations": stations.get(t.pk, 0),
            "visits": visits.get(t.pk, 0),
            "receptions": receptions.get(t.pk, 0),
            "activities": activities.get(t.pk, 0),
            "opinions_collected": collected.get(t.pk, 0),
            "opinions_closed": closed.get(t.pk, 0),
            "suggestions": suggestion.get("total", 0),
            "completion_rate": suggestion.get("completion_rate"),
            "satisfaction_rate": suggestion.get("satisfaction_rate"),
        })
    return rows
