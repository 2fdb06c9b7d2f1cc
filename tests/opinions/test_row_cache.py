"""The opinion inbox keeps each row's HTML (views.table_rows, core.caching.rendered_rows) until
the opinion is saved, a name on the row changes or its deadline passes; whatever the cache holds,
the page is the one rendered afresh."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from opinions import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    settings.LIST_ROW_CACHE_SECONDS = 60 * 86400  # kept across the days travelled below
    settings.FILTER_FORM_CACHE_SECONDS = 600
    return settings


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def table(client):
    html = client.get("/opinions/").content.decode()
    return html[html.index("<tbody>"):html.index("</tbody>")]


def fresh(client, settings):
    seconds, settings.LIST_ROW_CACHE_SECONDS = settings.LIST_ROW_CACHE_SECONDS, 0
    try:
        return table(client)
    finally:
        settings.LIST_ROW_CACHE_SECONDS = seconds


def test_kept_rows_cost_no_row_queries_and_render_the_same(kept, world, django_assert_num_queries):
    for _ in range(3):
        world.opinion()
    client = signed_in(world.staff)
    first = table(client)
    assert first.count("<tr>") == 3
    # session, user, the page's (pk, updated_at, due_at), notifications (the unfiltered count and
    # the bulk form's units are kept too)
    with django_assert_num_queries(4):
        assert table(client) == first
    assert first == fresh(client, kept)


def test_a_row_follows_its_opinion_and_the_names_it_shows(kept, world):
    opinion = world.opinion()
    client = signed_in(world.staff)
    assert "县交通运输局" not in table(client)
    services.refer(opinion, unit=world.unit, by=world.staff)
    assert "县交通运输局" in table(client)
    world.unit.name = "县城市管理局"
    world.unit.save()
    assert "县城市管理局" in table(client)
    world.station.name = "人民路新联络站"
    world.station.save()
    page = table(client)
    assert "人民路新联络站" in page and page == fresh(client, kept)


def test_the_overdue_badge_appears_when_the_deadline_passes(kept, world):
    opinion = world.opinion()
    services.refer(opinion, unit=world.unit, by=world.staff)
    opinion.refresh_from_db()
    assert "已逾期" not in table(signed_in(world.staff))
    with time_machine.travel(opinion.due_at + timedelta(hours=1)):
        client = signed_in(world.staff)
        page = table(client)
        assert "已逾期" in page and page == fresh(client, kept)


def test_only_staff_rows_have_tick_boxes(kept, world):
    opinion = world.opinion()
    services.refer(opinion, unit=world.unit, by=world.staff)
    assert f'name="ids" value="{opinion.pk}"' in table(signed_in(world.staff))
    assert 'name="ids"' not in table(signed_in(world.unit_user))  # not the staff's kept row


def count(client, query=""):
    html = client.get("/opinions/" + query).content.decode()
    return html[html.index('id="result-count">'):].split("</p>")[0]


def test_the_staffs_unfiltered_count_is_shared_per_scope_until_an_opinion_changes(kept, world):
    world.opinion()
    world.opinion(station=world.other_station)
    county, township = signed_in(world.staff), signed_in(world.township_staff)
    assert "共 2 条意见" in count(county) and "共 1 条意见" in count(township)
    world.opinion(station=world.other_station)
    assert "共 3 条意见" in count(county) and "共 2 条意见" in count(township)
    assert "共 1 条意见" in count(county, f"?station={world.station.pk}")
    world.other_station.township = world.township
    world.other_station.save()
    assert "共 0 条意见" in count(township)
