"""The monthly duty roster (逢6进站排班).

The planning is pure (dates from a rule and holidays; deputies picked by whose last turn is
oldest) so its rules can be tested as properties; `schedule_month` feeds it from the database
with a fixed number of queries and writes the result in two bulk inserts.

Fairness: every turn at a station goes to the available member whose last turn there is the
oldest (never-served members first, in membership order). With a steady membership that is a
round robin, so in any run of consecutive turns (any 12 months) members' counts differ by at
most one. Existing shifts are never changed: running a month again creates nothing, and shifts
that staff swapped by hand stay as they are."""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.registry import log
from core import calendar
from stations.permissions import configure_duty
from core.exceptions import DomainError
from deputies.models import Deputy
from stations.public import invalidate_station_pages
from stations.models import (
    DutyAssignment,
    DutyRule,
    DutyShift,
    ScheduledMonth,
    Station,
    StationMembership,
    Unavailability,
    default_duty_rule,
)

# Turns are numbered date.toordinal() * SLOT_SPAN + position on the shift.
SLOT_SPAN = 32


def slot_for(day, position):
    return day.toordinal() * SLOT_SPAN + position


def month_bounds(year, month):
    start = date(year, month, 1)
    return start, start + timedelta(days=monthrange(year, month)[1])


def add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse_month(text):
    """'2026-11' -> (2026, 11); DomainError with a Chinese message otherwise."""
    try:
        year, month = (int(part) for part in str(text).strip().split("-"))
        date(year, month, 1)
    except (ValueError, TypeError):
        raise DomainError(_("月份格式应为 YYYY-MM，例如 2026-11。")) from None
    if not 2000 <= year <= 2100:
        raise DomainError(_("月份格式应为 YYYY-MM，例如 2026-11。"))
    return year, month


# --- Pure planning --------------------------------------------------------------------------


def is_working_day(day, holidays=None, *, region=None):
    """core.calendar's working day: `holidays` maps dates to kinds (a calendar window's, official
    days and local overrides merged); without it the calendar is read for `region`."""
    return calendar.is_working_day(day, holidays, region=region)


@dataclass(frozen=True)
class PlannedDate:
    date: date
    moved_from: date | None = None


def duty_dates(rule, year, month, holidays):
    """The month's duty dates for a rule. A date on a listed holiday moves to the next working
    day of the same month or is skipped (the rule's policy); a move onto another duty date
    merges the two. `holidays` maps a date to its kind (core.calendar: the State Council's
    holidays and 调休 working days, with the local overrides of the station's region)."""
    last_day = month_bounds(year, month)[1] - timedelta(days=1)
    planned, taken = [], set()
    for day in rule.dates_in(year, month):
        actual, moved_from = day, None
        if calendar.is_day_off(day, holidays):
            if rule.holiday_policy == DutyRule.HolidayPolicy.SKIP:
                continue
            actual, moved_from = day + timedelta(days=1), day
            while actual <= last_day and not is_working_day(actual, holidays):
                actual += timedelta(days=1)
            if actual > last_day:
                continue
        if actual in taken:
            continue
        taken.add(actual)
        planned.append(PlannedDate(actual, moved_from))
    return sorted(planned, key=lambda p: p.date)


@dataclass
class StationPlan:
    """What the planner knows about one station; `last_turn` and the shared `busy` map are
    updated as turns are handed out."""

    members: list  # deputy ids in membership order
    last_turn: dict = field(default_factory=dict)  # deputy id -> slot of their last turn here


def pick_deputies(plan, day, count, *, unavailable=None, busy=None):
    """The `count` available members whose last turn is oldest. Skips members unavailable that
    day and members already on duty elsewhere that day. Updates the plan and `busy`."""
    unavailable = unavailable or {}
    busy = busy if busy is not None else {}
    taken_today = busy.setdefault(day, set())
    order = {deputy: index for index, deputy in enumerate(plan.members)}
    candidates = [
        deputy
        for deputy in plan.members
        if deputy not in taken_today
        and not any(start <= day <= end for start, end in unavailable.get(deputy, ()))
    ]
    candidates.sort(key=lambda deputy: (plan.last_turn.get(deputy, -1), order[deputy]))
    chosen = candidates[:count]
    for position, deputy in enumerate(chosen):
        plan.last_turn[deputy] = slot_for(day, position)
        taken_today.add(deputy)
    return chosen


# --- The database side ----------------------------------------------------------------------


@dataclass
class ScheduleResult:
    year: int
    month: int
    stations: int = 0
    shifts: int = 0
    assignments: int = 0


def _load_context(year, month, station_ids=None):
    start, end = month_bounds(year, month)
    stations = Station.objects.filter(is_active=True, duty_enabled=True)
    if station_ids is not None:
        stations = stations.filter(pk__in=station_ids)
    stations = list(stations.order_by("pk").values_list("pk", "duty_rule_id", "township__path"))
    rules = {rule.pk: rule for rule in DutyRule.objects.all()}
    default = next((rule for rule in rules.values() if rule.is_default), None) or default_duty_rule()
    holidays = calendar.window(start, end)
    existing = set(
        DutyShift.objects.filter(date__gte=start, date__lt=end).values_list("station_id", "date")
    )
    members = {}
    for station_id, deputy_id in (
        StationMembership.objects.filter(
            station__is_active=True, station__duty_enabled=True, deputy__status=Deputy.Status.ACTIVE
        )
        .order_by("station_id", "-is_leader", "pk")
        .values_list("station_id", "deputy_id")
    ):
        members.setdefault(station_id, []).append(deputy_id)
    unavailable = {}
    for deputy_id, first, last in Unavailability.objects.filter(start__lt=end, end__gte=start).values_list(
        "deputy_id", "start", "end"
    ):
        unavailable.setdefault(deputy_id, []).append((first, last))
    window_start = slot_for(add_months(start, -settings.DUTY_FAIRNESS_MONTHS), 0)
    last_turns = {}
    for row in (
        DutyAssignment.objects.filter(slot__gte=window_start)
        .values("shift__station_id", "deputy_id")
        .annotate(last=Max("slot"))
        .order_by()
    ):
        last_turns.setdefault(row["shift__station_id"], {})[row["deputy_id"]] = row["last"]
    busy = {}
    for deputy_id, day in DutyAssignment.objects.filter(
        shift__date__gte=start, shift__date__lt=end
    ).values_list("deputy_id", "shift__date"):
        busy.setdefault(day, set()).add(deputy_id)
    return stations, rules, default, holidays, existing, members, unavailable, last_turns, busy


def schedule_month(year, month, *, by=None, station_ids=None):
    """Build the month's shifts for every active station from its rule and its members.

    Idempotent: dates that already have a shift are left alone (swaps made by hand included),
    so a second run creates nothing. Concurrent runs for the same month wait for each other.
    The number of queries does not depend on the number of stations."""
    if by is not None:
        configure_duty.check(by)
    parse_month(f"{year}-{month}")
    result = ScheduleResult(year, month)
    with transaction.atomic():
        marker, _created = ScheduledMonth.objects.get_or_create(month=date(year, month, 1))
        ScheduledMonth.objects.select_for_update().filter(pk=marker.pk).first()
        stations, rules, default, holidays, existing, members, unavailable, last_turns, busy = (
            _load_context(year, month, station_ids)
        )
        dates_by_rule = {}
        new_shifts, picks = [], []
        for station_id, rule_id, township_path in stations:
            deputies = members.get(station_id)
            if not deputies:
                continue
            rule = rules.get(rule_id, default)
            # A county or township may list its own days off: dates per rule and region.
            key = (rule.pk or "default", township_path)
            if key not in dates_by_rule:
                dates_by_rule[key] = duty_dates(rule, year, month, holidays.kinds(township_path))
            plan = StationPlan(deputies, last_turns.get(station_id, {}))
            planned_any = False
            for planned in dates_by_rule[key]:
                if (station_id, planned.date) in existing:
                    continue
                chosen = pick_deputies(
                    plan, planned.date, rule.deputies_per_shift, unavailable=unavailable, busy=busy
                )
                new_shifts.append(
                    DutyShift(
                        station_id=station_id,
                        date=planned.date,
                        moved_from=planned.moved_from,
                        start_time=rule.start_time,
                        end_time=rule.end_time,
                    )
                )
                picks.append((planned.date, chosen))
                planned_any = True
            result.stations += planned_any
        DutyShift.objects.bulk_create(new_shifts)
        assignments = [
            DutyAssignment(shift_id=shift.pk, deputy_id=deputy_id, slot=slot_for(day, position))
            for shift, (day, chosen) in zip(new_shifts, picks)
            for position, deputy_id in enumerate(chosen)
        ]
        DutyAssignment.objects.bulk_create(assignments)
        result.shifts, result.assignments = len(new_shifts), len(assignments)
        # Bulk inserts send no signals: the stations' public pages show their next duty days.
        invalidate_station_pages({shift.station_id for shift in new_shifts})
        ScheduledMonth.objects.filter(pk=marker.pk).update(runs=F("runs") + 1, last_run_at=timezone.now())
        if new_shifts:
            log(
                AuditEntry.Action.CREATE,
                marker,
                actor=by,
                object_repr=_("%(year)s年%(month)s月排班") % {"year": year, "month": month},
                changes={"shifts": result.shifts, "assignments": result.assignments, "stations": result.stations},
            )
    return result
