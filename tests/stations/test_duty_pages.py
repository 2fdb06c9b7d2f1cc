"""我的值班, swaps, the calendar feed, the missed-shift report, rules and holidays."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from stations import calendar, services
from stations.models import DutyAssignment, DutyRule, DutyShift, Holiday, StationMembership, SwapRequest, Unavailability
from tests.factories import StationFactory, TownshipFactory
from tests.stations.conftest import make_deputy_with_account, make_shift

pytestmark = pytest.mark.calendar


@pytest.fixture
def colleague(station, township):
    deputy = make_deputy_with_account(township, "李秀英")
    StationMembership.objects.create(station=station, deputy=deputy)
    return deputy


@pytest.fixture
def my_shift(station, member, deputy):
    return make_shift(station, timezone.localdate() + timedelta(days=5), [deputy])


def test_my_duty_lists_upcoming_shifts_and_attendance(deputy_user, login, my_shift, station, deputy):
    make_shift(station, timezone.localdate() - timedelta(days=3), [deputy])
    response = login(deputy_user).get("/stations/my-duty/")
    assert [a.shift for a in response.context["upcoming"]] == [my_shift]
    html = response.content.decode()
    assert station.name in html and "申请调班" in html
    past = timezone.localdate() - timedelta(days=3)
    assert response.context["summary"]["total"] == (1 if past.year == timezone.localdate().year else 0)


def test_swap_request_approved_by_the_manager(deputy_user, login, my_shift, colleague, manager):
    assignment = my_shift.assignments.get()
    response = login(deputy_user).post(
        f"/stations/my-duty/{assignment.pk}/swap/", {"reason": "出差", "proposed": colleague.pk}
    )
    assert response.status_code == 302
    swap = SwapRequest.objects.get()
    assert Notification.objects.filter(recipient=manager, key=f"swap-request:{swap.pk}").exists()
    duplicate = login(deputy_user).post(f"/stations/my-duty/{assignment.pk}/swap/", {"reason": "再次"})
    assert duplicate.status_code == 400 and "已有待处理的调班申请" in duplicate.content.decode()
    login(manager).post(f"/stations/duty/swaps/{swap.pk}/decide/", {"decision": "approve", f"s{swap.pk}-note": "同意"})
    assignment.refresh_from_db()
    swap.refresh_from_db()
    assert swap.status == "approved" and assignment.deputy == colleague
    assert assignment.swapped_from == deputy_user.deputy and assignment.is_manual
    assert Notification.objects.filter(recipient=colleague.user, kind="duty_swap_in").exists()
    assert Notification.objects.filter(recipient=deputy_user, key=f"swap-decision:{swap.pk}").exists()


def test_swap_refusals(deputy_user, staff, login, my_shift, colleague, station, township):
    assignment = my_shift.assignments.get()
    outsider = make_deputy_with_account(township, "外站代表")
    with pytest.raises(Exception, match="不是本站点的驻站代表"):
        services.swap_duty(assignment, deputy=outsider, by=staff)
    Unavailability.objects.create(deputy=colleague, start=my_shift.date, end=my_shift.date)
    with pytest.raises(Exception, match="已登记不能值班"):
        services.swap_duty(assignment, deputy=colleague, by=staff)
    past = make_shift(station, timezone.localdate() - timedelta(days=2), [deputy_user.deputy]).assignments.get()
    with pytest.raises(Exception, match="已经过去"):
        services.request_swap(past, by=deputy_user, reason="晚了")


def test_staff_swap_by_hand_from_the_roster(staff, login, my_shift, colleague):
    assignment = my_shift.assignments.get()
    page = login(staff).get(f"/stations/duty/assignments/{assignment.pk}/swap/")
    assert list(page.context["form"].fields["deputy"].queryset) == [colleague]
    login(staff).post(f"/stations/duty/assignments/{assignment.pk}/swap/", {"deputy": colleague.pk, "reason": "调整"})
    assert DutyAssignment.objects.get(pk=assignment.pk).deputy == colleague


def test_swap_forms_offer_only_substitutes_who_can_be_accepted(deputy_user, staff, login, my_shift, colleague,
                                                              station, township):
    """Someone on duty elsewhere that day, or registered unavailable, is not offered (the service
    would refuse them: 当天已在其他站点值班 / 当天已登记不能值班)."""
    busy_elsewhere = make_deputy_with_account(township, "王建国")
    away = make_deputy_with_account(township, "赵丽华")
    for deputy in (busy_elsewhere, away):
        StationMembership.objects.create(station=station, deputy=deputy)
    other = StationFactory(township=township)
    make_shift(other, my_shift.date, [busy_elsewhere])
    Unavailability.objects.create(deputy=away, start=my_shift.date, end=my_shift.date)
    assignment = my_shift.assignments.get()
    page = login(staff).get(f"/stations/duty/assignments/{assignment.pk}/swap/")
    assert list(page.context["form"].fields["deputy"].queryset) == [colleague]
    mine = login(deputy_user).get(f"/stations/my-duty/{assignment.pk}/swap/")
    assert list(mine.context["form"].fields["proposed"].queryset) == [colleague]
    refused = login(staff).post(f"/stations/duty/assignments/{assignment.pk}/swap/", {"deputy": busy_elsewhere.pk})
    assert refused.status_code == 400 and DutyAssignment.objects.get(pk=assignment.pk).deputy == deputy_user.deputy
    assert 'id="error-summary"' in refused.content.decode()


def test_deputy_marks_unavailability(deputy_user, login):
    start = timezone.localdate() + timedelta(days=10)
    login(deputy_user).post("/stations/my-duty/unavailable/", {"start": start, "end": start + timedelta(days=3), "reason": "住院"})
    assert Unavailability.objects.get().deputy == deputy_user.deputy
    login(deputy_user).post("/stations/my-duty/unavailable/", {"start": start, "end": start - timedelta(days=3)})
    assert Unavailability.objects.count() == 1


def test_calendar_feed(deputy_user, login, client, my_shift, deputy, station):
    own = login(deputy_user).get("/stations/my-duty/duty.ics")
    assert own["Content-Type"].startswith("text/calendar")
    body = own.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 1 and f"UID:duty-{my_shift.pk}-{deputy.pk}@" in body
    assert f"DTSTART:{my_shift.date:%Y%m%d}T010000Z" in body  # 09:00 in Asia/Shanghai
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    token = calendar.feed_token(deputy)
    feed = client.get(f"/stations/duty/feed/{token}.ics")
    assert feed.status_code == 200 and "BEGIN:VEVENT" in feed.content.decode()
    assert client.get(f"/stations/duty/feed/{deputy.pk}:forged.ics").status_code == 404


def test_missed_report_per_township(staff, township_staff, login, township, other_township):
    today = timezone.localdate()
    here, there = StationFactory(township=township), StationFactory(township=other_township)
    a, b, c = (make_deputy_with_account(township, n) for n in ("到岗代表", "缺勤代表", "青山代表"))
    past = (today.replace(day=1) - timedelta(days=1)).replace(day=16)  # last month: always past
    shift = make_shift(here, past, [a, b])
    make_shift(there, past, [c])
    DutyAssignment.objects.filter(shift=shift, deputy=a).update(attendance="attended")
    response = login(staff).get("/stations/duty/report/", {"month": f"{past:%Y-%m}"})
    rows = {r["shift__station__township__name"]: r for r in response.context["rows"]}
    assert (rows["城关镇"]["attended"], rows["城关镇"]["missed"], rows["城关镇"]["rate"]) == (1, 1, 50.0)
    assert {x.deputy.name for x in response.context["missed"]} == {"缺勤代表", "青山代表"}
    scoped = login(township_staff).get("/stations/duty/report/", {"month": f"{past:%Y-%m}"})
    assert [r["shift__station__township__name"] for r in scoped.context["rows"]] == ["青山镇"]
    export = login(staff).get("/stations/duty/report/", {"month": f"{past:%Y-%m}", "format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_staff_edit_rules_and_holidays_and_schedule(staff, login, station, member):
    client = login(staff)
    response = client.post("/stations/duty/rules/new/", {
        "name": "每月第三周星期二", "kind": "weekday", "days": "", "week": 3, "weekday": 1,
        "deputies_per_shift": 2, "holiday_policy": "move", "start_time": "09:00", "end_time": "11:30",
    })
    assert response.status_code == 302 and DutyRule.objects.get(name="每月第三周星期二").description == "每月第三周星期二"
    bad = client.post("/stations/duty/rules/new/", {
        "name": "坏规则", "kind": "days", "days": "6,40", "deputies_per_shift": 2, "holiday_policy": "move",
        "start_time": "09:00", "end_time": "08:00",
    })
    assert bad.status_code == 400 and not DutyRule.objects.filter(name="坏规则").exists()
    client.post("/stations/duty/holidays/", {"date": "2026-10-06", "name": "国庆节", "kind": "holiday"})
    duplicate = client.post("/stations/duty/holidays/", {"date": "2026-10-06", "name": "国庆节", "kind": "holiday"})
    assert duplicate.status_code == 400 and Holiday.objects.count() == 1
    client.post("/stations/duty/schedule/", {"month": "2026-10"})
    # 1–7 October are the official 国庆 holidays (core.calendar): the 6th moves to the 8th.
    assert [(s.date, s.moved_from) for s in DutyShift.objects.order_by("date")][0] == (date(2026, 10, 8), date(2026, 10, 6))
    again = client.post("/stations/duty/schedule/", {"month": "2026-10"}, follow=True)
    assert "都已排好" in again.content.decode()
    assert client.post("/stations/duty/schedule/", {"month": "10/2026"}, follow=True).status_code == 200


def test_roster_filters_by_month_and_township(staff, login, station, member, deputy):
    make_shift(station, date(2026, 11, 6), [deputy])
    make_shift(StationFactory(township=TownshipFactory(name="青山镇")), date(2026, 11, 6), [])
    make_shift(station, date(2026, 12, 6), [deputy])
    client = login(staff)
    assert client.get("/stations/duty/", {"month": "2026-11"}).context["paginator"].count == 2
    assert client.get("/stations/duty/", {"month": "2026-11", "township": station.township_id}).context["paginator"].count == 1


@pytest.mark.parametrize("count", [3, 30])
def test_roster_runs_a_bounded_number_of_queries(count, staff, login, township, django_assert_max_num_queries):
    for _ in range(count):
        station = StationFactory(township=township)
        make_shift(station, date(2026, 11, 6), [make_deputy_with_account(township, "代表")])
    client = login(staff)
    with django_assert_max_num_queries(14):
        assert client.get("/stations/duty/", {"month": "2026-11"}).status_code == 200


def test_staff_record_unavailability_within_their_scope(staff, township_staff, login, deputy, other_township):
    start = timezone.localdate() + timedelta(days=3)
    response = login(staff).post(
        "/stations/duty/unavailable/", {"deputy": deputy.pk, "start": start, "end": start + timedelta(days=2), "reason": "出差"}
    )
    assert response.status_code == 302 and Unavailability.objects.get().deputy == deputy
    assert [p.deputy for p in login(staff).get("/stations/duty/unavailable/").context["periods"]] == [deputy]
    refused = login(township_staff).post(
        "/stations/duty/unavailable/", {"deputy": deputy.pk, "start": start, "end": start, "reason": "越权"}
    )
    assert refused.status_code == 400 and Unavailability.objects.count() == 1
    assert list(login(township_staff).get("/stations/duty/unavailable/").context["periods"]) == []
