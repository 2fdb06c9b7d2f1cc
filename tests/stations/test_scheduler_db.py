"""schedule_month against the database: idempotent, swaps by hand kept, bounded queries."""

from collections import Counter
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from audit.models import AuditEntry
from deputies.models import Deputy
from stations.models import DutyAssignment, DutyRule, DutyShift, Holiday, StationMembership, Unavailability
from stations.scheduler import schedule_month
from tests.factories import DeputyFactory, StationFactory, TownshipFactory, UserFactory

pytestmark = pytest.mark.calendar


def station_with_members(n, township=None, **fields):
    station = StationFactory(township=township or TownshipFactory(name="城关镇"), **fields)
    for _ in range(n):
        StationMembership.objects.create(station=station, deputy=DeputyFactory(township=station.township))
    return station


def roster(month_start, month_end=None):
    shifts = DutyShift.objects.filter(date__gte=month_start)
    if month_end:
        shifts = shifts.filter(date__lt=month_end)
    return {
        (s.station_id, s.date): sorted(a.deputy_id for a in s.assignments.all())
        for s in shifts.prefetch_related("assignments")
    }


def test_default_rule_gives_the_6th_16th_and_26th_with_two_deputies(db):
    station = station_with_members(5)
    result = schedule_month(2026, 11)
    shifts = list(DutyShift.objects.filter(station=station).order_by("date"))
    assert [s.date.day for s in shifts] == [6, 16, 26]
    assert all(s.assignments.count() == 2 for s in shifts)
    assert (result.shifts, result.assignments, result.stations) == (3, 6, 1)
    assert DutyRule.objects.get(is_default=True).name == "逢6进站"


def test_running_a_month_twice_changes_nothing(db):
    station_with_members(5)
    station_with_members(3)
    schedule_month(2026, 11)
    before = roster(date(2026, 11, 1))
    again = schedule_month(2026, 11)
    assert (again.shifts, again.assignments) == (0, 0)
    assert roster(date(2026, 11, 1)) == before
    call_command("schedule_duty", "--month", "2026-11", verbosity=0)
    assert roster(date(2026, 11, 1)) == before


def test_a_swap_by_hand_survives_a_rerun(db, staff):
    station = station_with_members(4)
    schedule_month(2026, 11)
    assignment = DutyAssignment.objects.filter(shift__station=station).order_by("shift__date").first()
    on_shift = set(assignment.shift.assignments.values_list("deputy_id", flat=True))
    other = StationMembership.objects.filter(station=station).exclude(deputy_id__in=on_shift).first().deputy
    DutyAssignment.objects.filter(pk=assignment.pk).update(deputy=other, swapped_from=assignment.deputy, is_manual=True)
    before = roster(date(2026, 11, 1))
    schedule_month(2026, 11)
    assert roster(date(2026, 11, 1)) == before
    assert DutyAssignment.objects.get(pk=assignment.pk).deputy == other


def test_station_rule_holidays_unavailability_and_exclusions(db):
    township = TownshipFactory(name="城关镇")
    third_tuesday = DutyRule.objects.create(
        name="每月第三周星期二", kind=DutyRule.Kind.NTH_WEEKDAY, week=3, weekday=1, deputies_per_shift=3
    )
    wuxi = station_with_members(4, township, duty_rule=third_tuesday)
    county = station_with_members(3, township)
    station_with_members(3, township, is_active=False)
    station_with_members(3, township, duty_enabled=False)
    StationFactory(township=township)  # no members: no shifts
    terminated = DeputyFactory(township=township, status=Deputy.Status.TERMINATED)
    StationMembership.objects.create(station=county, deputy=terminated)
    away = StationMembership.objects.filter(station=county).first().deputy
    Unavailability.objects.create(deputy=away, start=date(2026, 11, 1), end=date(2026, 11, 30), reason="出差")
    Holiday.objects.create(date=date(2026, 11, 16), name="测试假日")
    schedule_month(2026, 11)
    assert [(s.date, s.assignments.count()) for s in DutyShift.objects.filter(station=wuxi)] == [(date(2026, 11, 17), 3)]
    county_shifts = list(DutyShift.objects.filter(station=county).order_by("date"))
    assert [(s.date.day, s.moved_from) for s in county_shifts] == [(6, None), (17, date(2026, 11, 16)), (26, None)]
    deputies = set(DutyAssignment.objects.filter(shift__station=county).values_list("deputy_id", flat=True))
    assert away.pk not in deputies and terminated.pk not in deputies
    assert DutyShift.objects.values("station").distinct().count() == 2


def test_a_deputy_in_two_stations_is_not_on_duty_twice_the_same_day(db):
    township = TownshipFactory(name="城关镇")
    both = DeputyFactory(township=township)
    first, second = station_with_members(1, township), station_with_members(1, township)
    for station in (first, second):
        StationMembership.objects.create(station=station, deputy=both)
    schedule_month(2026, 11)
    per_day = Counter(DutyAssignment.objects.filter(deputy=both).values_list("shift__date", flat=True))
    assert per_day and max(per_day.values()) == 1


def test_fairness_carries_over_months(db):
    station = station_with_members(5)
    for month in range(1, 13):
        schedule_month(2026, month)
    counts = Counter(DutyAssignment.objects.filter(shift__station=station).values_list("deputy_id", flat=True))
    assert sum(counts.values()) == 36 * 2 and max(counts.values()) - min(counts.values()) <= 1


def test_scheduling_writes_one_audit_entry(db):
    station_with_members(3)
    schedule_month(2026, 11, by=UserFactory(role="staff"))
    entry = AuditEntry.objects.get(object_repr="2026年11月排班")
    assert entry.changes["shifts"] == 3


@pytest.mark.parametrize("stations", [3, 30])
def test_queries_do_not_grow_with_the_stations(db, stations, django_assert_max_num_queries):
    township = TownshipFactory(name="城关镇")
    for _ in range(stations):
        station_with_members(3, township)
    # The same number for 3 and 30 stations: reads, two bulk inserts, the public pages' cache
    # invalidation (one query for the stations' codes) and the month's bookkeeping; SQLite's
    # savepoints count one more than PostgreSQL.
    with django_assert_max_num_queries(21):
        result = schedule_month(2026, 11)
    assert result.shifts == stations * 3


def test_command_refuses_a_bad_month(db):
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("schedule_duty", "--month", "2026-13")


class SchedulerIdempotenceProperties(TestCase):
    """For random memberships, rules and month sequences: a rerun changes nothing."""

    @settings(max_examples=25, deadline=None)
    @given(
        members=st.lists(st.integers(1, 6), min_size=1, max_size=4),
        per_shift=st.integers(1, 3),
        days=st.lists(st.integers(1, 31), min_size=1, max_size=4, unique=True),
        month=st.integers(1, 12),
        holiday=st.integers(1, 28),
    )
    def test_rerun_changes_nothing_and_shifts_are_well_formed(self, members, per_shift, days, month, holiday):
        township = TownshipFactory(name="城关镇")
        rule = DutyRule.objects.create(name="规则", days=days, deputies_per_shift=per_shift)
        for count in members:
            station_with_members(count, township, duty_rule=rule)
        Holiday.objects.create(date=date(2027, month, holiday), name="假日")
        schedule_month(2027, month)
        before = roster(date(2027, month, 1))
        again = schedule_month(2027, month)
        assert again.shifts == 0 and roster(date(2027, month, 1)) == before
        for (station_id, day), deputies in before.items():
            assert day.month == month and day != date(2027, month, holiday)
            assert len(deputies) == len(set(deputies)) <= per_shift
        per_day = Counter((d, dep) for (_s, d), deps in before.items() for dep in deps)
        assert not per_day or max(per_day.values()) == 1
