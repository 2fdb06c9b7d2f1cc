"""Issue 16's contracts, checked through the API on seed_demo's city (示范市: 连心县 and 临江区),
signed in with tokens as a client would (`POST /api/v1/auth/token/`, the demo password; the demo
accounts have no authenticator, so no second factor is asked).

- `GET /api/v1/regions/` lists the regions a user may see with `code`, `name`, `level`, `parent`.
- Deputy, station, opinion and suggestion objects carry `region` (the 行政区划 code).
- As `city_staff` the deputies list is the union of both counties' deputies and the city's; as
  `staff` (连心县) and `county2_staff` (临江区) the two sets are disjoint; another county's deputy
  by id is 404."""

import pytest
from django.test import Client

from deputies.models import Deputy, Seat
from divisions.models import Region

TOKEN_URL = "/api/v1/auth/token/"
DEMO_PASSWORD = "lianxin-demo"  # noqa: S105 (the published demo password)


def api_client(username):
    response = Client().post(TOKEN_URL, {"username": username, "password": DEMO_PASSWORD},
                             content_type="application/json")
    assert response.status_code == 200, response.content
    return Client(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")


def every_row(client, url):
    rows, page = [], f"{url}?page_size=100"
    while page:
        response = client.get(page)
        assert response.status_code == 200, (url, response.status_code)
        body = response.json()
        rows += body["results"]
        page = body["next"]
    return rows


@pytest.fixture
def clients(world):
    return {name: api_client(name) for name in ("staff", "county2_staff", "city_staff")}


def test_regions_list_what_each_staff_member_may_see(world, clients):
    city = Region.objects.get(level="city")
    for name, client in clients.items():
        response = client.get("/api/v1/regions/")
        assert response.status_code == 200
        rows = response.json()
        own = world.users[name].region
        expected = Region.objects.filter(path__startswith=own.path)
        assert {row["code"] for row in rows} == set(expected.values_list("code", flat=True))
        codes = {row["code"] for row in rows}
        for row in rows:
            assert {"code", "name", "level", "parent"} <= set(row)
            region = Region.objects.get(code=row["code"])
            assert (row["name"], row["level"]) == (region.name, region.level)
            parent = region.parent_region
            assert row["parent"] == (parent.code if parent else None)
            assert row["parent"] in codes or region == own
    city_rows = clients["city_staff"].get("/api/v1/regions/").json()
    assert [row["code"] for row in city_rows if row["level"] == "city"] == [city.code]
    assert len([row for row in city_rows if row["level"] == "county"]) == 2


def test_deputies_of_the_two_counties_are_disjoint_and_the_city_sees_both(world, clients):
    rows = {name: every_row(client, "/api/v1/deputies/") for name, client in clients.items()}
    ids = {name: {row["id"] for row in found} for name, found in rows.items()}
    county, district = world.users["staff"].region, world.users["county2_staff"].region
    assert ids["staff"] == set(Deputy.objects.filter(township__path__startswith=county.path).values_list("pk", flat=True))
    assert ids["county2_staff"] == set(
        Deputy.objects.filter(township__path__startswith=district.path).values_list("pk", flat=True))
    assert ids["staff"] and ids["county2_staff"]
    assert not ids["staff"] & ids["county2_staff"]
    assert ids["city_staff"] == ids["staff"] | ids["county2_staff"]
    # The city's own deputies (a seat in 示范市人民代表大会) are among them.
    city_seats = set(Seat.objects.filter(congress__region__level="city").values_list("deputy_id", flat=True))
    assert city_seats and city_seats <= ids["city_staff"]
    # Each row names its region, within the county of whoever asked.
    for name, region in [("staff", county), ("county2_staff", district)]:
        assert all(row["region"] and row["region"].startswith(region.code) for row in rows[name])
    # Another county's deputy by id: 404; the city's staff open both.
    theirs, mine = min(ids["county2_staff"]), min(ids["staff"])
    assert clients["staff"].get(f"/api/v1/deputies/{theirs}/").status_code == 404
    assert clients["county2_staff"].get(f"/api/v1/deputies/{mine}/").status_code == 404
    for pk in (theirs, mine):
        response = clients["city_staff"].get(f"/api/v1/deputies/{pk}/")
        assert response.status_code == 200
        assert response.json()["region"] == Deputy.objects.get(pk=pk).township.code


def region_objects():
    from opinions.models import Opinion
    from stations.models import Station
    from suggestions.models import Suggestion

    return [
        ("/api/v1/deputies/", Deputy, lambda obj: obj.township),
        ("/api/v1/stations/", Station, lambda obj: obj.township),
        ("/api/v1/opinions/", Opinion, lambda obj: obj.station.township),
        ("/api/v1/suggestions/", Suggestion, lambda obj: obj.congress.region),
    ]


@pytest.mark.parametrize("index", range(4), ids=["deputy", "station", "opinion", "suggestion"])
def test_deputy_station_opinion_and_suggestion_objects_carry_their_region(world, clients, index):
    url, model, region_of = region_objects()[index]
    client = clients["city_staff"]
    rows = every_row(client, url)
    for row in rows:
        assert row["region"] == region_of(model.objects.get(pk=row["id"])).code, row["id"]
    detail = client.get(f"{url}{rows[0]['id']}/")
    assert detail.status_code == 200 and detail.json()["region"] == rows[0]["region"]
    # Both counties' rows are there, each with its own codes.
    codes = {row["region"] for row in rows}
    for county in (world.users["staff"].region, world.users["county2_staff"].region):
        assert any(code.startswith(county.code) for code in codes), county
