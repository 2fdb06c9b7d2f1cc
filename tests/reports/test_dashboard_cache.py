"""The dashboard's figures are shared for DASHBOARD_CACHE_SECONDS: the same page for every staff
member looking at the same year and scope, without its thirty aggregate queries, and never one
scope's figures for another."""

import pytest
from django.core.cache import cache

from tests.factories import TownshipFactory
from tests.points.conftest import YEAR
from tests.reports.test_figures import build_year

pytestmark = pytest.mark.calendar


@pytest.fixture
def county(records):
    build_year(records, size=3)
    qs = TownshipFactory(name="青山镇")
    build_year(records, township=qs, size=1)
    return qs


@pytest.fixture
def shared(settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_a_second_view_reuses_the_figures_and_shows_the_same_page(
    shared, county, login, staff, django_assert_max_num_queries
):
    client = login(staff)
    first = client.get(f"/dashboard/?year={YEAR}").content.decode()
    with django_assert_max_num_queries(6):  # session, user, notifications, the township choices
        second = client.get(f"/dashboard/?year={YEAR}").content.decode()
    strip = lambda html: html.split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert strip(first) == strip(second)
    assert 'data-figure="visits"><span class="value">7<' in second


@pytest.mark.django_db
def test_each_scope_and_year_has_its_own_figures(shared, county, login, staff, township_staff):
    assert 'data-figure="visits"><span class="value">7<' in login(staff).get(f"/dashboard/?year={YEAR}").content.decode()
    html = login(township_staff).get(f"/dashboard/?year={YEAR}").content.decode()
    assert 'data-figure="visits"><span class="value">1<' in html and "青山镇" in html
    other_year = login(staff).get(f"/dashboard/?year={YEAR - 1}").content.decode()
    assert 'data-figure="visits"><span class="value">0<' in other_year
