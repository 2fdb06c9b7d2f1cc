"""转办 of a suggestion between the levels of a city: a township deputy's suggestion to the
township congress goes up to the county and the city and down again; the receiver reviews it
again and assigns it under its own rules; the sender reads it only."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from audit.models import AuditEntry
from core.exceptions import DomainError
from deputies.models import Level
from notifications.models import Notification
from suggestions import services
from suggestions.models import Category, State, Step, Suggestion, add_months
from tests.factories import DeputyFactory, HandlingUnitFactory, UserFactory
from tests.regions import build_city


@pytest.fixture
def city(db):
    city = build_city()
    city.township_staff = city.staff(city.township, "staff_cg")
    city.county_staff = city.staff(city.county, "staff_lx")
    city.other_county_staff = city.staff(city.other_county, "staff_ds")
    city.city_staff = city.staff(city.city, "city_staff")
    city.lead = UserFactory(username="deputy_cg", role=Role.DEPUTY)
    DeputyFactory(name="张三丽", township=city.township, level=Level.TOWNSHIP, user=city.lead)
    city.category = Category.objects.first() or Category.objects.create(name="城乡建设")
    return city


def submitted(city, title="修复城关镇中心路坑洼路面"):
    suggestion = services.create_draft(
        by=city.lead, title=title, content="中心路多处坑洼，雨天积水，群众出行不便。", category=city.category,
    )
    return services.submit_suggestion(suggestion, by=city.lead)


def test_up_then_down_with_the_timeline_and_the_receivers_rules(city, login, today):
    suggestion = submitted(city)
    assert suggestion.congress == city.congress(city.township) == suggestion.received_by
    services.accept_suggestion(suggestion, by=city.township_staff)
    services.transfer_suggestion(suggestion, by=city.township_staff, to_region=city.county, reason="涉及县级职权")
    suggestion.refresh_from_db()
    assert (suggestion.congress, suggestion.state) == (city.congress(city.county), State.SUBMITTED)
    assert suggestion.number == 1 and suggestion.session is None  # the county's recess numbering
    assert Notification.objects.filter(recipient=city.county_staff, kind="suggestion_transferred").exists()
    assert AuditEntry.objects.filter(content_type__model="suggestion", object_id=str(suggestion.pk),
                                     changes__has_key="congress_id").exists()

    services.transfer_suggestion(suggestion, by=city.county_staff, to_region=city.city, reason="需要市级统筹")
    services.transfer_suggestion(suggestion, by=city.city_staff, to_region=city.county, reason="由县里办理")
    suggestion.refresh_from_db()
    hops = list(suggestion.timeline.filter(step=Step.TRANSFER).values_list(
        "from_congress__region__name", "to_congress__region__name", "actor__username"))
    assert hops == [("城关镇", "连心县", "staff_cg"), ("连心县", "示范市", "staff_lx"), ("示范市", "连心县", "city_staff")]
    html = login(city.county_staff).get(f"/suggestions/{suggestion.pk}/").content.decode()
    assert html.count('class="hop"') == 3 and "示范市人民代表大会 → 连心县人民代表大会" in html
    assert "由城关镇人民代表大会转办" in html

    # The county accepts and assigns it: the deadline follows the county congress's rules.
    county_congress = city.congress(city.county)
    county_congress.reply_months = 2
    county_congress.save()
    unit = HandlingUnitFactory(name="县交通运输局", congress=county_congress)
    services.accept_suggestion(suggestion, by=city.county_staff)
    services.assign_suggestion(suggestion, by=city.county_staff, lead_unit=unit)
    suggestion.refresh_from_db()
    assert suggestion.deadline == add_months(today, 2)


def test_the_sender_reads_the_receiver_acts_other_counties_get_404(city, login):
    suggestion = submitted(city)
    services.transfer_suggestion(suggestion, by=city.township_staff, to_region=city.county, reason="涉及县级职权")
    sender = login(city.township_staff)
    page = sender.get(f"/suggestions/{suggestion.pk}/")
    assert page.status_code == 200 and "/transfer/" not in page.content.decode()
    assert sender.get(f"/suggestions/{suggestion.pk}/accept/").status_code == 403
    with pytest.raises(PermissionDenied, match="只能查看"):
        services.accept_suggestion(suggestion, by=city.township_staff)
    receiver = login(city.county_staff)
    html = receiver.get(f"/suggestions/{suggestion.pk}/").content.decode()
    assert f"/suggestions/{suggestion.pk}/transfer/" in html
    assert receiver.get(f"/suggestions/{suggestion.pk}/transfer/").status_code == 200
    outsider = login(city.other_county_staff)
    assert outsider.get(f"/suggestions/{suggestion.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/suggestions/{suggestion.pk}/").status_code == 404


@pytest.mark.parametrize("target, message", [
    ("other_county", "只能转办给上级人大或下一级人大"),
    ("subdistrict", "城南街道没有设立人民代表大会"),
])
def test_refused_targets_are_explained_in_chinese(city, login, target, message):
    suggestion = submitted(city)
    by = city.township_staff
    if target == "subdistrict":
        services.transfer_suggestion(suggestion, by=by, to_region=city.county, reason="涉及县级职权")
        by = city.county_staff
    region = getattr(city, target)
    with pytest.raises(DomainError, match=message):
        services.transfer_suggestion(suggestion, by=by, to_region=region, reason="试试")
    page = login(by).post(f"/suggestions/{suggestion.pk}/transfer/", {"to_region": region.code, "reason": "试试"})
    assert page.status_code == 400 and message in page.content.decode()
    api = login(by).post(f"/api/v1/suggestions/{suggestion.pk}/transfer/",
                         data=json.dumps({"to_region": region.code, "reason": "试试"}), content_type="application/json")
    assert api.status_code == 400 and message in api.content.decode()


def test_an_assigned_suggestion_is_not_transferred(city):
    suggestion = submitted(city)
    services.accept_suggestion(suggestion, by=city.township_staff)
    unit = HandlingUnitFactory(name="城关镇城建办", congress=city.congress(city.township))
    services.assign_suggestion(suggestion, by=city.township_staff, lead_unit=unit)
    with pytest.raises(DomainError, match="不能“转办”"):
        services.transfer_suggestion(suggestion, by=city.township_staff, to_region=city.county, reason="涉及县级职权")


def test_the_api_action_transfers(city, login):
    suggestion = submitted(city)
    response = login(city.township_staff).post(
        f"/api/v1/suggestions/{suggestion.pk}/transfer/",
        data=json.dumps({"to_region": "320281", "reason": "涉及县级职权"}), content_type="application/json",
    )
    assert response.status_code == 200, response.content
    hop = [entry for entry in response.json()["timeline"] if entry["step"] == "transfer"][0]
    assert (hop["from_congress"], hop["to_congress"]) == ("城关镇人民代表大会", "连心县人民代表大会")
    assert Suggestion.objects.get(pk=suggestion.pk).congress.region == city.county


def list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/suggestions/").status_code == 200
    return len(queries)


def test_the_list_reads_as_many_queries_with_transfers_as_without(city, login):
    suggestions = [submitted(city, f"建议{n}：修复道路") for n in range(3)]
    clients = {user: login(user) for user in (city.township_staff, city.county_staff, city.city_staff)}
    for client in clients.values():
        list_queries(client)
    before = {user: list_queries(client) for user, client in clients.items()}
    for suggestion in suggestions[:2]:
        services.transfer_suggestion(suggestion, by=city.township_staff, to_region=city.county, reason="涉及县级职权")
    after = {user: list_queries(client) for user, client in clients.items()}
    assert after == before
