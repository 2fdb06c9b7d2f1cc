"""转办 of an opinion between the levels of a city: up from a township to its county and the city
and down again, each hop on the timeline; the sender keeps read access, the receiver acts; a
sideways move or a region without a congress is refused in words."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEntry
from core.exceptions import DomainError
from notifications.models import Notification
from opinions import services
from opinions.models import Opinion, Step
from tests.factories import CategoryFactory, StationFactory
from tests.opinions.factories import OpinionFactory
from tests.regions import build_city


@pytest.fixture
def city(db):
    city = build_city()
    city.township_staff = city.staff(city.township, "staff_cg")
    city.subdistrict_staff = city.staff(city.subdistrict, "staff_cn")
    city.county_staff = city.staff(city.county, "staff_lx")
    city.other_county_staff = city.staff(city.other_county, "staff_ds")
    city.city_staff = city.staff(city.city, "city_staff")
    city.station = StationFactory(name="城关镇人民路代表联络站", township=city.township)
    city.category = CategoryFactory(name="交通出行")
    return city


def opinion_at(city, station=None):
    return OpinionFactory(station=station or city.station, category=city.category)


def test_an_opinion_is_received_by_its_townships_congress_and_a_subdistricts_by_its_county(city):
    assert opinion_at(city).congress == city.congress(city.township)
    station = StationFactory(township=city.subdistrict)
    opinion = opinion_at(city, station)
    assert opinion.congress == city.congress(city.county) == opinion.received_by


def test_up_to_the_county_and_the_city_then_down_again_each_hop_on_the_timeline(city, login):
    opinion = opinion_at(city)
    old_due = opinion.due_at
    services.transfer(opinion, to_region=city.county, reason="涉及跨乡镇道路，需要县里协调", by=city.township_staff)
    opinion.refresh_from_db()
    assert opinion.congress == city.congress(city.county)
    assert opinion.received_by == city.congress(city.township)
    # The deadline restarts from the transfer (three working days to adopt, on the receiver's calendar).
    assert opinion.due_at >= old_due - timedelta(minutes=1) and opinion.due_at > timezone.now()
    # The receiving county's staff are told; the city's are not.
    assert Notification.objects.filter(recipient=city.county_staff, kind="opinion_transferred").exists()
    assert not Notification.objects.filter(recipient=city.city_staff, kind="opinion_transferred").exists()
    audit = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE, content_type__model="opinion",
                                   object_id=str(opinion.pk), changes__has_key="congress_id")
    assert audit.changes["congress_id"] == [city.congress(city.township).pk, city.congress(city.county).pk]

    services.transfer(opinion, to_region=city.city, reason="需要市级部门统筹", by=city.county_staff)
    services.transfer(opinion, to_region=city.county, reason="请县里具体落实", by=city.city_staff)
    services.transfer(opinion, to_region=city.township, reason="由镇里答复群众", by=city.county_staff)
    opinion.refresh_from_db()
    assert opinion.congress == city.congress(city.township) and opinion.at_home

    hops = list(opinion.timeline.filter(step=Step.TRANSFER).values_list(
        "from_congress__region__name", "to_congress__region__name", "actor__username", "note"))
    assert hops == [
        ("城关镇", "连心县", "staff_cg", "涉及跨乡镇道路，需要县里协调"),
        ("连心县", "示范市", "staff_lx", "需要市级部门统筹"),
        ("示范市", "连心县", "city_staff", "请县里具体落实"),
        ("连心县", "城关镇", "staff_lx", "由镇里答复群众"),
    ]
    html = login(city.county_staff).get(f"/opinions/{opinion.pk}/").content.decode()
    assert html.count('class="hop"') == 4
    assert "城关镇人民代表大会 → 连心县人民代表大会" in html
    assert "示范市人民代表大会 → 连心县人民代表大会" in html
    # The public tracking page says where it went, without names.
    public = login(city.county_staff).get(f"/track/{opinion.tracking_code}/").content.decode()
    assert "已转示范市人民代表大会办理" in public and "staff_lx" not in public


def test_the_sender_reads_the_receiver_acts_and_other_counties_do_not_see_it(city, login):
    opinion = opinion_at(city)
    services.transfer(opinion, to_region=city.county, reason="需要县里协调", by=city.township_staff)

    # The sender (城关镇) reads it, without the handling forms, and may not act.
    sender = login(city.township_staff)
    page = sender.get(f"/opinions/{opinion.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "由城关镇人民代表大会转办" in html and 'id="transfer"' not in html and "转交承办单位" not in html
    refused = sender.post(f"/opinions/{opinion.pk}/transfer/", {"to_region": "320200", "reason": "再转"})
    assert refused.status_code == 403
    with pytest.raises(PermissionDenied):
        services.transfer(opinion, to_region=city.city, reason="再转", by=city.township_staff)
    assert opinion.pk in [row["id"] for row in sender.get("/api/v1/opinions/").json()["results"]]

    # The receiver (连心县) has it in its inbox with the forms.
    receiver = login(city.county_staff)
    assert opinion.tracking_code in receiver.get("/opinions/").content.decode()
    html = receiver.get(f"/opinions/{opinion.pk}/").content.decode()
    assert 'id="transfer"' in html and "转交承办单位" in html

    # Another county sees nothing of it.
    outsider = login(city.other_county_staff)
    assert outsider.get(f"/opinions/{opinion.pk}/").status_code == 404
    assert outsider.post(f"/opinions/{opinion.pk}/transfer/", {"to_region": "320200", "reason": "x"}).status_code == 404
    assert outsider.get(f"/api/v1/opinions/{opinion.pk}/").status_code == 404


def test_every_sender_along_the_chain_keeps_reading_and_the_other_county_reads_what_it_holds(city, login):
    """城关镇 → 连心县 → 示范市 → 东山区: 城关镇 and 连心县 (the senders) read it, 东山区 (the holder)
    acts on it. A congress that received it sideways and passed it on is the one case left out
    (docs/regions.md): 东山区 reads it no longer once it went back up to the city."""
    opinion = opinion_at(city)
    services.transfer(opinion, to_region=city.county, reason="县里协调", by=city.township_staff)
    services.transfer(opinion, to_region=city.city, reason="市里统筹", by=city.county_staff)
    services.transfer(opinion, to_region=city.other_county, reason="东山区负责", by=city.city_staff)
    for sender in (city.township_staff, city.county_staff):
        assert login(sender).get(f"/opinions/{opinion.pk}/").status_code == 200
        assert not Opinion.objects.get(pk=opinion.pk).may_act(sender)
    assert login(city.other_county_staff).get(f"/opinions/{opinion.pk}/").status_code == 200
    services.transfer(opinion, to_region=city.city, reason="不属于本区", by=city.other_county_staff)
    assert not Opinion.objects.visible_to(city.other_county_staff).filter(pk=opinion.pk).exists()


def test_a_subdistrict_acts_for_its_county_while_the_opinion_is_at_home(city):
    opinion = opinion_at(city, StationFactory(township=city.subdistrict))
    services.transfer(opinion, to_region=city.city, reason="需要市级部门统筹", by=city.subdistrict_staff)
    opinion.refresh_from_db()
    assert opinion.congress == city.congress(city.city)
    with pytest.raises(PermissionDenied):
        services.transfer(opinion, to_region=city.county, reason="退回", by=city.subdistrict_staff)
    services.transfer(opinion, to_region=city.county, reason="请县里办理", by=city.city_staff)
    opinion.refresh_from_db()
    assert opinion.may_act(city.subdistrict_staff)


@pytest.mark.parametrize("target, message", [
    ("other_county", "只能转办给上级人大或下一级人大"),
    ("other_township", "只能转办给上级人大或下一级人大"),
    ("subdistrict", "城南街道没有设立人民代表大会"),
])
def test_refused_targets_are_explained_in_chinese(city, login, target, message):
    opinion = opinion_at(city)
    by = city.county_staff
    if target == "subdistrict":
        services.transfer(opinion, to_region=city.county, reason="县里协调", by=city.township_staff)
    with pytest.raises(DomainError, match=message):
        services.transfer(opinion, to_region=getattr(city, target), reason="试试", by=by)
    page = login(by).post(f"/opinions/{opinion.pk}/transfer/", {"to_region": getattr(city, target).code, "reason": "试试"})
    assert page.status_code == 400 and message in page.content.decode()
    api = login(by).post(f"/api/v1/opinions/{opinion.pk}/transfer/", data=json.dumps(
        {"to_region": getattr(city, target).code, "reason": "试试"}), content_type="application/json")
    assert api.status_code == 400 and message in api.content.decode()
    opinion.refresh_from_db()
    assert not opinion.timeline.filter(step=Step.TRANSFER, to_congress__region=getattr(city, target)).exists()


def test_a_reason_is_required_and_a_referred_opinion_is_not_transferred(city, login):
    opinion = opinion_at(city)
    page = login(city.township_staff).post(f"/opinions/{opinion.pk}/transfer/", {"to_region": "320281"})
    assert page.status_code == 302  # the step form's errors come back as a message
    opinion.refresh_from_db()
    assert opinion.congress == city.congress(city.township)
    with pytest.raises(DomainError, match="转办理由"):
        services.transfer(opinion, to_region=city.county, reason=" ", by=city.township_staff)


def test_the_api_action_transfers_and_returns_the_timeline(city, login):
    opinion = opinion_at(city)
    response = login(city.township_staff).post(
        f"/api/v1/opinions/{opinion.pk}/transfer/",
        data=json.dumps({"to_region": "320281", "reason": "需要县里协调"}), content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["congress_name"] == "连心县人民代表大会"
    hop = [entry for entry in body["timeline"] if entry["step"] == "transfer"][0]
    assert (hop["from_congress"], hop["to_congress"], hop["note"]) == (
        "城关镇人民代表大会", "连心县人民代表大会", "需要县里协调")


def inbox_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/opinions/").status_code == 200
    return len(queries)


def test_the_inbox_reads_as_many_queries_with_transfers_as_without(city, login):
    for _ in range(3):
        opinion_at(city)
    clients = {user: login(user) for user in (city.township_staff, city.county_staff, city.city_staff)}
    for client in clients.values():
        inbox_queries(client)  # the first request also reads what the process keeps (sessions, settings)
    before = {user: inbox_queries(client) for user, client in clients.items()}
    for opinion in Opinion.objects.all()[:2]:
        services.transfer(opinion, to_region=city.county, reason="需要县里协调", by=city.township_staff)
    services.transfer(Opinion.objects.first(), to_region=city.city, reason="市里统筹", by=city.county_staff)
    after = {user: inbox_queries(client) for user, client in clients.items()}
    assert after == before


# --- Referral to a unit: the holder's government or one above it, never another county's -------


def units_of(city):
    from tests.factories import HandlingUnitFactory

    return {
        "county": HandlingUnitFactory(name="县交通运输局", congress=city.congress(city.county)),
        "city": HandlingUnitFactory(name="市交通运输局", congress=city.congress(city.city)),
        "other": HandlingUnitFactory(name="东山区交通运输局", congress=city.congress(city.other_county)),
    }


def test_an_opinion_goes_to_its_own_countys_or_the_citys_units_never_another_countys(city):
    units = units_of(city)
    refused = opinion_at(city)
    with pytest.raises(DomainError, match="东山区交通运输局不是城关镇人民代表大会或其上级人大的承办单位"):
        services.refer(refused, unit=units["other"], by=city.county_staff)
    refused.refresh_from_db()
    assert refused.unit is None and refused.state == "submitted"
    for name in ("county", "city"):
        opinion = opinion_at(city)
        services.refer(opinion, unit=units[name], by=city.county_staff)
        assert Opinion.objects.get(pk=opinion.pk).unit == units[name]


def test_the_forms_offer_only_the_units_that_serve(city, login):
    units = units_of(city)
    opinion = opinion_at(city)
    page = login(city.county_staff).get(f"/opinions/{opinion.pk}/").content.decode()
    inbox = login(city.county_staff).get("/opinions/").content.decode()
    for html in (page, inbox):
        assert "县交通运输局" in html and "市交通运输局" in html
        assert "东山区交通运输局" not in html
    # The bulk referral of the inbox refuses another county's unit in words (the service, too,
    # whatever is posted: the test above).
    response = login(city.county_staff).post(
        "/opinions/bulk-refer/", {"ids": [opinion.pk], "unit": units["other"].pk}, follow=True)
    assert "东山区交通运输局" not in Opinion.objects.get(pk=opinion.pk).timeline.values_list("public_text", flat=True)
    assert "只能转交给本级或上级人大的承办单位，请从列表中选择。" in response.content.decode()
