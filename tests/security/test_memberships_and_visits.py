"""Issue 22, item 10: no crossing of scope through memberships and visits. Staff add to a
station only deputies they may see; a deputy logs visits only at stations they belong to or are
on duty at that day; a station's manager records a guest deputy's visit to their station. The
rules live in `stations.services`, so pages and API agree."""

from datetime import time

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from stations import services
from stations.models import StationMembership, Visit
from tests.factories import DeputyFactory, StationFactory
from tests.stations.conftest import make_shift


@pytest.fixture
def home(township):
    return StationFactory(name="城关镇人大代表之家", township=township)


@pytest.fixture
def elsewhere(other_township):
    return StationFactory(name="青山镇代表联络站", township=other_township)


@pytest.fixture
def qs_station(other_township):
    return StationFactory(name="青山镇人大代表之家", township=other_township)


def visit(station, **extra):
    return {"station": station.pk, "date": timezone.localdate().isoformat(), "start_time": "09:00",
            "end_time": "10:00", **extra}


def test_township_staff_cannot_add_another_townships_deputy(township_staff, login, qs_station, township):
    outsider = DeputyFactory(name="城关代表", township=township)
    client = login(township_staff)
    page = client.post(reverse("stations:members", args=[qs_station.pk]), {"deputies": [outsider.pk]})
    api = client.post(reverse("membership-list"), {"station": qs_station.pk, "deputy": outsider.pk},
                      content_type="application/json")
    assert page.status_code == 400  # not among the choices offered
    assert api.status_code == 403
    assert not StationMembership.objects.filter(deputy=outsider).exists()
    with pytest.raises(PermissionDenied):
        services.add_members(qs_station, deputies=[outsider], by=township_staff)
    own = DeputyFactory(name="青山代表", township=qs_station.township)
    assert client.post(reverse("membership-list"), {"station": qs_station.pk, "deputy": own.pk},
                       content_type="application/json").status_code == 201


def test_the_members_page_offers_only_deputies_the_user_sees(township_staff, login, qs_station, township):
    DeputyFactory(name="城关代表", township=township)
    own = DeputyFactory(name="青山代表", township=qs_station.township)
    form = login(township_staff).get(reverse("stations:members", args=[qs_station.pk]) + "?q=代表").context["form"]
    assert list(form.fields["deputies"].queryset) == [own]


def test_a_deputy_cannot_log_a_visit_at_a_station_not_theirs(deputy_user, login, home, elsewhere):
    StationMembership.objects.create(station=home, deputy=deputy_user.deputy)
    client = login(deputy_user)
    page = client.post(reverse("stations:visit_create"), {**visit(elsewhere), "r-TOTAL_FORMS": "0", "r-INITIAL_FORMS": "0"})
    api = client.post(reverse("visit-list"), visit(elsewhere), content_type="application/json")
    assert page.status_code == 400 and api.status_code == 403
    assert not Visit.objects.exists()
    choices = client.get(reverse("stations:visit_create")).context["form"].fields["station"].queryset
    assert list(choices) == [home]
    assert client.post(reverse("visit-list"), visit(home), content_type="application/json").status_code == 201


def test_a_deputy_on_duty_elsewhere_logs_that_visit(deputy_user, login, elsewhere):
    make_shift(elsewhere, timezone.localdate(), [deputy_user.deputy])
    answer = login(deputy_user).post(reverse("visit-list"), visit(elsewhere), content_type="application/json")
    assert answer.status_code == 201
    assert Visit.objects.get().station == elsewhere


def test_a_station_manager_records_a_guest_deputys_visit(make_user, login, home, elsewhere, other_township):
    manager = make_user(Role.STATION_MANAGER, username="manager_home")
    home.manager = manager
    home.save(update_fields=["manager"])
    guest = DeputyFactory(name="来访代表", township=other_township)
    client = login(manager)
    answer = client.post(reverse("visit-list"), visit(home, deputy=guest.pk), content_type="application/json")
    assert answer.status_code == 201, answer.content
    recorded = Visit.objects.get()
    assert recorded.deputy == guest and recorded.recorded_by == manager
    # Not at a station they do not manage.
    assert client.post(reverse("visit-list"), visit(elsewhere, deputy=guest.pk),
                       content_type="application/json").status_code == 403
    with pytest.raises(PermissionDenied):
        services.record_visit(by=manager, station=elsewhere, deputy=guest, date=timezone.localdate(),
                              start_time=time(9), end_time=time(10))


def test_a_deputy_cannot_log_somebody_elses_visit(deputy_user, login, home, township):
    StationMembership.objects.create(station=home, deputy=deputy_user.deputy)
    other = DeputyFactory(name="别人", township=township)
    answer = login(deputy_user).post(reverse("visit-list"), visit(home, deputy=other.pk), content_type="application/json")
    assert answer.status_code == 403
    assert not Visit.objects.exists()
