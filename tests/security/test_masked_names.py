"""Issue 22, item 12: citizens' names are masked (王*) for units, deputies and station managers
wherever opinions show them; the unit handling an opinion, or a deputy of its station, reveals
name and number on that one opinion with a reason, and the reveal is in the audit log."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from core.privacy import mask_name
from opinions.models import State
from tests.opinions.conftest import World


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def referred(world):
    from opinions.models import Step, TimelineEntry

    opinion = world.opinion(name="王大妈", phone="13912345678", state=State.REFERRED, unit=world.unit)
    TimelineEntry.objects.create(opinion=opinion, step=Step.REFER, unit=world.unit, actor=world.staff,
                                 from_state=State.SUBMITTED, to_state=State.REFERRED)
    return opinion


def test_the_one_masking_function():
    assert mask_name("王芳") == "王*"
    assert mask_name("欧阳修") == "欧**"
    assert mask_name("") == ""


@pytest.mark.parametrize("who", ["deputy_user", "unit_user"])
def test_names_are_masked_for_deputies_and_units_on_pages_and_api(world, referred, login, who):
    client = login(getattr(world, who))
    page = client.get(reverse("opinions:detail", args=[referred.pk])).content.decode()
    assert "王大妈" not in page and "王**" in page
    listed = client.get(reverse("opinion-list")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["name"] for row in rows if row["id"] == referred.pk] == ["王**"]
    assert client.get(reverse("opinion-detail", args=[referred.pk])).json()["name"] == "王**"


def test_staff_see_the_name(world, referred, login):
    assert login(world.staff).get(reverse("opinion-detail", args=[referred.pk])).json()["name"] == "王大妈"


def test_the_unit_reveals_name_and_number_with_a_reason_and_it_is_logged(world, referred, login):
    client = login(world.unit_user)
    refused = client.post(reverse("opinion-reveal", args=[referred.pk]), {"reason": ""}, content_type="application/json")
    assert refused.status_code == 400
    answer = client.post(reverse("opinion-reveal", args=[referred.pk]), {"reason": "电话联系核实路段"},
                         content_type="application/json")
    assert answer.status_code == 200
    assert answer.json() == {"name": "王大妈", "phone": "13912345678"}
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW)
    assert entry.actor == world.unit_user and entry.changes["reason"] == "电话联系核实路段"
    assert entry.object_id == str(referred.pk)
    # On the page: shown in that answer only, and logged again.
    page = client.post(reverse("opinions:step", args=[referred.pk, "reveal"]), {"reason": "再次电话联系"})
    assert page.status_code == 200 and "王大妈" in page.content.decode() and "13912345678" in page.content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).count() == 2
    assert "王大妈" not in client.get(reverse("opinions:detail", args=[referred.pk])).content.decode()


def test_the_stations_deputy_reveals_but_another_unit_cannot(world, referred, login):
    deputy = login(world.deputy_user).post(reverse("opinion-reveal", args=[referred.pk]), {"reason": "上门走访前联系"},
                                           content_type="application/json")
    assert deputy.status_code == 200 and deputy.json()["name"] == "王大妈"
    other = login(world.other_unit_user).post(reverse("opinion-reveal", args=[referred.pk]), {"reason": "想看看"},
                                              content_type="application/json")
    assert other.status_code == 404  # not their opinion at all
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).count() == 1


def test_a_station_manager_sees_visitors_names_masked(make_user, login, township):
    from accounts.models import Role
    from tests.factories import ReceptionFactory, StationFactory, VisitFactory

    manager = make_user(Role.STATION_MANAGER, username="manager_masked")
    station = StationFactory(township=township, manager=manager)
    visit = VisitFactory(station=station)
    ReceptionFactory(visit=visit, visitor_name="赵大爷", visitor_phone="13812341234")
    client = login(manager)
    page = client.get(reverse("stations:visit_detail", args=[visit.pk])).content.decode()
    assert "赵大爷" not in page and "赵**" in page
    api = client.get(reverse("visit-detail", args=[visit.pk])).json()
    assert api["receptions"][0]["visitor_name"] == "赵**"
