"""The year's figures of the whole portal, for the dashboard, its API and the annual report.

`year_figures(year, township=None)` is the one place they are computed — by database
aggregation, a fixed number of queries whatever the size of the county — so the dashboard and
the report always say the same. The suggestion figures (办结率, 满意率, 办成率, 按时答复率) come
from `suggestions.selectors.suggestion_figures`, the suggestions app's own definitions."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import Coalesce, ExtractMonth

from core.caching import get_or_build
from deputies.models import Deputy
from divisions.models import Township
from opinions.models import FINAL_STATES, Opinion
from stations.models import Activity, ActivitySignup, Reception, Station, Visit
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


def _by_month(queryset, date_field):
    counts = dict(
        queryset.order_by().annotate(m=ExtractMonth(date_field)).values_list("m").annotate(n=Count("pk"))
    )
    return [counts.get(month, 0) for month in MONTHS]


def _by_township(queryset, township_field):
    return dict(queryset.order_by().values_list(township_field).annotate(n=Count("pk")))


def shared_for_dashboard(key, build):
    """`build()` computed once for every staff member asking for the same `key` within
    DASHBOARD_CACHE_SECONDS (60), then afresh (0: every time). For the dashboard: a city's year
    is some thirty aggregate queries over every app's tables and a page of tiles, charts and
    tables, the same for everyone looking at the same year and scope. The annual report and the
    API compute afresh."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return build()
    return get_or_build(key, build, seconds)


def year_figures(year, township=None):
    """Every figure of `year` for the county or one township. About twenty queries."""
    scope = {"township": township} if township else {}
    deputies = Deputy.objects.active().filter(**scope)
    stations = Station.objects.active().filter(**scope)
    visits = Visit.objects.filter(date__year=year)
    receptions = Reception.objects.filter(visit__date__year=year)
    opinions = Opinion.objects.filter(created_at__year=year)
    activities = Activity.objects.filter(starts_at__year=year, status=Activity.Status.PUBLISHED).annotate(
        township_key=Coalesce("township_id", "station__township_id")
    )
    signups = ActivitySignup.objects.filter(
        activity__in=activities.values("pk"), cancelled_at__isnull=True
    )
    if township:
        visits = visits.filter(station__township=township)
        receptions = receptions.filter(visit__station__township=township)
        opinions = opinions.filter(station__township=township)
        activities = activities.filter(township_key=township.pk)
        signups = ActivitySignup.objects.filter(activity__in=activities.values("pk"), cancelled_at__isnull=True)

    kinds = dict(stations.order_by().values_list("kind").annotate(n=Count("pk")))
    levels = dict(deputies.order_by().values_list("level").annotate(n=Count("pk")))
    activity_kinds = dict(activities.order_by().values_list("kind").annotate(n=Count("pk")))
    signup_totals = signups.aggregate(
        signups=Count("pk"), attended=Count("pk", filter=Q(attendance=ActivitySignup.Attendance.ATTENDED))
    )
    closed = Q(state__in=FINAL_STATES)
    opinion_totals = opinions.aggregate(collected=Count("pk"), closed=Count("pk", filter=closed))
    opinion_months = {
        row["m"]: row
        for row in opinions.order_by().annotate(m=ExtractMonth("created_at")).values("m").annotate(
            collected=Count("pk"), closed=Count("pk", filter=closed)
        )
    }
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
        visits=visits.count(),
        receptions=receptions.count(),
        visits_by_month=_by_month(visits, "date"),
        receptions_by_month=_by_month(receptions, "visit__date"),
        activities=sum(activity_kinds.values()),
        activities_by_kind=[
            {"kind": value, "name": str(label), "count": activity_kinds.get(value, 0)}
            for value, label in Activity.Kind.choices
        ],
        signups=signup_totals["signups"],
        attended=signup_totals["attended"],
        opinions_collected=opinion_totals["collected"],
        opinions_closed=opinion_totals["closed"],
        opinions_by_month=[
            {"month": m, "collected": opinion_months.get(m, {}).get("collected", 0),
             "closed": opinion_months.get(m, {}).get("closed", 0)}
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
    result.townships = township_rows(year, township, visits, receptions, opinions, activities, figures)
    return result


def township_rows(year, township, visits, receptions, opinions, activities, figures):
    """One row per township (or the one township): the table of the dashboard and the report."""
    townships = [township] if township else list(Township.objects.order_by("sort_order", "pk"))
    deputies = _by_township(Deputy.objects.active(), "township_id")
    stations = _by_township(Station.objects.active(), "township_id")
    visit_counts = _by_township(visits, "station__township_id")
    reception_counts = _by_township(receptions, "visit__station__township_id")
    activity_counts = dict(activities.order_by().values_list("township_key").annotate(n=Count("pk")))
    opinion_counts = {
        row["station__township_id"]: row
        for row in opinions.order_by().values("station__township_id").annotate(
            collected=Count("pk"), closed=Count("pk", filter=Q(state__in=FINAL_STATES))
        )
    }
    suggestion_rows = {row["id"]: row for row in figures.by_township}
    rows = []
    for t in townships:
        opinion = opinion_counts.get(t.pk, {})
        suggestion = suggestion_rows.get(t.pk, {})
        rows.append({
            "id": t.pk,
            "name": t.name,
            "deputies": deputies.get(t.pk, 0),
            "stations": stations.get(t.pk, 0),
            "visits": visit_counts.get(t.pk, 0),
            "receptions": reception_counts.get(t.pk, 0),
            "activities": activity_counts.get(t.pk, 0),
            "opinions_collected": opinion.get("collected", 0),
            "opinions_closed": opinion.get("closed", 0),
            "suggestions": suggestion.get("total", 0),
            "completion_rate": suggestion.get("completion_rate"),
            "satisfaction_rate": suggestion.get("satisfaction_rate"),
        })
    return rows
