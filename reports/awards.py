"""“四最” shortlists: ranked candidates for each award of a year, computed in the database.

- 最美人大代表: the year's points (points.ledger.standings), with the records behind them;
- 最优代表联络站: score = 活动场次×3 + 接待群众人次 + 办结意见数×2;
- 最佳代表建议: replied suggestions; score = A类答复 3 + 满意 2 / 基本满意 1 + 重点督办 2, then
  co-signers;
- 最好办理单位: units with assigned suggestions, by the mean of 按时答复率 and 满意率 (the
  suggestions app's figures), then the number handled."""

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from divisions.scope import county_path, in_scope, scope_for
from opinions.models import State as OpinionState
from points.ledger import standings
from points.models import Event
from reports.models import Award, AwardKind
from stations.models import Activity, Reception, Station, Visit
from opinions.models import Opinion
from suggestions.models import ANSWERED, Rating, ReplyClass, Suggestion
from suggestions.selectors import suggestion_figures

SHORTLIST_SIZE = 20


def _count(queryset, key):
    return Coalesce(
        Subquery(
            queryset.filter(**{key: OuterRef("pk")}).order_by().values(key).annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def best_deputies(year, region=None, limit=SHORTLIST_SIZE):
    scope = scope_for(region)
    rows = standings(year, under=county_path(region)).filter(
        township_ids=None if scope.is_whole else scope.region_ids)[:limit]
    return [
        {
            "id": row.deputy_id,
            "name": row.name,
            "detail": row.township,
            "score": row.total,
            "rank": row.rank,
            "columns": [
                row.counts.get(Event.VISIT, 0),
                row.counts.get(Event.RECEPTION, 0),
                row.counts.get(Event.SUGGESTION_LEAD, 0),
                row.counts.get(Event.ACTIVITY, 0) + row.counts.get(Event.TRAINING, 0),
            ],
        }
        for row in rows
    ]


def best_stations(year, region=None, limit=SHORTLIST_SIZE):
    stations = Station.objects.active().select_related("township").filter(in_scope(scope_for(region), "township"))
    stations = stations.annotate(
        activity_n=_count(Activity.objects.filter(starts_at__year=year, status=Activity.Status.PUBLISHED), "station"),
        visit_n=_count(Visit.objects.filter(date__year=year), "station"),
        reception_n=_count(Reception.objects.filter(visit__date__year=year), "visit__station"),
        closed_n=_count(
            Opinion.objects.filter(closed_at__year=year, state=OpinionState.CLOSED), "station"
        ),
    ).annotate(score=Value(3) * Coalesce("activity_n", 0) + Coalesce("reception_n", 0) + Value(2) * Coalesce("closed_n", 0))
    stations = stations.order_by("-score", "-visit_n", "pk")[:limit]
    return [
        {"id": s.pk, "name": s.name, "detail": s.township.name, "score": s.score,
         "columns": [s.activity_n, s.visit_n, s.reception_n, s.closed_n]}
        for s in stations
    ]


def best_suggestions(year, region=None, limit=SHORTLIST_SIZE):
    suggestions = Suggestion.objects.counted().filter(year=year, state__in=ANSWERED).select_related(
        "lead_deputy", "lead_unit", "session"
    ).in_scope(scope_for(region))
    suggestions = suggestions.annotate(
        cosigner_n=Count("cosigners", filter=Q(cosigners__confirmed_at__isnull=False)),
        score=Case(When(reply_class=ReplyClass.A, then=3), default=0)
        + Case(When(rating=Rating.SATISFIED, then=2), When(rating=Rating.BASIC, then=1), default=0)
        + Case(When(is_key=True, then=2), default=0),
    ).order_by("-score", "-cosigner_n", "pk")[:limit]
    return [
        {"id": s.pk, "name": f"{s.code} {s.title}", "detail": s.lead_deputy.name, "score": s.score,
         "columns": [s.reply_class or "—", s.get_rating_display() or "—", "是" if s.is_key else "否", s.cosigner_n]}
        for s in suggestions
    ]


def best_units(year, region=None, limit=SHORTLIST_SIZE):
    rows = [r for r in suggestion_figures(year=year, region=region).by_unit if r["assigned"]]

    def score(row):
        rates = [r for r in (row["in_time_rate"], row["satisfaction_rate"]) if r is not None]
        return round(sum(rates) / 2, 2) if rates else 0

    rows.sort(key=lambda r: (-score(r), -r["replied"], r["name"]))
    return [
        {"id": r["id"], "name": r["name"], "detail": "", "score": score(r),
         "columns": [r["assigned"], r["replied"], r["in_time_rate"], r["satisfaction_rate"]]}
        for r in rows[:limit]
    ]


SHORTLISTS = {
    AwardKind.BEST_DEPUTY: (best_deputies, ["进站次数", "接待人次", "领衔建议", "参加活动"], "年度积分"),
    AwardKind.BEST_STATION: (best_stations, ["活动场次", "进站人次", "接待人次", "办结意见"], "综合得分"),
    AwardKind.BEST_SUGGESTION: (best_suggestions, ["答复类别", "测评", "重点督办", "附议人数"], "综合得分"),
    AwardKind.BEST_UNIT: (best_units, ["交办件数", "已答复", "按时答复率%", "满意率%"], "得分"),
}


def shortlist(kind, year, region=None):
    """(rows, column headers, score header) for one award within a region (None: the whole
    deployment); rows already given are marked."""
    function, headers, score_header = SHORTLISTS[kind]
    rows = function(year, region)
    subject = {"best_deputy": "deputy_id", "best_station": "station_id",
               "best_suggestion": "suggestion_id", "best_unit": "unit_id"}[kind]
    given = set(Award.objects.filter(year=year, kind=kind).values_list(subject, flat=True))
    for row in rows:
        row["awarded"] = row["id"] in given
    return rows, headers, score_header
