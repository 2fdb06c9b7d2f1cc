"""generate_synthetic as a city (a few thousandths of the size, three counties): the tree, each
county's own suggestions and units, and the city's staff read their lists with as many queries
as a county's staff (scoping by subtree costs nothing per county)."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from demo import synthetic
from divisions.models import Congress, Region
from opinions.models import Opinion
from suggestions.models import Assignment, Suggestion

TODAY = date(2026, 11, 20)
# The city's staff pages of the benchmark (bench/city_scale.py).
PAGES = ["/suggestions/", "/opinions/", "/deputies/", "/dashboard/"]


@pytest.fixture
def city(db):
    synthetic.generate(factor=0.005, seed=5, today=TODAY, counties=3)


def test_a_city_of_counties_each_with_its_congress_suggestions_and_units(city):
    (root,) = Region.objects.filter(depth=1)
    assert root.level == "city"
    counties = list(Region.objects.filter(level="county").order_by("path"))
    assert len(counties) == 3 and all(c.path.startswith(root.path) for c in counties)
    assert counties[0].name == "连心县"
    assert all(Region.objects.filter(level="township", path__startswith=c.path).exists() for c in counties)
    assert Congress.objects.filter(region__in=[root, *counties]).count() == 4
    # A suggestion goes to the congress of its lead deputy's county, to that county's units.
    for suggestion in Suggestion.objects.select_related("congress__region", "township"):
        assert suggestion.township.path.startswith(suggestion.congress.region.path)
        assert suggestion.received_by_id == suggestion.congress_id
    assert not Assignment.objects.exclude(unit__congress=F("suggestion__congress")).exists()
    # An opinion is held by its station's township congress, or its county's for a 街道.
    for opinion in Opinion.objects.select_related("congress__region", "station__township")[:200]:
        assert opinion.station.township.path.startswith(opinion.congress.region.path)
    users = get_user_model().objects
    assert users.get(username="city_staff").region == root
    assert users.get(username="county_staff").region == counties[0]


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_city_staff_read_their_lists_with_as_many_queries_as_a_countys(city, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0  # the synthetic accounts' passwords are as old as the data
    clients = {}
    for username in ("city_staff", "county_staff"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        for url in PAGES:
            queries(client, url)  # what the process keeps after the first request
        clients[username] = client
    counts = {name: {url: queries(client, url) for url in PAGES} for name, client in clients.items()}
    assert counts["city_staff"] == counts["county_staff"], counts
