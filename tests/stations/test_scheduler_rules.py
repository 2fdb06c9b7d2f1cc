"""Property-based tests of the duty rules and the fair turn-taking (pure, no database)."""

from calendar import monthrange
from collections import Counter
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from stations.models import DutyRule, Holiday
from stations.scheduler import StationPlan, add_months, duty_dates, is_working_day, pick_deputies

months = st.tuples(st.integers(2020, 2035), st.integers(1, 12))
day_sets = st.lists(st.integers(1, 31), min_size=1, max_size=6, unique=True)
policies = st.sampled_from([DutyRule.HolidayPolicy.MOVE, DutyRule.HolidayPolicy.SKIP])


def days_rule(days, policy=DutyRule.HolidayPolicy.MOVE):
    return DutyRule(name="r", kind=DutyRule.Kind.DAYS_OF_MONTH, days=days, holiday_policy=policy)


def weekday_rule(week, weekday, policy=DutyRule.HolidayPolicy.MOVE):
    return DutyRule(name="r", kind=DutyRule.Kind.NTH_WEEKDAY, week=week, weekday=weekday, holiday_policy=policy)


@st.composite
def holiday_maps(draw, year, month):
    last = monthrange(year, month)[1]
    days = draw(st.lists(st.integers(1, last), max_size=10, unique=True))
    workdays = draw(st.lists(st.integers(1, last), max_size=3, unique=True))
    holidays = {date(year, month, d): Holiday.Kind.HOLIDAY for d in days}
    holidays.update({date(year, month, d): Holiday.Kind.WORKDAY for d in workdays if d not in days})
    return holidays


@settings(max_examples=300)
@given(months, day_sets, policies, st.data())
def test_days_of_month_dates_are_in_the_month_unique_sorted_and_never_on_a_holiday(month, days, policy, data):
    year, number = month
    holidays = data.draw(holiday_maps(year, number))
    planned = duty_dates(days_rule(days, policy), year, number, holidays)
    dates = [p.date for p in planned]
    assert dates == sorted(set(dates))
    assert all(d.year == year and d.month == number for d in dates)
    assert all(holidays.get(d) != Holiday.Kind.HOLIDAY for d in dates)
    assert len(dates) <= len(days)
    for p in planned:
        if p.moved_from is None:
            assert p.date.day in days
        else:
            # Moved forward to the first working day after the holiday, never backwards.
            assert policy == DutyRule.HolidayPolicy.MOVE
            assert holidays[p.moved_from] == Holiday.Kind.HOLIDAY
            assert p.date > p.moved_from and is_working_day(p.date, holidays)
            between = [p.moved_from + timedelta(days=i) for i in range(1, (p.date - p.moved_from).days)]
            assert not any(is_working_day(d, holidays) for d in between)


@given(months, day_sets)
def test_without_holidays_every_existing_day_is_a_duty_day(month, days):
    year, number = month
    last = monthrange(year, number)[1]
    planned = duty_dates(days_rule(days), year, number, {})
    assert [p.date.day for p in planned] == sorted(d for d in days if d <= last)
    assert all(p.moved_from is None for p in planned)


def test_a_31st_is_skipped_in_months_without_one():
    rule = days_rule([6, 16, 26, 31])
    assert [p.date.day for p in duty_dates(rule, 2026, 11, {})] == [6, 16, 26]
    assert [p.date.day for p in duty_dates(rule, 2026, 12, {})] == [6, 16, 26, 31]
    assert [p.date.day for p in duty_dates(days_rule([29, 30]), 2026, 2, {})] == []
    assert [p.date.day for p in duty_dates(days_rule([29]), 2028, 2, {})] == [29]


@settings(max_examples=300)
@given(months, st.sampled_from([1, 2, 3, 4, 5, -1]), st.integers(0, 6))
def test_nth_weekday_is_that_weekday_in_that_week_or_absent(month, week, weekday):
    year, number = month
    planned = duty_dates(weekday_rule(week, weekday), year, number, {})
    same_weekday = [
        date(year, number, d) for d in range(1, monthrange(year, number)[1] + 1)
        if date(year, number, d).weekday() == weekday
    ]
    if week == -1:
        assert [p.date for p in planned] == [same_weekday[-1]]
    elif week <= len(same_weekday):
        assert [p.date for p in planned] == [same_weekday[week - 1]]
        assert (planned[0].date.day - 1) // 7 + 1 == week
    else:
        assert planned == []  # a 5th weekday the month does not have


def test_third_tuesday_of_wuxi():
    rule = weekday_rule(3, DutyRule.Weekday.TUESDAY)
    assert [p.date for p in duty_dates(rule, 2026, 11, {})] == [date(2026, 11, 17)]
    # November 2026 has four Tuesdays: a 5th-Tuesday rule gives no duty day that month.
    assert duty_dates(weekday_rule(5, DutyRule.Weekday.TUESDAY), 2026, 11, {}) == []
    assert [p.date for p in duty_dates(weekday_rule(5, DutyRule.Weekday.TUESDAY), 2026, 12, {})] == [date(2026, 12, 29)]


def test_holidays_move_to_the_next_working_day_or_skip():
    # 2026-10-06 is in the National Day holiday; the 10th (Saturday) is a make-up working day.
    holidays = {date(2026, 10, d): Holiday.Kind.HOLIDAY for d in range(1, 9)}
    holidays[date(2026, 10, 10)] = Holiday.Kind.WORKDAY
    moved = duty_dates(days_rule([6, 16, 26]), 2026, 10, holidays)
    assert [(p.date, p.moved_from) for p in moved] == [
        (date(2026, 10, 9), date(2026, 10, 6)), (date(2026, 10, 16), None), (date(2026, 10, 26), None)
    ]
    skipped = duty_dates(days_rule([6, 16, 26], DutyRule.HolidayPolicy.SKIP), 2026, 10, holidays)
    assert [p.date.day for p in skipped] == [16, 26]
    # A holiday at the end of the month with no working day left: skipped, never spilled over.
    end = {date(2026, 12, 31): Holiday.Kind.HOLIDAY}
    assert [p.date.day for p in duty_dates(days_rule([26, 31]), 2026, 12, end)] == [26]
    # Moving onto another duty day merges the two (2026-11-06 is a Friday; the 9th a Monday).
    merged = duty_dates(days_rule([6, 9]), 2026, 11, {date(2026, 11, 6): Holiday.Kind.HOLIDAY})
    assert [(p.date, p.moved_from) for p in merged] == [(date(2026, 11, 9), date(2026, 11, 6))]


def simulate(members, per_shift, rule, months_count, start=(2025, 1), unavailable=None):
    """Schedule consecutive months for one station; returns [(date, [deputies])]."""
    plan = StationPlan(list(members))
    turns = []
    first = date(*start, 1)
    for offset in range(months_count):
        month = add_months(first, offset)
        for planned in duty_dates(rule, month.year, month.month, {}):
            chosen = pick_deputies(plan, planned.date, per_shift, unavailable=unavailable, busy={})
            turns.append((planned.date, chosen))
    return turns


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 15),
    st.integers(1, 4),
    st.one_of(day_sets.map(days_rule), st.tuples(st.sampled_from([1, 2, 3, 4, -1]), st.integers(0, 6)).map(lambda a: weekday_rule(*a))),
    st.integers(12, 30),
)
def test_turns_are_fair_over_every_rolling_twelve_months(member_count, per_shift, rule, months_count):
    members = list(range(100, 100 + member_count))
    turns = simulate(members, per_shift, rule, months_count)
    for deputies_on_shift in (chosen for _, chosen in turns):
        assert len(deputies_on_shift) == min(per_shift, member_count)
        assert len(set(deputies_on_shift)) == len(deputies_on_shift)
    first = date(2025, 1, 1)
    for offset in range(0, months_count - 11):
        window_start, window_end = add_months(first, offset), add_months(first, offset + 12)
        counts = Counter({m: 0 for m in members})
        for day, chosen in turns:
            if window_start <= day < window_end:
                counts.update(chosen)
        assert max(counts.values()) - min(counts.values()) <= 1, (window_start, counts)


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 12), st.integers(1, 3), st.data())
def test_unavailable_deputies_are_skipped_and_nobody_is_on_two_stations_the_same_day(member_count, per_shift, data):
    members = list(range(1, member_count + 1))
    away = data.draw(st.sets(st.sampled_from(members), max_size=member_count))
    unavailable = {m: [(date(2026, 11, 1), date(2026, 11, 30))] for m in away}
    busy = {}
    plans = [StationPlan(members[:]), StationPlan(members[::-1])]
    for day in (date(2026, 11, 6), date(2026, 11, 16), date(2026, 12, 6)):
        seen = set()
        for plan in plans:
            chosen = pick_deputies(plan, day, per_shift, unavailable=unavailable, busy=busy)
            if day.month == 11:
                assert not set(chosen) & away
            assert not set(chosen) & seen
            seen.update(chosen)


def test_a_deputy_skipped_while_away_gets_the_next_turn():
    plan = StationPlan([1, 2, 3, 4])
    away = {1: [(date(2026, 11, 6), date(2026, 11, 6))]}
    assert pick_deputies(plan, date(2026, 11, 6), 2, unavailable=away) == [2, 3]
    assert pick_deputies(plan, date(2026, 11, 16), 2, unavailable=away) == [1, 4]


@given(st.dates(date(2020, 1, 1), date(2035, 12, 31)))
def test_weekends_are_not_working_days_unless_listed(day):
    assert is_working_day(day, {}) == (day.weekday() < 5)
    assert is_working_day(day, {day: Holiday.Kind.WORKDAY})
    assert not is_working_day(day, {day: Holiday.Kind.HOLIDAY})
