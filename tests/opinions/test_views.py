"""Signed-in pages and API: scope by role (units see only their referrals), the staff inbox's
filters, bulk referral, export, and bounded queries."""

import io
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from opinions import services
from opinions.models import Opinion, State
from tests.factories import CategoryFactory, StationFactory, TownshipFactory, UserFactory
from tests.opinions.factories import OpinionFactory


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def referred(world):
    """One opinion referred to 县交通运输局 and one to 县教育局."""
    mine = world.opinion(content="县道路面破损，需要修补，影响群众出行安全。")
    services.adopt(mine, by=world.deputy_user)
    services.refer(mine, unit=world.unit, by=world.deputy_user)
    theirs = world.opinion(content="村小学校舍漏雨，孩子们上课受影响，请教育局关注。")
    services.adopt(theirs, by=world.deputy_user)
    services.refer(theirs, unit=world.other_unit, by=world.deputy_user)
    return mine, theirs


# --- A unit sees and acts on only what was referred to it -----------------------------------


def test_a_unit_cannot_see_or_act_on_another_units_opinion_through_pages(world, referred):
    mine, theirs = referred
    client = client_for(world.unit_user)
    listing = client.get("/opinions/").content.decode()
    assert mine.tracking_code in listing and theirs.tracking_code not in listing
    assert client.get(f"/opinions/{mine.pk}/").status_code == 200
    assert client.get(f"/opinions/{theirs.pk}/").status_code == 404
    for step, data in [("accept", {}), ("return", {"reason": "不归我们"}), ("reply", {"reply": "已办"})]:
        assert client.post(f"/opinions/{theirs.pk}/{step}/", data).status_code == 404
    assert Opinion.objects.get(pk=theirs.pk).state == State.REFERRED
    assert client.get("/opinions/export.xlsx").status_code == 403  # units do not export the inbox


def test_a_unit_cannot_see_or_act_on_another_units_opinion_through_the_api(world, referred):
    mine, theirs = referred
    client = client_for(world.unit_user)
    listed = client.get("/api/v1/opinions/").json()
    assert [o["tracking_code"] for o in listed["results"]] == [mine.tracking_code]
    assert client.get(f"/api/v1/opinions/{theirs.pk}/").status_code == 404
    for step, body in [("accept", {}), ("return", {"reason": "不归我们"}), ("reply", {"reply": "已办"})]:
        response = client.post(
            f"/api/v1/opinions/{theirs.pk}/{step}/", data=json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 404
    assert Opinion.objects.get(pk=theirs.pk).state == State.REFERRED
    accepted = client.post(f"/api/v1/opinions/{mine.pk}/accept/", data={}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["state"] == "handling"
    assert accepted.json()["phone"] == "139****5678"  # units see the number masked


def test_the_unit_handles_its_referral_on_the_page(world, referred):
    mine, _theirs = referred
    client = client_for(world.unit_user)
    page = client.get(f"/opinions/{mine.pk}/").content.decode()
    assert "接单办理" in page and "139****5678" in page and "13912345678" not in page
    assert client.post(f"/opinions/{mine.pk}/accept/", {"note": ""}).status_code == 302
    response = client.post(f"/opinions/{mine.pk}/reply/", {"reply": "已修补完毕。"}, follow=True)
    assert "已答复，意见办结" in response.content.decode()
    assert Opinion.objects.get(pk=mine.pk).state == State.CLOSED
    # An impossible step: a clear message, nothing changes.
    response = client.post(f"/opinions/{mine.pk}/accept/", {"note": ""})
    assert response.status_code == 409 and "当前状态为“已办结”" in response.content.decode()


def test_wrong_roles_get_403_and_anonymous_users_the_login(world, referred):
    mine, _theirs = referred
    assert Client().get("/opinions/").status_code == 302
    assert Client().get("/api/v1/opinions/").status_code in (401, 403)
    # The unit sees its referral but adopting is a deputy's step: 403, on the page and the API.
    client = client_for(world.unit_user)
    assert client.post(f"/api/v1/opinions/{mine.pk}/adopt/", {}, content_type="application/json").status_code == 403
    assert client.post(f"/opinions/{mine.pk}/adopt/", {}).status_code == 403


# --- Deputies: their stations' opinions; adopting shows the full number ----------------------


def test_deputies_see_their_stations_opinions_and_adopt_them(world):
    here = world.opinion()
    elsewhere = world.opinion(station=world.other_station)
    client = client_for(world.deputy_user)
    listing = client.get("/opinions/").content.decode()
    assert here.tracking_code in listing and elsewhere.tracking_code not in listing
    assert client.get(f"/opinions/{elsewhere.pk}/").status_code == 404
    page = client.get(f"/opinions/{here.pk}/").content.decode()
    assert "139****5678" in page and "接单" in page
    client.post(f"/opinions/{here.pk}/adopt/", {"note": ""})
    page = client.get(f"/opinions/{here.pk}/").content.decode()
    assert "13912345678" in page
    assert f'href="/suggestions/new/?opinion={here.pk}"' in page and "转为代表建议" in page
    other_deputy_page = client_for(world.second_deputy_user).get(f"/opinions/{here.pk}/").content.decode()
    assert "139****5678" in other_deputy_page and "转为代表建议" not in other_deputy_page


def test_a_station_manager_sees_their_stations_opinions_read_only(world):
    manager = UserFactory(username="manager9", role=Role.STATION_MANAGER)
    world.station.manager = manager
    world.station.save()
    opinion = world.opinion()
    world.opinion(station=world.other_station)
    client = client_for(manager)
    assert client.get("/opinions/").context["paginator"].count == 1
    page = client.get(f"/opinions/{opinion.pk}/").content.decode()
    assert "139****5678" in page and 'id="actions"' not in page


# --- The staff inbox ------------------------------------------------------------------------


def test_staff_inbox_filters(world):
    roads = world.opinion()
    school = world.opinion(category=CategoryFactory(name="教育"), station=world.other_station)
    late = world.opinion(due_at=timezone.now() - timedelta(days=1))
    old = world.opinion()
    Opinion.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    services.adopt(roads, by=world.deputy_user)
    client = client_for(world.staff)

    def codes(**params):
        response = client.get("/opinions/", params)
        assert response.status_code == 200
        return set(Opinion.objects.filter(pk__in=response.context["opinion_ids"]).values_list("tracking_code", flat=True))

    assert codes() == {o.tracking_code for o in (roads, school, late, old)}
    assert codes(township=world.other_township.pk) == {school.tracking_code}
    assert codes(station=world.station.pk) == {roads.tracking_code, late.tracking_code, old.tracking_code}
    assert codes(state="adopted") == {roads.tracking_code}
    assert codes(category=school.category.pk) == {school.tracking_code}
    assert codes(overdue="true") == {late.tracking_code}
    assert late.tracking_code not in codes(overdue="false")
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert old.tracking_code not in codes(submitted_from=since)
    assert codes(submitted_to=(timezone.localdate() - timedelta(days=30)).isoformat()) == {old.tracking_code}
    assert codes(code=roads.tracking_code.lower()) == {roads.tracking_code}


def test_township_staff_see_only_their_township(world):
    world.opinion()
    theirs = world.opinion(station=world.other_station)
    response = client_for(world.township_staff).get("/opinions/")
    assert response.context["opinion_ids"] == [theirs.pk]


def test_bulk_referral_from_the_inbox(world):
    first, second = world.opinion(), world.opinion()
    done = world.opinion()
    services.adopt(done, by=world.deputy_user)
    services.answer(done, by=world.deputy_user, reply="已答复")
    client = client_for(world.staff)
    response = client.post(
        "/opinions/bulk-refer/",
        {"ids": [first.pk, second.pk, done.pk], "unit": world.unit.pk, "note": "请统一处理"},
        follow=True,
    )
    text = response.content.decode()
    assert "已将2条意见转交县交通运输局" in text and done.tracking_code in text
    assert set(Opinion.objects.filter(state=State.REFERRED).values_list("pk", flat=True)) == {first.pk, second.pk}
    empty = client.post("/opinions/bulk-refer/", {"unit": world.unit.pk}, follow=True)
    assert "请先勾选要转交的意见" in empty.content.decode()
    assert client_for(world.deputy_user).post("/opinions/bulk-refer/", {"ids": [first.pk]}).status_code == 403


def test_staff_export_to_xlsx_with_filters(world):
    world.opinion()
    theirs = world.opinion(station=world.other_station)
    response = client_for(world.staff).get("/opinions/export.xlsx", {"township": world.other_township.pk})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "查询码" and len(rows) == 2
    assert rows[1][0] == theirs.tracking_code and rows[1][8] == "13912345678"


# --- Bounded queries ------------------------------------------------------------------------


def make_opinions(world, n):
    townships = [TownshipFactory(name=f"第{i}镇") for i in range(2)]
    stations = [world.station] + [StationFactory(township=t) for t in townships]
    for i in range(n):
        opinion = OpinionFactory(station=stations[i % 3], category=world.category)
        if i % 3 == 1:
            Opinion.objects.filter(pk=opinion.pk).update(
                state=State.REFERRED, adopted_by=world.deputy, unit=world.unit
            )


@pytest.mark.parametrize("n", [5, 40])
def test_the_staff_inbox_runs_a_bounded_number_of_queries(world, n, django_assert_max_num_queries):
    make_opinions(world, n)
    client = client_for(world.staff)
    # the page's (pk, updated_at, due_at), then its rows uncached (views.table_rows)
    with django_assert_max_num_queries(17):
        assert client.get("/opinions/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/opinions/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/opinions/export.xlsx").status_code == 200


@pytest.mark.parametrize("n", [5, 40])
def test_the_deputy_and_unit_lists_run_a_bounded_number_of_queries(world, n, django_assert_max_num_queries):
    make_opinions(world, n)
    for user in (world.deputy_user, world.unit_user):
        client = client_for(user)
        # townships, categories, deputies and units prefetched (Opinion.objects.for_list)
        with django_assert_max_num_queries(18):
            assert client.get("/opinions/").status_code == 200
        # 11: the full numbers of the opinions the deputy adopted are one 查阅 audit entry, one
        # INSERT for the whole list (issue 22, item 7).
        with django_assert_max_num_queries(11):
            assert client.get("/api/v1/opinions/").status_code == 200


@pytest.mark.parametrize("n", [1, 12])
def test_the_tracking_page_runs_a_bounded_number_of_queries(world, n, django_assert_max_num_queries):
    opinion = world.opinion()
    for _ in range(n):
        services.adopt(opinion, by=world.deputy_user)
        services.refer(opinion, unit=world.unit, by=world.deputy_user)
        services.return_referral(opinion, by=world.unit_user, reason="退回")
        Opinion.objects.filter(pk=opinion.pk).update(state=State.SUBMITTED, adopted_by=None)
    with django_assert_max_num_queries(4):
        assert Client().get(f"/track/{opinion.tracking_code}/").status_code == 200
    with django_assert_max_num_queries(4):
        assert Client().get(f"/api/v1/public/opinions/{opinion.tracking_code}/").status_code == 200
