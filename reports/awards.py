"""“四最” shortlists: ranked candidates for each award of a year, computed in the database.

- 最美人大代表: the year's points (points.ledger.standings), with the records behind them;
- 最优代表联络站: score = 活动场次×3 + 接待群众人次 + 办结意见数×2;
- 最佳代表建议: replied suggestions; score = A类答复 3 + 满意 2 / 基本满意 1 + 重点督办 2, then
  co-signers;
- 最好办理单位: units with assigned suggestions, by the mean of 按时答复率 and 满意率 (the
  suggestions app's figures), then the number handled.

Deputies, stations and units with fewer than the congress's `min_items_to_rank` items (records
behind the points; activities, visits and closed opinions; assigned suggestions) are not ranked:
each shortlist is a `Ranked` list whose `too_few` holds them, most items first
(`divisions.ranking`). Those with no item at all are not candidates."""

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from divisions.ranking import min_items_to_rank, split_for_ranking
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


class Ranked(list):
    """The ranked rows of a shortlist; `too_few` are those with too few items to be ranked
    (listed after them under “样本不足”, with their counts)."""

    def __init__(self, rows=(), too_few=()):
        super().__init__(rows)
        self.too_few = list(too_few)


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
        township_ids=None if scope.is_whole else scope.region_ids)
    rows = [
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
            "count": sum(row.counts.values()),
        }
        for row in rows
    ]
    ranked, too_few = split_for_ranking([r for r in rows if r["count"]], lambda r: r.pop("count"),
                                        min_items_to_rank(region))
    previous, rank = None, 0
    for position, row in enumerate(ranked, start=1):  # ranks among the ranked: 1, 2, 2, 4
        if row["score"] != previous:
            rank, previous = position, row["score"]
        row["rank"] = rank
    for row in too_few:
        row["rank"] = None
    return Ranked(ranked[:limit], too_few[:limit])


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
    stations = stations.annotate(items=Coalesce("activity_n", 0) + Coalesce("visit_n", 0) + Coalesce("closed_n", 0))
    minimum = min_items_to_rank(region)

    def row(s):
        return {"id": s.pk, "name": s.name, "detail": s.township.name, "score": s.score, "items": s.items,
                "too_few": s.items < minimum, "columns": [s.activity_n, s.visit_n, s.reception_n, s.closed_n]}

    ranked = stations.filter(items__gte=minimum).order_by("-score", "-visit_n", "pk")[:limit]
    too_few = stations.filter(items__gt=0, items__lt=minimum).order_by("-items", "-score", "pk")[:limit]
    return Ranked([row(s) for s in ranked], [row(s) for s in too_few])


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
    # One suggestion is one item: nothing to hold back.
    return Ranked(
        {"id": s.pk, "name": f"{s.code} {s.title}", "detail": s.lead_deputy.name, "score": s.score,
         "columns": [s.reply_class or "—", s.get_rating_display() or "—", "是" if s.is_key else "否", s.cosigner_n]}
        for s in suggestions
    )


def best_units(year, region=None, limit=SHORTLIST_SIZE):
    rows = [r for r in suggestion_figures(year=year, region=region).by_unit if r["assigned"]]

    def score(row):
        rates = [r for r in (row["in_time_rate"], row["satisfaction_rate"]) if r is not None]
        return round(sum(rates) / 2, 2) if rates else 0

    ranked, too_few = split_for_ranking(rows, lambda r: r["assigned"], min_items_to_rank(region))
    ranked.sort(key=lambda r: (-score(r), -r["replied"], r["name"]))

    def row(r):
        return {"id": r["id"], "name": r["name"], "detail": "", "score": score(r), "items": r["assigned"],
                "too_few": r["too_few"], "columns": [r["assigned"], r["replied"], r["in_time_rate"], r["satisfaction_rate"]]}

    return Ranked([row(r) for r in ranked[:limit]], [row(r) for r in too_few])


SHORTLISTS = {
    AwardKind.BEST_DEPUTY: (best_deputies, ["进站次数", "接待人次", "领衔建议", "参加活动"], "年度积分"),
    AwardKind.BEST_STATION: (best_stations, ["活动场次", "进站人次", "接待人次", "办结意见"], "综合得分"),
    AwardKind.BEST_SUGGESTION: (best_suggestions, ["答复类别", "测评", "重点督办", "附议人数"], "综合得分"),
    AwardKind.BEST_UNIT: (best_units, ["交办件数", "已答复", "按时答复率%", "满意率%"], "得分"),
}


def shortlist(kind, year, region=None):
    """(rows, column headers, score header) for one award within a region (None: the whole
    deployment); rows already given are marked. `rows` is a `Ranked` list: `rows.too_few` are
    those with too few items to be ranked."""
    function, headers, score_header = SHORTLISTS[kind]
    rows = function(year, region)
    subject = {"best_deputy": "deputy_id", "best_station": "station_id",
               "best_suggestion": "suggestion_id", "best_unit": "unit_id"}[kind]
    given = set(Award.objects.filter(year=year, kind=kind).values_list(subject, flat=True))
    for row in [*rows, *rows.too_few]:
        row["awarded"] = row["id"] in given
    return rows, headers, score_header
