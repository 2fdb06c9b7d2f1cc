"""Searching the suggestions by words (core.search): the list's 关键词 box and `?q=` on the API,
ranked and highlighted on PostgreSQL, within what the user may see."""

import pytest
from django.db import connection

from suggestions import services
from suggestions.models import State, Suggestion
from tests.conftest import require_or_skip


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        require_or_skip("the ranked full-text search runs on PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def submitted(loop):
    """The wanted suggestion, a weaker match (the words apart, in the content only) and one
    without them, all submitted."""
    return {
        "wanted": loop.to(State.SUBMITTED, title="老旧小区加装电梯的建议", content="楼里老人多，上下楼困难。"),
        "weaker": loop.to(
            State.SUBMITTED, title="关于改善居民出行条件的建议",
            content="小区门口的路灯坏了。另外楼里电梯经常停运，建议物业加装监控。",
        ),
        "other": loop.to(State.SUBMITTED, title="修复城关镇中心路坑洼路面", content="中心路多处坑洼。"),
    }


def found(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_two_words_find_the_suggestion_ranked_above_a_weaker_match(postgresql, loop, login, submitted):
    response = login(loop.staff).get("/api/v1/suggestions/", {"q": "加装电梯"})
    assert found(response) == [submitted["wanted"].pk, submitted["weaker"].pk]
    first, second = response.json()["results"]
    assert first["title_highlight"] == "老旧小区<mark>加装电梯</mark>的建议"
    assert "<mark>电梯</mark>" in second["snippet"] and "<mark>加装</mark>" in second["snippet"]
    # without a query the fields are empty
    assert login(loop.staff).get("/api/v1/suggestions/").json()["results"][0]["title_highlight"] == ""


def test_the_list_shows_the_matches_best_first_with_the_words_marked(postgresql, loop, login, submitted):
    page = login(loop.staff).get("/suggestions/", {"q": "加装电梯"}).content.decode()
    assert "老旧小区<mark>加装电梯</mark>的建议" in page
    assert page.index("加装电梯</mark>的建议") < page.index("关于改善居民出行条件的建议")
    assert "修复城关镇中心路" not in page
    assert 'type="search"' in page


def test_a_replys_words_find_its_suggestion(postgresql, loop, login):
    suggestion = loop.to(State.REPLIED, title="中心路修复", content="坑洼路面。")
    assert found(login(loop.staff).get("/api/v1/suggestions/", {"q": "安排资金"})) == [suggestion.pk]


def test_the_search_stays_within_what_the_user_may_see(loop, login, submitted):
    # staff of 青山镇 see none of 城关镇's suggestions, nor find them
    assert found(login(loop.township_staff).get("/api/v1/suggestions/", {"q": "加装电梯"})) == []
    page = login(loop.township_staff).get("/suggestions/", {"q": "加装电梯"}).content.decode()
    assert "老旧小区" not in page
    # a unit finds only what is assigned to it
    loop.assign(services.accept_suggestion(submitted["weaker"], by=loop.staff))
    assert found(login(loop.lead_unit_user).get("/api/v1/suggestions/", {"q": "路灯"})) == [submitted["weaker"].pk]
    assert found(login(loop.lead_unit_user).get("/api/v1/suggestions/", {"q": "上下楼"})) == []
    assert found(login(loop.other_unit_user).get("/api/v1/suggestions/", {"q": "路灯"})) == []
    # a deputy finds their own only
    assert found(login(loop.other_deputy).get("/api/v1/suggestions/", {"q": "加装电梯"})) == []


def test_the_earlier_search_parameter_and_numbers_still_work(loop, login, submitted):
    staff = login(loop.staff)
    assert submitted["wanted"].pk in found(staff.get("/api/v1/suggestions/", {"search": "加装电梯"}))
    number = Suggestion.objects.get(pk=submitted["other"].pk).number
    if number is not None:
        assert found(staff.get("/api/v1/suggestions/", {"q": f"第{number}号"})) == [submitted["other"].pk]


def test_the_search_finds_the_words_on_any_database(loop, login, submitted):
    """On SQLite (make run) a contains-search; the same query finds the same record."""
    ids = found(login(loop.staff).get("/api/v1/suggestions/", {"q": "加装电梯"}))
    assert submitted["wanted"].pk in ids and submitted["other"].pk not in ids


def test_an_empty_query_filters_nothing_and_a_too_long_one_is_refused(loop, login, submitted):
    staff = login(loop.staff)
    assert len(found(staff.get("/api/v1/suggestions/", {"q": ""}))) == 3
    response = staff.get("/api/v1/suggestions/", {"q": "电梯" * 51})
    assert response.status_code == 400 and "q" in response.json()
    response = staff.get("/suggestions/", {"q": "电梯" * 51})
    assert response.status_code == 400 and "100" in response.content.decode()


def test_markup_in_a_title_is_escaped_around_the_marks(loop, login):
    loop.to(State.SUBMITTED, title="<img src=x onerror=alert(1)>加装电梯")
    page = login(loop.staff).get("/suggestions/", {"q": "加装电梯"}).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page


@pytest.mark.parametrize("count", [8, 40])
def test_the_list_with_a_query_runs_a_bounded_number_of_queries(count, loop, login, django_assert_max_num_queries):
    for i in range(count):
        suggestion = loop.draft(title=f"第{i}件：老旧小区加装电梯", content="楼里老人多。", cosigners=[])
        loop.submit(suggestion)
    for user in (loop.staff, loop.lead):
        client = login(user)
        with django_assert_max_num_queries(15):
            assert client.get("/suggestions/", {"q": "加装电梯"}).status_code == 200
        with django_assert_max_num_queries(12):
            assert client.get("/api/v1/suggestions/", {"q": "加装电梯"}).status_code == 200
