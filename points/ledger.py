"""The one computation of 履职积分: points derived from the records with the year's rules.

Each `Event` has a `Source`: the records that earn it (visits, receptions, attended activities,
suggestions, session attendance, missed duty shifts …), the lookup of their deputy and of their
date. Two readings share it:

- `standings(year)`: every active deputy's total, points by event and rank. One aggregate query
  (per event a COUNT grouped by deputy in the database, joined by UNION ALL) plus the rules and
  the deputies: a fixed number of queries whatever the number of deputies or records. Pages, the API, the awards
  shortlist, the group summaries and the annual report all read it.
- `ledger(deputy, year)`: the same points record by record, each line naming its record
  (content type and id, a link), for the deputy's page and dossier. Its lines add up to the
  deputy's total in `standings`. A fixed number of queries too (one lists the records of every
  event, then one per kind of record).

A yearly cap bounds what one deputy gets from one event: records count in date order until the
cap is reached; the rest are listed with 0 points ("已达年度上限"). Deductions work the same
way with negative points."""

from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, DateTimeField, Exists, F, OuterRef, Q, Value, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from deputies.models import Deputy, SessionAttendance
from points.models import DEFAULT_RULES, Event, PointRule
from stations.models import Activity, ActivitySignup, DutyAssignment, MaterialRead, Reception, Visit
from suggestions.models import ANSWERED, Cosigner, ReplyClass, Suggestion

# Activity kinds that have an event of their own; every other attended kind is "参加活动".
TRAINING_KINDS = (Activity.Kind.TRAINING,)
REPORT_KINDS = (Activity.Kind.REPORT,)


def _best_suggestion_awarded():
    """Suggestions awarded 最佳代表建议 (reports.Award), looked up by name: the awards live in the
    reports app, which reads points, so points does not import it."""
    Award = apps.get_model("reports", "Award")
    return Exists(Award.objects.filter(suggestion=OuterRef("pk"), kind="best_suggestion"))


@dataclass(frozen=True)
class Source:
    event: str
    model: type
    deputy: str  # lookup of the deputy's id on the record
    day: str  # lookup of the record's date (a DateField or a DateTimeField)
    related: tuple = ()
    year_field: str = ""  # a year column to filter by instead of the date's year


    def _day_field_is_datetime(self):
        model, parts = self.model, self.day.split("__")
        for part in parts[:-1]:
            model = model._meta.get_field(part).related_model
        return isinstance(model._meta.get_field(parts[-1]), DateTimeField)

    def records(self, year, until=None, today=None):
        """The records of `year` (up to `until`) that earn this event's points."""
        queryset = self.base(today=today).filter(**{self.year_field or f"{self.day}__year": year})
        if until is not None:
            lookup = f"{self.day}__date" if self._day_field_is_datetime() else self.day
            queryset = queryset.filter(**{f"{lookup}__lte": until})
        return queryset

    def base(self, today=None):
        return _BASES[self.event](today or timezone.localdate())

    def date_of(self, record):
        value = record
        for part in self.day.split("__"):
            value = getattr(value, part)
        return timezone.localtime(value).date() if hasattr(value, "tzinfo") and hasattr(value, "hour") else value


def _attended(kind_filter):
    return lambda today: ActivitySignup.objects.filter(
        kind_filter,
        cancelled_at__isnull=True,
        attendance=ActivitySignup.Attendance.ATTENDED,
        activity__status=Activity.Status.PUBLISHED,
    )


_BASES = {
    Event.SESSION_PRESENT: lambda today: SessionAttendance.objects.filter(status=SessionAttendance.Status.PRESENT),
    Event.SESSION_ABSENT: lambda today: SessionAttendance.objects.filter(status=SessionAttendance.Status.ABSENT),
    Event.SUGGESTION_LEAD: lambda today: Suggestion.objects.counted().filter(submitted_at__isnull=False),
    Event.SUGGESTION_COSIGN: lambda today: Cosigner.objects.filter(
        confirmed_at__isnull=False,
        suggestion__in=Suggestion.objects.counted().filter(submitted_at__isnull=False).values("pk"),
    ),
    Event.SUGGESTION_BONUS: lambda today: Suggestion.objects.counted()
    .filter(submitted_at__isnull=False)
    .filter(Q(state__in=ANSWERED, reply_class=ReplyClass.A) | Q(_best_suggestion_awarded())),
    Event.VISIT: lambda today: Visit.objects.all(),
    Event.RECEPTION: lambda today: Reception.objects.all(),
    Event.ACTIVITY: _attended(~Q(activity__kind__in=TRAINING_KINDS + REPORT_KINDS)),
    Event.TRAINING: _attended(Q(activity__kind__in=TRAINING_KINDS)),
    Event.REPORT_TO_VOTERS: _attended(Q(activity__kind__in=REPORT_KINDS)),
    Event.MATERIAL_READ: lambda today: MaterialRead.objects.all(),
    Event.DUTY_MISSED: lambda today: DutyAssignment.objects.missed(today),
}

SOURCES = {
    Event.SESSION_PRESENT: Source(Event.SESSION_PRESENT, SessionAttendance, "deputy_id", "session__start_date", ("session",)),
    Event.SESSION_ABSENT: Source(Event.SESSION_ABSENT, SessionAttendance, "deputy_id", "session__start_date", ("session",)),
    Event.SUGGESTION_LEAD: Source(Event.SUGGESTION_LEAD, Suggestion, "lead_deputy_id", "submitted_at", ("session",), "year"),
    Event.SUGGESTION_COSIGN: Source(
        Event.SUGGESTION_COSIGN, Cosigner, "deputy_id", "suggestion__submitted_at", ("suggestion", "suggestion__session"),
        "suggestion__year",
    ),
    Event.SUGGESTION_BONUS: Source(Event.SUGGESTION_BONUS, Suggestion, "lead_deputy_id", "submitted_at", ("session",), "year"),
    Event.VISIT: Source(Event.VISIT, Visit, "deputy_id", "date", ("station",)),
    Event.RECEPTION: Source(Event.RECEPTION, Reception, "visit__deputy_id", "visit__date", ("visit", "visit__station", "category")),
    Event.ACTIVITY: Source(Event.ACTIVITY, ActivitySignup, "deputy_id", "activity__starts_at", ("activity",)),
    Event.TRAINING: Source(Event.TRAINING, ActivitySignup, "deputy_id", "activity__starts_at", ("activity",)),
    Event.REPORT_TO_VOTERS: Source(Event.REPORT_TO_VOTERS, ActivitySignup, "deputy_id", "activity__starts_at", ("activity",)),
    Event.MATERIAL_READ: Source(Event.MATERIAL_READ, MaterialRead, "deputy_id", "read_at", ("material",)),
    Event.DUTY_MISSED: Source(Event.DUTY_MISSED, DutyAssignment, "deputy_id", "shift__date", ("shift", "shift__station")),
}


def describe(event, record):
    """What the record was, in a line, and a link to it (or "")."""
    if event in (Event.SESSION_PRESENT, Event.SESSION_ABSENT):
        return str(record.session), ""
    if event in (Event.SUGGESTION_LEAD, Event.SUGGESTION_BONUS):
        return f"{record.code} {record.title}", reverse("suggestions:detail", args=[record.pk])
    if event == Event.SUGGESTION_COSIGN:
        suggestion = record.suggestion
        return f"{suggestion.code} {suggestion.title}", reverse("suggestions:detail", args=[suggestion.pk])
    if event == Event.VISIT:
        return str(record.station), reverse("stations:visit_detail", args=[record.pk])
    if event == Event.RECEPTION:
        return f"{record.visit.station} · {record.category}", reverse("stations:visit_detail", args=[record.visit_id])
    if event in (Event.ACTIVITY, Event.TRAINING, Event.REPORT_TO_VOTERS):
        return record.activity.title, reverse("stations:activity_detail", args=[record.activity_id])
    if event == Event.MATERIAL_READ:
        return record.material.title, reverse("stations:material_detail", args=[record.material_id])
    if event == Event.DUTY_MISSED:
        return str(record.shift.station), ""
    return str(record), ""


# --- Rules ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    event: str
    points: int
    cap: int | None

    @property
    def label(self):
        return Event(self.event).label

    def next_points(self, so_far):
        """The points of one more record when `so_far` points were already counted this year:
        the rule's points until the cap is reached, then 0."""
        if self.cap is None:
            return self.points
        room = max(0, self.cap - abs(so_far))
        return min(abs(self.points), room) * (1 if self.points >= 0 else -1)

    def capped(self, count):
        """Points for `count` records: count × points, bounded by the cap (in absolute value)."""
        raw = count * self.points
        if self.cap is None:
            return raw
        return max(raw, -self.cap) if raw < 0 else min(raw, self.cap)


def rules_for(year):
    """The year's active rules: what staff saved for the year, the defaults for the rest."""
    saved = {r.event: r for r in PointRule.objects.filter(year=year)}
    rules = []
    for event in Event:
        if event in saved:
            rule = saved[event]
            if rule.is_active:
                rules.append(Rule(event.value, rule.points, rule.yearly_cap))
        else:
            points, cap = DEFAULT_RULES[event]
            rules.append(Rule(event.value, points, cap))
    return rules


# --- Standings ----------------------------------------------------------------------------------


@dataclass
class Standing:
    deputy_id: int
    name: str
    township_id: int
    township: str
    group_id: int | None
    group: str
    level: str
    total: int = 0
    by_event: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    rank: int = 0


@dataclass
class Standings:
    year: int
    until: date | None
    rules: list
    rows: list  # Standing, best first

    def __post_init__(self):
        self.by_deputy = {row.deputy_id: row for row in self.rows}

    def of(self, deputy_id):
        return self.by_deputy.get(deputy_id)

    def filter(self, *, township_id=None, group_id=None, township_ids=None):
        """The rows of a township, a group, or a set of townships (a user's scope), keeping the
        ranks of the whole table."""
        rows = self.rows
        if township_ids is not None:
            township_ids = set(township_ids)
            rows = [r for r in rows if r.township_id in township_ids]
        if township_id:
            rows = [r for r in rows if r.township_id == township_id]
        if group_id:
            rows = [r for r in rows if r.group_id == group_id]
        return rows

    @property
    def total_points(self):
        return sum(row.total for row in self.rows)

    @property
    def average(self):
        return round(self.total_points / len(self.rows), 1) if self.rows else 0


def event_counts(year, *, until=None, today=None, events=None):
    """{event: {deputy_id: number of records}} — one query: a GROUP BY per event, joined with
    UNION ALL."""
    events = list(events or Event)
    result = {event: {} for event in events}
    parts = [
        SOURCES[event].records(year, until=until, today=today)
        .order_by()
        .values(points_deputy=F(SOURCES[event].deputy))
        .annotate(n=Count("pk"), points_event=Value(str(event), output_field=CharField()))
        .values_list("points_event", "points_deputy", "n")
        for event in events
    ]
    if not parts:
        return result
    for event, deputy_id, n in parts[0].union(*parts[1:], all=True):
        result[event][deputy_id] = n
    return result


def standings(year, *, until=None, today=None, under=None):
    """Every active deputy's points for `year` (records up to `until`), ranked: equal totals
    share a rank (1, 2, 2, 4). Given the path of a region (`under`), its deputies ranked among
    themselves (a county's within the county, not the city). A fixed number of queries."""
    rules = rules_for(year)
    counts = event_counts(year, until=until, today=today, events=[r.event for r in rules])
    deputies = Deputy.objects.active()
    if under is not None:
        deputies = deputies.filter(township__path__startswith=under)
    deputies = deputies.order_by("search_keys", "pk").values_list(
        "pk", "name", "township_id", "township__name", "group_id", "group__name", "level"
    )
    rows = []
    for pk, name, township_id, township, group_id, group, level in deputies:
        row = Standing(pk, name, township_id, township, group_id, group or "", level)
        for rule in rules:
            n = counts[rule.event].get(pk, 0)
            if n:
                row.counts[rule.event] = n
                row.by_event[rule.event] = rule.capped(n)
        row.total = sum(row.by_event.values())
        rows.append(row)
    rows.sort(key=lambda r: -r.total)  # stable: ties stay in name order
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row.total != previous:
            rank, previous = position, row.total
        row.rank = rank
    return Standings(year=year, until=until, rules=rules, rows=rows)


# --- The ledger of one deputy --------------------------------------------------------------------


@dataclass
class PointEntry:
    """One record's points: the event, the record (content type and id), its date, a line
    describing it, a link to it, and whether the yearly cap cut it."""

    event: str
    label: str
    content_type: str
    object_id: int
    day: date
    text: str
    url: str
    points: int
    capped: bool = False


def ledger(deputy, year, *, until=None, today=None, rules=None, known=()):
    """Every point of `deputy` in `year`, record by record, in event order then date order.

    A fixed number of queries however many events and records: the rules (unless the caller
    has them, e.g. from `standings`), one query naming each record of each event in date order
    (a UNION ALL over the events, numbered by a window), then one query per kind of record that
    has any and that the caller has not already loaded. `known` are records the caller holds
    with the related rows `describe` reads (the dossier's visits, activities, suggestions …)."""
    rules = rules_for(year) if rules is None else rules
    parts = [
        SOURCES[rule.event].records(year, until=until, today=today)
        .filter(**{SOURCES[rule.event].deputy: deputy.pk})
        .order_by()
        .annotate(
            points_event=Value(rule.event, output_field=CharField()),
            position=Window(RowNumber(), order_by=[F(SOURCES[rule.event].day).asc(), F("pk").asc()]),
        )
        .values_list("points_event", "pk", "position")
        for rule in rules
    ]
    if not parts:
        return []
    order = {rule.event: index for index, rule in enumerate(rules)}
    found = sorted(parts[0].union(*parts[1:], all=True), key=lambda row: (order[row[0]], row[2]))
    records = _load_records(found, known)
    content_types = ContentType.objects.get_for_models(*{SOURCES[event].model for event, _pk, _position in found})
    by_event = {rule.event: rule for rule in rules}
    entries, running = [], {}
    for event, pk, _position in found:
        rule, source = by_event[event], SOURCES[event]
        record = records[source.model, pk]
        points = rule.next_points(running.get(event, 0))
        running[event] = running.get(event, 0) + points
        content_type = content_types[source.model]
        text, url = describe(event, record)
        entries.append(
            PointEntry(
                event=event,
                label=rule.label,
                content_type=f"{content_type.app_label}.{content_type.model}",
                object_id=pk,
                day=source.date_of(record),
                text=text,
                url=url,
                points=points,
                capped=points != rule.points,
            )
        )
    return entries


def _load_records(found, known):
    """{(model, pk): record} for the (event, pk) rows found: the known records, and the rest
    with one query per model, joined to what `describe` and `date_of` read."""
    records = {(type(record), record.pk): record for record in known}
    wanted, related = {}, {}
    for event, pk, _position in found:
        source = SOURCES[event]
        related.setdefault(source.model, set()).update(source.related)
        if (source.model, pk) not in records:
            wanted.setdefault(source.model, set()).add(pk)
    for model, pks in wanted.items():
        for record in model._default_manager.filter(pk__in=pks).select_related(*sorted(related[model])):
            records[model, record.pk] = record
    return records
