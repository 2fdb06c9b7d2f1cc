"""What reads suggestions: list scopes and the figures (办结率, 满意率, 办成率, in-time rate).

`suggestion_figures()` is the one place the figures are computed — by database aggregation — for
the dashboard page, its Excel export, the API and the annual report. Definitions:
- 件数 total: submitted suggestions (not drafts, withdrawn or merged into another);
- 交办 assigned: those assigned to a unit; 答复 replied: those whose reply stands (答复, 测评,
  听证评议, 办结; a suggestion being re-handled is not replied until it is answered again);
- 办结率 = replied / assigned;
- 满意率 = (满意 + 基本满意) / evaluated, on each suggestion's latest evaluation;
- 办成率 = A-class replies (已解决或采纳) / replied, on each suggestion's latest reply;
- 按时答复率 = suggestions every reply of which came within its deadline / suggestions replied
  at least once;
- 逾期 overdue: being handled past the deadline today.

Units and townships with fewer assigned suggestions than the congress's `min_items_to_rank` are
not compared by their rates: their rows say `too_few` and come after the others (the
`ranked_*` and `*_too_few` properties), under “样本不足” (`divisions.ranking`)."""

from dataclasses import dataclass, field
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from divisions.ranking import min_items_to_rank, split_for_ranking
from divisions.scope import scope_for, scope_of
from suggestions.models import (
    ANSWERED,
    HANDLING,
    SATISFIED_RATINGS,
    Hearing,
    Reply,
    ReplyClass,
    State,
    Step,
    Suggestion,
)


def _metrics(today):
    return {
        "total": Count("pk"),
        "assigned": Count("pk", filter=Q(assigned_at__isnull=False)),
        "replied": Count("pk", filter=Q(state__in=ANSWERED)),
        "class_a": Count("pk", filter=Q(state__in=ANSWERED, reply_class=ReplyClass.A)),
        "evaluated": Count("pk", filter=~Q(rating="")),
        "satisfied": Count("pk", filter=Q(rating__in=SATISFIED_RATINGS)),
        "ever_replied": Count("pk", filter=Q(first_replied_at__isnull=False)),
        "in_time": Count("pk", filter=Q(first_replied_at__isnull=False, replied_late=False)),
        "overdue": Count("pk", filter=Q(state__in=HANDLING, deadline__lt=today)),
        "key": Count("pk", filter=Q(is_key=True)),
    }


def _rate(numerator, denominator):
    return round(100 * numerator / denominator, 2) if denominator else None


def with_rates(row):
    row["completion_rate"] = _rate(row["replied"], row["assigned"])
    row["satisfaction_rate"] = _rate(row["satisfied"], row["evaluated"])
    row["success_rate"] = _rate(row["class_a"], row["replied"])
    row["in_time_rate"] = _rate(row["in_time"], row["ever_replied"])
    return row


RATE_LABELS = {
    "completion_rate": _("办结率"),
    "satisfaction_rate": _("满意率"),
    "success_rate": _("办成率"),
    "in_time_rate": _("按时答复率"),
}
COUNT_LABELS = {
    "total": _("建议件数"),
    "assigned": _("已交办"),
    "replied": _("已答复"),
    "class_a": _("A类答复"),
    "evaluated": _("已测评"),
    "satisfied": _("满意和基本满意"),
    "ever_replied": _("答复过"),
    "in_time": _("按时答复"),
    "overdue": _("逾期未答复"),
    "key": _("重点督办"),
}


@dataclass
class Figures:
    totals: dict
    by_state: list
    by_unit: list
    by_category: list
    by_township: list
    overdue: list
    filters: dict = field(default_factory=dict)
    min_items: int = 5

    @property
    def ranked_units(self):
        return [row for row in self.by_unit if not row["too_few"]]

    @property
    def units_too_few(self):
        return [row for row in self.by_unit if row["too_few"]]

    @property
    def ranked_townships(self):
        return [row for row in self.by_township if not row["too_few"]]

    @property
    def townships_too_few(self):
        return [row for row in self.by_township if row["too_few"]]


def scoped_suggestions(*, year=None, session=None, township=None, user=None, region=None):
    """The counted suggestions of a year or a session, optionally one township or region, within
    what `user` may see (None: the whole deployment, for reports)."""
    queryset = Suggestion.objects.visible_to(user) if user is not None else Suggestion.objects.all()
    queryset = queryset.counted()
    if region is not None:
        queryset = queryset.in_scope(scope_for(region))
    if year:
        queryset = queryset.filter(year=year)
    if session:
        queryset = queryset.filter(session=session)
    if township:
        queryset = queryset.filter(township=township)
    return queryset


def _breakdown(queryset, metrics, key, name, order):
    rows = (
        queryset.filter(**{f"{key}__isnull": False})
        .values(key, name)
        .annotate(**metrics)
        .order_by(*order)
    )
    return [with_rates({**row, "id": row.pop(key), "name": row.pop(name)}) for row in rows]


def suggestion_figures(*, year=None, session=None, township=None, user=None, today=None,
                       overdue_limit=200, region=None):
    """All the figures for a year or a session (and optionally a township): totals with the four
    rates, counts by state, and the same columns by lead unit, category and township, plus the
    overdue list. Seven queries whatever the number of suggestions (the seventh: the congress's
    minimum for ranking, `min_items_to_rank`)."""
    today = today or timezone.localdate()
    queryset = scoped_suggestions(year=year, session=session, township=township, user=user, region=region)
    metrics = _metrics(today)
    totals = with_rates(queryset.aggregate(**metrics))
    states = dict(queryset.values_list("state").annotate(n=Count("pk")).order_by())
    by_state = [
        {"state": state.value, "name": state.label, "count": states.get(state.value, 0)}
        for state in State
        if state not in (State.DRAFT, State.WITHDRAWN, State.MERGED)
    ]
    overdue = list(
        queryset.filter(state__in=HANDLING, deadline__lt=today)
        .for_list()
        .order_by("deadline", "pk")[:overdue_limit]
    )
    minimum = min_items_to_rank(region or township or (scope_of(user).region if user is not None else None))
    by_unit = _breakdown(queryset, metrics, "lead_unit_id", "lead_unit__name", ["-assigned", "lead_unit__name"])
    by_township = _breakdown(queryset, metrics, "township_id", "township__name", ["township__sort_order", "township_id"])
    assigned = lambda row: row["assigned"]  # noqa: E731
    return Figures(
        totals=totals,
        by_state=by_state,
        by_unit=sum(split_for_ranking(by_unit, assigned, minimum), []),
        by_category=_breakdown(queryset, metrics, "category_id", "category__name", ["category__sort_order", "category_id"]),
        by_township=sum(split_for_ranking(by_township, assigned, minimum), []),
        overdue=overdue,
        filters={"year": year, "session": session, "township": township, "today": today},
        min_items=minimum,
    )


def figure_years():
    """The years that have suggestions, newest first, with the current year always offered."""
    years = set(Suggestion.objects.counted().exclude(year=None).values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


# --- One suggestion ---------------------------------------------------------------------------

# What a co-unit (协办单位) sees of the timeline besides its own input: the main events only.
CO_UNIT_TIMELINE = {
    Step.SUBMIT, Step.ACCEPT, Step.MERGE, Step.ASSIGN, Step.SUPERVISE, Step.REPLY, Step.EVALUATE,
    Step.CLOSE, Step.HEARING, Step.OVERDUE,
}


def sees_unit_inputs(suggestion, user, unit_id):
    """Co-unit input goes to the lead unit: staff, the lead unit and the co-unit itself see it."""
    if user.role in (Role.ADMIN, Role.STAFF):
        return True
    return user.role == Role.UNIT and user.handling_unit_id in (suggestion.lead_unit_id, unit_id)


def suggestion_parts(suggestion, user):
    """Everything the detail page and the API show of one suggestion, as `user` may see it:
    a co-unit sees its part (the suggestion, the units, replies and its own input), not the lead
    unit's contacts, extensions and progress reports. A fixed number of queries."""
    co_unit_only = user.role == Role.UNIT and user.handling_unit_id != suggestion.lead_unit_id
    timeline = suggestion.timeline.select_related("actor", "actor__handling_unit", "from_congress", "to_congress")
    if co_unit_only:
        timeline = timeline.filter(
            Q(step__in=CO_UNIT_TIMELINE) | Q(step=Step.INPUT, actor__handling_unit_id=user.handling_unit_id)
        )
    timeline = list(timeline)
    for entry in timeline:
        entry.visible_note = entry.note
        if entry.step == Step.INPUT and not sees_unit_inputs(
            suggestion, user, entry.actor.handling_unit_id if entry.actor else None
        ):
            entry.visible_note = ""
    assignments = list(suggestion.assignments.select_related("unit"))
    for assignment in assignments:
        assignment.visible_input = (
            assignment.input if sees_unit_inputs(suggestion, user, assignment.unit_id) else ""
        )
    return {
        "cosigners": list(suggestion.cosigners.select_related("deputy", "deputy__township")),
        "attachments": list(suggestion.attachments.all()),
        "assignments": assignments,
        "co_units": [a.unit for a in assignments if a.role == "co"],
        "replies": list(suggestion.replies.select_related("unit", "evaluation")),
        "contacts": [] if co_unit_only else list(suggestion.contacts.all()),
        "extensions": [] if co_unit_only else list(suggestion.extensions.select_related("unit")),
        "progress": [] if co_unit_only else list(suggestion.progress_reports.all()),
        "hearing": Hearing.objects.filter(suggestion=suggestion).first(),
        "merged": list(suggestion.merged.select_related("session")),
        "timeline": timeline,
    }


def public_replies():
    """Replies staff chose to publish, newest first, for the public page (no personal data)."""
    return (
        Reply.objects.filter(is_public=True)
        .select_related("unit", "suggestion", "suggestion__category", "suggestion__session")
        .order_by("-published_at", "-id")
    )
