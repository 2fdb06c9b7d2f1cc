"""Searching the opinions by words (core.search): the inbox's 关键词 box and `?q=` on the API,
ranked and highlighted on PostgreSQL, within what the user may see."""

import pytest
from django.db import connection
from django.test import Client

from opinions import services
from opinions.models import Opinion
from stations.models import Reception
from tests.conftest import require_or_skip
from tests.factories import ReceptionFactory, StationFactory, VisitFactory

WANTED = "老旧小区加装电梯的建议：楼里老人多，上下楼困难。"
WEAKER = "小区门口的路灯坏了好几盏，晚上很黑。另外楼里电梯经常停运，希望物业加装监控并及时维修。"
OTHER = "村口道路坑洼，雨天积水严重，希望尽快修补。"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        require_or_skip("the ranked full-text search runs on PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def opinions(world):
    """The wanted opinion, a weaker match (both words, far apart, in a longer text), one without
    the words, and one with the words in another township (青山镇)."""
    return {
        "wanted": world.opinion(content=WANTED, name="赵小红"),
        "weaker": world.opinion(content=WEAKER, name="钱大伯"),
        "other": world.opinion(content=OTHER, name="孙阿姨"),
        "elsewhere": world.opinion(station=world.other_station, content="青山镇老旧小区加装电梯的建议。"),
    }


def found(response):
    return [row["id"] for row in response.json()["results"]]


def test_staff_find_the_opinion_by_two_words_ranked_above_a_weaker_match(postgresql, world, opinions):
    response = client_for(world.staff).get("/api/v1/opinions/", {"q": "加装电梯"})
    assert response.status_code == 200
    ids = found(response)
    assert [pk for pk in ids if pk != opinions["elsewhere"].pk] == [opinions["wanted"].pk, opinions["weaker"].pk]
    wanted = next(row for row in response.json()["results"] if row["id"] == opinions["wanted"].pk)
    assert "<mark>加装电梯</mark>" in wanted["snippet"]


def test_the_inbox_shows_the_matches_best_first_with_the_words_marked(postgresql, world, opinions):
    page = client_for(world.staff).get("/opinions/", {"q": "加装电梯"}).content.decode()
    assert page.index(opinions["wanted"].tracking_code) < page.index(opinions["weaker"].tracking_code)
    assert opinions["other"].tracking_code not in page
    assert "<mark>加装电梯</mark>" in page
    assert 'type="search"' in page and 'value="加装电梯"' in page


def test_the_search_stays_within_what_the_user_may_see(postgresql, world, opinions):
    # staff of 青山镇 find only 青山镇's; the whole county's staff find both townships'
    ids = found(client_for(world.township_staff).get("/api/v1/opinions/", {"q": "加装电梯"}))
    assert ids == [opinions["elsewhere"].pk]
    assert opinions["elsewhere"].pk in found(client_for(world.staff).get("/api/v1/opinions/", {"q": "加装电梯"}))
    # a unit finds only what was referred to it
    services.adopt(opinions["weaker"], by=world.deputy_user)
    services.refer(opinions["weaker"], unit=world.unit, by=world.deputy_user)
    assert found(client_for(world.unit_user).get("/api/v1/opinions/", {"q": "加装电梯"})) == [opinions["weaker"].pk]
    assert found(client_for(world.other_unit_user).get("/api/v1/opinions/", {"q": "加装电梯"})) == []
    page = client_for(world.other_unit_user).get("/opinions/", {"q": "加装电梯"}).content.decode()
    assert opinions["weaker"].tracking_code not in page


def test_staff_find_a_person_by_name_units_do_not(postgresql, world, opinions):
    assert found(client_for(world.staff).get("/api/v1/opinions/", {"q": "赵小红"})) == [opinions["wanted"].pk]
    services.adopt(opinions["wanted"], by=world.deputy_user)
    services.refer(opinions["wanted"], unit=world.unit, by=world.deputy_user)
    # a name shorter than three characters is not searched by substring (pg_trgm could not
    # serve it: every row would be read)
    assert found(client_for(world.staff).get("/api/v1/opinions/", {"q": "小红"})) == []
    # the unit sees the name masked (赵**): it may not find the opinion by it either
    assert found(client_for(world.unit_user).get("/api/v1/opinions/", {"q": "赵小红"})) == []


def test_a_reception_opinion_and_a_reply_are_found_by_their_words(postgresql, world):
    visit = VisitFactory(deputy=world.deputy, station=world.station)
    reception = ReceptionFactory(
        visit=visit, handling=Reception.Handling.FOLLOW_UP, category=world.category,
        content="希望在老旧小区加装电梯，老人出行方便。",
    )
    opinion = services.open_from_reception(reception)
    staff = client_for(world.staff)
    assert found(staff.get("/api/v1/opinions/", {"q": "加装电梯"})) == [opinion.pk]
    services.answer(opinion, by=world.deputy_user, reply="已协调住建部门，纳入明年改造计划。")
    assert found(staff.get("/api/v1/opinions/", {"q": "改造计划"})) == [opinion.pk]


def test_a_tracking_code_is_found_too(world, opinions):
    code = opinions["other"].tracking_code
    assert found(client_for(world.staff).get("/api/v1/opinions/", {"q": code.lower()})) == [opinions["other"].pk]


def test_the_search_finds_the_words_on_any_database(world, opinions):
    """On SQLite (make run) a contains-search; the same query finds the same record."""
    ids = found(client_for(world.staff).get("/api/v1/opinions/", {"q": "加装电梯"}))
    assert opinions["wanted"].pk in ids and opinions["other"].pk not in ids


def test_an_empty_query_filters_nothing_and_a_too_long_one_is_refused(world, opinions):
    staff = client_for(world.staff)
    assert len(found(staff.get("/api/v1/opinions/", {"q": "  "}))) == 4
    response = staff.get("/api/v1/opinions/", {"q": "电梯" * 51})
    assert response.status_code == 400 and "q" in response.json()
    response = staff.get("/opinions/", {"q": "电梯" * 51})
    assert response.status_code == 400
    assert "100" in response.content.decode()


def test_markup_in_a_query_or_a_record_is_escaped(world):
    opinion = world.opinion(content="<script>alert(1)</script> 老旧小区加装电梯")
    page = client_for(world.staff).get("/opinions/", {"q": "<b>加装电梯"}).content.decode()
    assert "<script>alert(1)" not in page and "<b>加装" not in page
    assert opinion.tracking_code not in page or "&lt;script&gt;" in page


@pytest.mark.parametrize("n", [5, 40])
def test_the_inbox_with_a_query_runs_a_bounded_number_of_queries(world, n, django_assert_max_num_queries):
    stations = [world.station, StationFactory(township=world.township)]
    for i in range(n):
        world.opinion(station=stations[i % 2], content=f"第{i}条：老旧小区加装电梯，楼里老人多。")
    client = client_for(world.staff)
    with django_assert_max_num_queries(17):
        assert client.get("/opinions/", {"q": "加装电梯"}).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/opinions/", {"q": "加装电梯"}).status_code == 200
    assert Opinion.objects.count() == n
