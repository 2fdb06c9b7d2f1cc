"""The staff's and units' suggestion table keeps each row's HTML (views.table_rows,
core.caching.rendered_rows) until the suggestion is saved, a name on the row changes or the
day turns; whatever the cache holds, the page is the one rendered afresh."""

import re
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.template import loader
from django.utils import timezone

from deputies.models import Deputy
from suggestions.models import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    settings.LIST_ROW_CACHE_SECONDS = 600
    settings.FILTER_FORM_CACHE_SECONDS = 600
    cache.clear()
    yield settings
    cache.clear()


def table(response):
    """The table body, without the per-visitor CSRF token."""
    html = response.content.decode()
    return html[html.index("<tbody>"):html.index("</tbody>")]


def fresh(client, settings, path="/suggestions/"):
    """The same page with every row rendered afresh."""
    seconds, settings.LIST_ROW_CACHE_SECONDS = settings.LIST_ROW_CACHE_SECONDS, 0
    try:
        return table(client.get(path))
    finally:
        settings.LIST_ROW_CACHE_SECONDS = seconds


def test_kept_rows_cost_no_row_queries_and_render_the_same(kept, loop, login, django_assert_num_queries):
    for title in ("路灯维修", "校车安全", "农贸市场改造"):
        loop.to(State.ASSIGNED, title=title)
    client = login(loop.staff)
    first = table(client.get("/suggestions/"))
    assert all(title in first for title in ("路灯维修", "校车安全", "农贸市场改造"))
    # session, user, the page's (pk, updated_at), unread notifications: no row objects (the
    # unfiltered count is kept too)
    with django_assert_num_queries(4):
        again = table(client.get("/suggestions/"))
    assert again == first == fresh(client, kept)


def test_a_row_changes_with_its_suggestion_and_with_the_names_it_shows(kept, loop, login):
    suggestion = loop.to(State.ACCEPTED, title="路灯维修")
    client = login(loop.staff)
    assert "已立案" in table(client.get("/suggestions/"))

    loop.assign(suggestion)
    page = table(client.get("/suggestions/"))
    assert "办理中" in page and "已立案" not in page and page == fresh(client, kept)

    deputy = Deputy.objects.get(user=loop.lead)
    deputy.name = "李改名"
    deputy.save()
    page = table(client.get("/suggestions/"))
    assert "李改名" in page and page == fresh(client, kept)
    loop.lead_unit.name = "县城市管理局"
    loop.lead_unit.save()
    page = table(client.get("/suggestions/"))
    assert "县城市管理局" in page and page == fresh(client, kept)


def test_days_left_follow_the_calendar(kept, loop, login):
    kept.LIST_ROW_CACHE_SECONDS = 60 * 86400  # kept across the days travelled
    kept.PASSWORD_MAX_AGE_DAYS = 0  # three months on, the staff's password age is not this test's point
    suggestion = loop.to(State.ASSIGNED, title="路灯维修")
    left = (suggestion.deadline - timezone.localdate()).days
    assert f"还有{left}天" in table(login(loop.staff).get("/suggestions/"))
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert f"还有{left - 1}天" in table(login(loop.staff).get("/suggestions/"))
    with time_machine.travel(timezone.now() + timedelta(days=left + 3)):
        client = login(loop.staff)
        page = table(client.get("/suggestions/"))
        assert "已逾期3天" in page and page == fresh(client, kept)


def test_each_unit_sees_its_own_part_on_a_shared_row(kept, loop, login):
    loop.to(State.ASSIGNED, title="路灯维修")
    lead = table(login(loop.lead_unit_user).get("/suggestions/"))
    co = table(login(loop.co_unit_user).get("/suggestions/"))
    assert re.search(r'<span class="badge">主办</span>', lead)
    assert re.search(r'<span class="badge">协办</span>', co)


def test_a_new_release_renders_every_row_again(kept, loop, login):
    """`migrate`, which every deploy runs, forgets HTML built by the previous release's templates."""
    loop.to(State.ASSIGNED, title="路灯维修")
    client = login(loop.staff)
    with mock.patch("suggestions.views.get_template", wraps=loader.get_template) as rendering:
        first = table(client.get("/suggestions/"))
        assert rendering.call_count == 1
        client.get("/suggestions/")
        assert rendering.call_count == 1  # kept
        call_command("migrate", verbosity=0)
        assert table(client.get("/suggestions/")) == first
        assert rendering.call_count == 2


def test_without_the_cache_every_row_is_rendered(kept, loop, login):
    loop.to(State.ASSIGNED, title="路灯维修")
    services_down = mock.patch.object(cache, "get_many", side_effect=ConnectionError("Redis down"))
    with services_down, mock.patch.object(cache, "set_many", side_effect=ConnectionError("Redis down")):
        response = login(loop.staff).get("/suggestions/")
    assert response.status_code == 200 and "路灯维修" in table(response)
