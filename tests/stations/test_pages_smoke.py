"""Every stations page answers each role as it should (200, 403 or a redirect to sign in)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from stations.models import LearningMaterial
from tests.factories import ActivityFactory, ReceptionFactory, VisitFactory
from tests.stations.conftest import make_shift

STAFF_PAGES = [
    "/stations/", "/stations/new/", "/stations/unassigned/", "/stations/categories/",
    "/stations/duty/", "/stations/duty/swaps/", "/stations/duty/report/", "/stations/duty/rules/",
    "/stations/duty/rules/new/", "/stations/duty/holidays/", "/stations/duty/unavailable/", "/stations/visits/", "/stations/activities/",
    "/stations/activities/new/", "/stations/materials/", "/stations/materials/new/",
]
DEPUTY_PAGES = ["/stations/my-duty/", "/stations/my-duty/duty.ics", "/stations/visits/new/", "/stations/visits/",
                "/stations/activities/", "/stations/materials/"]


@pytest.fixture
def world(station, member, deputy, manager):
    today = timezone.localdate()
    shift = make_shift(station, today + timedelta(days=2), [deputy])
    visit = VisitFactory(station=station, deputy=deputy)
    ReceptionFactory(visit=visit)
    activity = ActivityFactory(station=station)
    material = LearningMaterial.objects.create(title="学习资料第1期", body="正文")
    return {"shift": shift, "visit": visit, "activity": activity, "material": material}


def object_pages(station, world):
    return [
        f"/stations/{station.pk}/", f"/stations/{station.pk}/edit/", f"/stations/{station.pk}/members/",
        f"/stations/{station.pk}/poster/", f"/stations/{station.pk}/qr.svg", f"/stations/{station.pk}/qr.png",
        f"/stations/posters/?township={station.township_id}",
        f"/stations/visits/{world['visit'].pk}/", f"/stations/activities/{world['activity'].pk}/",
        f"/stations/activities/{world['activity'].pk}/edit/", f"/stations/materials/{world['material'].pk}/",
        f"/stations/duty/assignments/{world['shift'].assignments.get().pk}/swap/",
    ]


def test_staff_opens_every_page(staff, login, station, world):
    client = login(staff)
    for path in STAFF_PAGES + object_pages(station, world) + [station.public_path]:
        response = client.get(path)
        assert response.status_code == 200, path


def test_deputy_opens_their_pages_and_is_refused_staff_pages(deputy_user, login, world):
    client = login(deputy_user)
    for path in DEPUTY_PAGES + [f"/stations/visits/{world['visit'].pk}/", f"/stations/activities/{world['activity'].pk}/"]:
        assert client.get(path).status_code == 200, path
    for path in ["/stations/", "/stations/new/", "/stations/duty/", "/stations/duty/report/", "/stations/categories/"]:
        assert client.get(path).status_code == 403, path


def test_manager_opens_their_station_pages(manager, login, station, world):
    client = login(manager)
    for path in ["/stations/", f"/stations/{station.pk}/", f"/stations/{station.pk}/edit/", "/stations/duty/",
                 "/stations/duty/swaps/", "/stations/visits/", "/stations/activities/", "/stations/activities/new/"]:
        assert client.get(path).status_code == 200, path
    for path in ["/stations/new/", "/stations/duty/report/", "/stations/duty/rules/", "/stations/my-duty/"]:
        assert client.get(path).status_code == 403, path


def test_anonymous_is_sent_to_sign_in_except_on_the_public_page(client, station):
    assert client.get(station.public_path).status_code == 200
    for path in STAFF_PAGES + DEPUTY_PAGES:
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path
