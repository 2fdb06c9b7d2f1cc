"""The empty filter forms of the suggestion list and the opinion inbox are shared (their choices
are whole tables: 1,400 stations in a city) until a row of those tables changes; a filtered
view, and a role or scope with other choices, always gets its own."""

import re

import pytest
from django.core.cache import cache

from divisions.models import HandlingUnit
from suggestions.models import Category as SuggestionCategory
from tests.factories import HandlingUnitFactory, StationFactory, TownshipFactory


@pytest.fixture
def shared(settings):
    settings.FILTER_FORM_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def without_csrf(html):
    return html.split('name="csrfmiddlewaretoken"')[0]


def options(html, name):
    """The option labels of the select `name`."""
    start = html.index(f'<select name="{name}"')
    block = html[start:html.index("</select>", start)]
    return re.findall(r"<option[^>]*>([^<]*)</option>", block)


@pytest.mark.django_db
def test_the_suggestion_filter_form_is_shared_until_a_choice_table_changes(
    shared, login, staff, django_assert_max_num_queries
):
    HandlingUnitFactory(name="县交通运输局")
    client = login(staff)
    first = client.get("/suggestions/").content.decode()
    assert "县交通运输局" in first
    with django_assert_max_num_queries(7):  # session, user, count, page, notifications, prefetches
        assert without_csrf(client.get("/suggestions/").content.decode()) == without_csrf(first)

    SuggestionCategory.objects.create(name="乡村振兴", sort_order=99)
    unit = HandlingUnit.objects.create(name="县水利局")
    again = client.get("/suggestions/").content.decode()
    assert "乡村振兴" in options(again, "category")
    assert "县水利局" in options(again, "lead_unit")
    unit.delete()
    assert "县水利局" not in options(client.get("/suggestions/").content.decode(), "lead_unit")


@pytest.mark.django_db
def test_a_filtered_view_shows_its_own_choices_selected(shared, login, staff):
    unit = HandlingUnitFactory(name="县住建局")
    client = login(staff)
    client.get("/suggestions/")
    html = client.get(f"/suggestions/?lead_unit={unit.pk}").content.decode()
    assert f'<option value="{unit.pk}" selected>县住建局</option>' in html
    assert f'<option value="{unit.pk}" selected>' not in client.get("/suggestions/?page=1").content.decode()


@pytest.mark.django_db
def test_the_opinion_inbox_form_is_shared_per_scope_and_follows_new_stations(
    shared, login, staff, township_staff, township, other_township
):
    StationFactory(name="城关代表之家", township=township)
    StationFactory(name="青山联络站", township=other_township)
    county = login(staff).get("/opinions/").content.decode()
    assert {"城关代表之家", "青山联络站"} <= set(options(county, "station"))
    limited = login(township_staff).get("/opinions/").content.decode()
    assert options(limited, "station") == ["全部站点", "青山联络站"]

    StationFactory(name="城关新站", township=township)
    assert "城关新站" in options(login(staff).get("/opinions/").content.decode(), "station")
    TownshipFactory(name="新设街道")
    assert "新设街道" in options(login(staff).get("/opinions/").content.decode(), "township")


@pytest.mark.django_db
def test_the_visit_list_station_select_is_shared_per_scope_and_marks_the_chosen_station(
    shared, login, staff, township_staff, township, other_township, django_assert_max_num_queries
):
    chengguan = StationFactory(name="城关代表之家", township=township)
    StationFactory(name="青山联络站", township=other_township)
    client = login(staff)
    first = client.get("/stations/visits/").content.decode()
    assert sorted(options(first, "station")) == sorted(["全部站点", "城关代表之家", "青山联络站"])
    with django_assert_max_num_queries(6):  # session, user, count, page, notifications, townships
        assert without_csrf(client.get("/stations/visits/").content.decode()) == without_csrf(first)
    assert options(login(township_staff).get("/stations/visits/").content.decode(), "station") == ["全部站点", "青山联络站"]

    StationFactory(name="城关新站", township=township)
    assert "城关新站" in options(client.get("/stations/visits/").content.decode(), "station")
    chosen = client.get(f"/stations/visits/?station={chengguan.pk}").content.decode()
    assert f'<option value="{chengguan.pk}" selected>城关代表之家</option>' in chosen
    assert f'<option value="{chengguan.pk}" selected>' not in client.get("/stations/visits/?page=1").content.decode()
