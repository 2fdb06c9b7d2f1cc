"""The stations API: rows, filters, permissions, masked phones, sign-ups."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from stations.models import Category, StationMembership, Visit, VisitPhoto
from tests.factories import (
    ActivityFactory,
    DeputyFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
    TownshipFactory,
    VisitFactory,
)
from tests.stations.conftest import jpeg_bytes, make_deputy_with_account, make_shift


@pytest.fixture
def api():
    def client_for(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_for


def test_stations_rows_carry_id_and_code(staff, api, station):
    StationMembershipFactory(station=station)
    body = api(staff).get("/api/v1/stations/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == station.pk and row["code"] == station.code and row["member_count"] == 1
    assert row["public_url"].endswith(f"/s/{station.code}/")


def test_station_filters_and_scopes(staff, township_staff, manager, deputy_user, api, station, other_township):
    StationFactory(name="青山镇联系点", kind="point", township=other_township)
    assert [r["name"] for r in api(staff).get("/api/v1/stations/?kind=point").json()["results"]] == ["青山镇联系点"]
    assert [r["name"] for r in api(township_staff).get("/api/v1/stations/").json()["results"]] == ["青山镇联系点"]
    assert [r["id"] for r in api(manager).get("/api/v1/stations/").json()["results"]] == [station.pk]
    assert api(deputy_user).get("/api/v1/stations/").status_code == 403
    assert api(township_staff).get(f"/api/v1/stations/{station.pk}/").status_code == 404


def test_staff_create_stations_and_the_code_is_not_writable(staff, api, township):
    response = api(staff).post("/api/v1/stations/", {"name": "新站", "kind": "station", "township": township.pk, "code": "aaaaaaaa"})
    assert response.status_code == 201 and response.json()["code"] != "aaaaaaaa"


def test_manager_cannot_move_their_station(manager, api, station, other_township):
    response = api(manager).patch(f"/api/v1/stations/{station.pk}/", {"township": other_township.pk}, format="json")
    assert response.status_code == 403
    ok = api(manager).patch(f"/api/v1/stations/{station.pk}/", {"opening_hours": "工作日 9:00-17:00"}, format="json")
    assert ok.status_code == 200 and ok.json()["opening_hours"] == "工作日 9:00-17:00"


def test_memberships_add_list_remove(staff, api, station, township):
    deputy = DeputyFactory(township=township)
    client = api(staff)
    created = client.post("/api/v1/memberships/", {"station": station.pk, "deputy": deputy.pk}, format="json")
    assert created.status_code == 201
    again = client.post("/api/v1/memberships/", {"station": station.pk, "deputy": deputy.pk}, format="json")
    assert again.status_code == 201 and StationMembership.objects.count() == 1
    rows = client.get(f"/api/v1/memberships/?deputy={deputy.pk}").json()["results"]
    assert [(r["station"], r["deputy_name"]) for r in rows] == [(station.pk, deputy.name)]
    assert client.delete(f"/api/v1/memberships/{created.json()['id']}/").status_code == 204
    assert not StationMembership.objects.exists()


def test_shifts_filter_by_month_station_and_deputy(staff, api, station, township):
    a, b = DeputyFactory(township=township), DeputyFactory(township=township)
    other = StationFactory(township=township)
    make_shift(station, date(2026, 11, 6), [a, b])
    make_shift(station, date(2026, 12, 6), [a])
    make_shift(other, date(2026, 11, 16), [b])
    client = api(staff)

    def dates(query):
        return [r["date"] for r in client.get(f"/api/v1/shifts/?{query}").json()["results"]]

    assert dates("month=2026-11") == ["2026-11-06", "2026-11-16"]
    assert dates(f"station={station.pk}") == ["2026-11-06", "2026-12-06"]
    assert dates(f"deputy={b.pk}") == ["2026-11-06", "2026-11-16"]
    assert dates(f"month=2026-11&station={station.pk}&deputy={a.pk}") == ["2026-11-06"]
    row = client.get("/api/v1/shifts/?month=2026-11").json()["results"][0]
    assert {x["deputy_name"] for x in row["assignments"]} == {a.name, b.name}
    bad = client.get("/api/v1/shifts/?month=2026-13")
    assert bad.status_code == 400 and "YYYY-MM" in str(bad.json())


def test_deputies_see_their_stations_shifts_only(deputy_user, api, station, member, township):
    make_shift(station, date(2026, 11, 6), [deputy_user.deputy])
    make_shift(StationFactory(township=township), date(2026, 11, 6), [])
    assert len(api(deputy_user).get("/api/v1/shifts/").json()["results"]) == 1


@pytest.mark.parametrize("count", [3, 30])
def test_shift_list_runs_a_bounded_number_of_queries(count, staff, api, township, django_assert_max_num_queries):
    for _ in range(count):
        make_shift(StationFactory(township=township), date(2026, 11, 6), [DeputyFactory(township=township) for _ in range(2)])
    client = api(staff)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/shifts/?month=2026-11").status_code == 200


def test_deputy_logs_a_visit_with_receptions_and_photos(deputy_user, api, station, member, deputy):
    shift = make_shift(station, timezone.localdate(), [deputy])
    category = Category.objects.get(name="医疗卫生")
    client = api(deputy_user)
    response = client.post("/api/v1/visits/", {
        "station": station.pk, "date": timezone.localdate().isoformat(), "start_time": "09:00", "end_time": "10:30",
        "receptions": [
            {"visitor_name": "张大妈", "visitor_phone": "13812341234", "category": category.pk,
             "content": "村卫生室缺少常用药", "handling": "follow_up"},
            {"visitor_name": "刘师傅", "category": category.pk, "content": "医保报销咨询", "handling": "answered"},
        ],
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [r["visitor_name"] for r in body["receptions"]] == ["张大妈", "刘师傅"]
    assert body["receptions"][0]["visitor_phone"] == "13812341234"  # the recorder sees the number
    assert shift.assignments.get().attendance == "attended"
    upload = client.post(f"/api/v1/visits/{body['id']}/photos/", {"photos": [SimpleUploadedFile("a.jpg", jpeg_bytes())]},
                         format="multipart")
    assert upload.status_code == 201 and len(upload.json()["photos"]) == 1
    bad = client.post(f"/api/v1/visits/{body['id']}/photos/", {"photos": [SimpleUploadedFile("b.jpg", b"text")]},
                      format="multipart")
    assert bad.status_code == 400 and "不是有效的图片" in str(bad.json())
    assert VisitPhoto.objects.count() == 1


def test_bad_visits_are_refused_and_save_nothing(deputy_user, api, station, member):
    category = Category.objects.get(name="教育")
    client = api(deputy_user)
    for payload, message in [
        ({"start_time": "11:00", "end_time": "10:00"}, "结束时间必须晚于开始时间"),
        ({"date": (timezone.localdate() + timedelta(days=2)).isoformat()}, "不能登记今天以后"),
        ({"receptions": [{"visitor_name": "甲", "visitor_phone": "123", "category": category.pk, "content": "x", "handling": "answered"}]},
         "11位手机号码"),
    ]:
        data = {"station": station.pk, "date": timezone.localdate().isoformat(), "start_time": "09:00", "end_time": "10:00"}
        data.update(payload)
        response = client.post("/api/v1/visits/", data, format="json")
        assert response.status_code == 400 and message in str(response.json()), payload
    assert not Visit.objects.exists()


def test_visit_phones_are_masked_for_managers(manager, staff, api, station, deputy_user):
    ReceptionFactory(visit=VisitFactory(station=station, deputy=deputy_user.deputy), visitor_phone="13812341234")
    assert api(manager).get("/api/v1/visits/").json()["results"][0]["receptions"][0]["visitor_phone"] == "138****1234"
    assert api(staff).get("/api/v1/visits/").json()["results"][0]["receptions"][0]["visitor_phone"] == "13812341234"
    assert api(staff).post("/api/v1/visits/", {}, format="json").status_code == 403


def test_activity_sign_up_and_full_refusal(deputy_user, api, township, staff):
    activity = ActivityFactory(capacity=1)
    first = make_deputy_with_account(township, "甲")
    assert api(first.user).post(f"/api/v1/activities/{activity.pk}/sign-up/").status_code == 201
    full = api(deputy_user).post(f"/api/v1/activities/{activity.pk}/sign-up/")
    assert full.status_code == 409 and "名额已满" in full.json()["detail"]
    rows = api(deputy_user).get("/api/v1/activities/").json()["results"]
    assert rows[0]["signup_count"] == 1 and rows[0]["signed_up"] is False
    assert api(first.user).get("/api/v1/signups/").json()["count"] == 1
    assert api(deputy_user).get("/api/v1/signups/").json()["count"] == 0
    assert api(staff).get(f"/api/v1/signups/?activity={activity.pk}").json()["count"] == 1
    assert api(first.user).post(f"/api/v1/activities/{activity.pk}/withdraw/").status_code == 200
    assert api(deputy_user).post(f"/api/v1/activities/{activity.pk}/sign-up/").status_code == 201


def test_activities_are_published_by_organisers_only(staff, deputy_user, api):
    start = timezone.now() + timedelta(days=5)
    payload = {"title": "述职评议", "kind": "report", "starts_at": start.isoformat(),
               "ends_at": (start + timedelta(hours=2)).isoformat(), "signup_deadline": (start - timedelta(days=1)).isoformat()}
    assert api(deputy_user).post("/api/v1/activities/", payload, format="json").status_code == 403
    created = api(staff).post("/api/v1/activities/", payload, format="json")
    assert created.status_code == 201 and created.json()["kind_display"] == "向选民述职"
    late = dict(payload, signup_deadline=(start + timedelta(days=1)).isoformat())
    assert api(staff).post("/api/v1/activities/", late, format="json").status_code == 400


def test_schema_builds(staff, api, db):
    response = api(staff).get("/api/schema/")
    assert response.status_code == 200 and b"/api/v1/shifts/" in response.content


def test_township_names_are_returned(staff, api, db):
    station = StationFactory(township=TownshipFactory(name="白沙镇"))
    assert api(staff).get(f"/api/v1/stations/{station.pk}/").json()["township_name"] == "白沙镇"
