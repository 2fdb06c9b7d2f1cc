"""core.calendar: the State Council's calendar (chinesecalendar) with local overrides, the
`workdays` command, the duty schedule around 国庆, the fallback for a year the package lacks."""

from datetime import date, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from core import calendar
from core.models import Holiday
from divisions.models import Region
from opinions.services import add_working_days
from stations.models import DutyShift, StationMembership
from stations.scheduler import is_working_day, schedule_month
from tests.factories import DeputyFactory, StationFactory, TownshipFactory

pytestmark = pytest.mark.calendar


def at(day):
    return time_machine.travel(datetime.combine(day, time(10), tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)


def test_workdays_command_counts_national_day_and_the_adjusted_saturday(db):
    out = StringIO()
    call_command("workdays", "2026-09-30", "5", stdout=out)
    assert out.getvalue().strip() == "2026-10-13"


def test_the_official_calendar_decides_without_any_listed_day(db):
    assert not is_working_day(date(2026, 10, 1))  # 国庆节, a Thursday
    assert is_working_day(date(2026, 10, 10))  # 调休上班, a Saturday
    assert not is_working_day(date(2026, 10, 11))  # an ordinary Sunday
    assert add_working_days(date(2026, 9, 30), 5) == date(2026, 10, 13)
    assert add_working_days(date(2026, 2, 13), 1) == calendar.add_working_days(date(2026, 2, 13), 1)
    assert calendar.covers(2026) and not calendar.covers(2027)


def test_a_county_adds_its_own_days_and_a_township_overrides_them(db):
    township = Region.objects.get(pk=TownshipFactory(name="城关镇").pk)
    county = Region.objects.default_county()
    other_county = Region(name="东县", level="county", kind="county")
    other_county.save()
    elsewhere = Region.objects.add_child(other_county, instance=Region(name="东关镇", level="township", kind="town"))
    day = date(2026, 11, 25)  # a Wednesday
    Holiday.objects.create(date=day, name="县庆", region=county)
    assert not calendar.is_working_day(day, region=township)
    assert not calendar.is_working_day(day, region=county.pk)
    assert calendar.is_working_day(day, region=elsewhere)
    assert calendar.is_working_day(day)  # the deployment as a whole works
    Holiday.objects.create(date=day, name="照常上班", region=township, kind=Holiday.Kind.WORKDAY)
    assert calendar.is_working_day(day, region=township)
    # Deadlines of an opinion at a station in the county skip the county's day.
    assert add_working_days(date(2026, 11, 24), 1, region=county) == date(2026, 11, 26)
    assert add_working_days(date(2026, 11, 24), 1) == day


def test_a_year_the_package_lacks_falls_back_to_weekdays_plus_listed_days(db):
    assert calendar.is_working_day(date(2027, 1, 1))  # a Friday: unknown without a listing
    Holiday.objects.create(date=date(2027, 1, 1), name="元旦")
    assert not calendar.is_working_day(date(2027, 1, 1))
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    out, err = StringIO(), StringIO()
    call_command("workdays", "2026-12-30", "2", stdout=out, stderr=err)
    assert out.getvalue().strip() == "2027-01-04" and "2027年" in err.getvalue()


def test_the_duty_schedule_has_no_shift_during_national_day(db):
    station = StationFactory(township=TownshipFactory(name="城关镇"))
    for _ in range(4):
        StationMembership.objects.create(station=station, deputy=DeputyFactory(township=station.township))
    schedule_month(2026, 10)
    days = sorted(DutyShift.objects.filter(station=station).values_list("date", "moved_from"))
    assert not [day for day, _moved in days if date(2026, 10, 1) <= day <= date(2026, 10, 7)]
    # 逢6: the 6th moves to the first working day after the holidays, the 16th and 26th stay.
    assert days == [(date(2026, 10, 8), date(2026, 10, 6)), (date(2026, 10, 16), None), (date(2026, 10, 26), None)]


def test_a_county_holiday_moves_duty_only_in_that_county(db):
    here = StationFactory(township=TownshipFactory(name="城关镇"))
    other_county = Region(name="东县", level="county", kind="county")
    other_county.save()
    there = StationFactory(township=Region.objects.add_child(other_county, instance=Region(name="东关镇", level="township", kind="town")))
    for station in (here, there):
        for _ in range(2):
            StationMembership.objects.create(station=station, deputy=DeputyFactory(township=station.township))
    Holiday.objects.create(date=date(2026, 11, 16), name="县庆", region=Region.objects.default_county())
    schedule_month(2026, 11)
    assert date(2026, 11, 17) in set(DutyShift.objects.filter(station=here).values_list("date", flat=True))
    assert date(2026, 11, 16) in set(DutyShift.objects.filter(station=there).values_list("date", flat=True))


@pytest.mark.parametrize("path", ["/", "/dashboard/"])
def test_staff_are_warned_when_the_years_calendar_is_missing(db, staff, login, path, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0  # by March the staff's password is past its age: not this test's point

    def page_on(day):
        with at(day):
            return login(staff).get(path).content.decode()

    assert "国家法定节假日安排" not in page_on(date(2026, 11, 24))
    assert "系统还没有2027年的国家法定节假日安排" in page_on(date(2026, 12, 2))
    assert "系统还没有2027年的国家法定节假日安排" in page_on(date(2027, 3, 1))


def test_the_holiday_page_lists_the_official_days_and_warns_for_a_missing_year(db, staff, login):
    client = login(staff)
    html = client.get("/stations/duty/holidays/", {"year": 2026}).content.decode()
    assert "国家节假日安排" in html and "2026年10月10日" in html and "国庆节" in html
    missing = client.get("/stations/duty/holidays/", {"year": 2027}).content.decode()
    assert "系统还没有2027年的国家节假日安排" in missing
