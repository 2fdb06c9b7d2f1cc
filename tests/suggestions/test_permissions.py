"""The permission matrix: every role against every step, through the pages and the API.

A role that may take the step succeeds; a role without the step's permission gets 403; a role
with it that cannot see the suggestion gets 404; one that sees it but is not the party of the
step (not the lead deputy, not the lead unit, ...) gets 403; the public is sent to sign in
(pages) or gets 401 (API). The party allowed, in a state the step does not start from, gets 409."""

from datetime import timedelta

import pytest

from divisions.forms import region_key
from divisions.models import Congress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from suggestions import services
from suggestions.models import TRANSITIONS, State, Step
from suggestions.steps import ACTIONS
from tests.suggestions.conftest import PDF_BYTES

ROLES = [
    "admin", "staff", "township_staff", "lead", "cosigner", "other_deputy", "lead_unit_user",
    "co_unit_user", "other_unit_user", "manager", "anonymous",
]
DEPUTIES = {"lead", "cosigner", "other_deputy"}
STAFF = {"admin", "staff", "township_staff"}
UNITS = {"lead_unit_user", "co_unit_user", "other_unit_user"}
ROLE_GROUP = {"propose_suggestions": DEPUTIES, "manage_suggestions": STAFF, "handle_suggestions": UNITS}

ALLOWED = {
    "edit": {"lead"}, "invite": {"lead"}, "submit": {"lead"}, "withdraw": {"lead"}, "evaluate": {"lead"},
    "cosign": {"cosigner"}, "decline": {"cosigner"},
    "input": {"co_unit_user"},
    "contact": {"lead_unit_user"}, "request-extension": {"lead_unit_user"}, "progress": {"lead_unit_user"},
    "reply": {"lead_unit_user"},
}
STAFF_STEPS = [
    "accept", "convert", "merge", "assign", "grant-extension", "refuse-extension", "supervise", "close",
    "hearing", "publish", "unpublish", "transfer",
]
ALLOWED.update({name: {"admin", "staff"} for name in STAFF_STEPS})

START = {
    "edit": State.DRAFT, "invite": State.DRAFT, "cosign": State.DRAFT, "decline": State.DRAFT,
    "submit": State.DRAFT, "withdraw": State.SUBMITTED, "accept": State.SUBMITTED,
    "convert": State.SUBMITTED, "merge": State.SUBMITTED, "assign": State.ACCEPTED,
    "input": State.ASSIGNED, "contact": State.ASSIGNED, "request-extension": State.ASSIGNED,
    "grant-extension": State.ASSIGNED, "refuse-extension": State.ASSIGNED,
    "supervise": State.ASSIGNED, "progress": State.ASSIGNED, "reply": State.ASSIGNED,
    "evaluate": State.REPLIED, "close": State.EVALUATED, "hearing": State.HEARING,
    "publish": State.EVALUATED, "unpublish": State.EVALUATED, "transfer": State.SUBMITTED,
}


def test_the_matrix_covers_every_step():
    assert set(ALLOWED) == set(ACTIONS) == set(START)
    assert {action.step for action in ACTIONS.values()} == set(TRANSITIONS) - {Step.OVERDUE}


def visible(role, state):
    if role in ("admin", "staff"):
        return state != State.DRAFT
    if role in ("lead", "cosigner"):
        return True
    if role in ("lead_unit_user", "co_unit_user"):
        return state not in (State.DRAFT, State.SUBMITTED, State.ACCEPTED)
    return False


def expected(name, role, state):
    """'ok', 'login', 403 or 404."""
    if role == "anonymous":
        return "login"
    if role in ALLOWED[name]:
        return "ok"
    permission = services.STEP_PERMISSIONS[ACTIONS[name].step].name
    if role not in ROLE_GROUP[permission]:
        return 403
    if not visible(role, state):
        return 404
    return 403


def prepare(loop, name, state=None):
    """A suggestion where `name` may be taken, and a valid input for it."""
    state = state or START[name]
    suggestion = loop.to(state)
    today = timezone.localdate()
    if name in ("grant-extension", "refuse-extension") and state == START[name]:
        services.request_extension(suggestion, by=loop.lead_unit_user, until=suggestion.deadline + timedelta(days=20), reason="需要立项")
    if name == "reply" and state == START[name]:
        services.record_contact(suggestion, by=loop.lead_unit_user, contacted_on=today, method="phone")
    if name == "unpublish" and state == START[name]:
        services.publish_reply(suggestion, by=loop.staff)
    data = {
        "edit": {"title": "新标题", "kind": "suggestion", "category": loop.category.pk, "content": "新内容"},
        "invite": {"deputies": [loop.other_deputy.deputy.pk]},
        "withdraw": {"reason": "不再需要"},
        "convert": {"reason": "作为参阅件"},
        "merge": {"into": loop.to(State.SUBMITTED).pk},
        "assign": {"lead_unit": loop.lead_unit.pk, "co_units": [loop.co_unit.pk]},
        "input": {"text": "协办意见"},
        "contact": {"contacted_on": today.isoformat(), "method": "phone"},
        "request-extension": {"until": (suggestion.deadline + timedelta(days=10)).isoformat() if suggestion.deadline else "2030-01-01", "reason": "需要立项"},
        "refuse-extension": {"note": "按期答复"},
        "supervise": {"supervisor": "县人大常委会副主任 王明"},
        "progress": {"text": "已完成设计"},
        "reply": {"result_class": "A", "text": "已解决", "contact_person": "李华", "contact_phone": "0510-1"},
        "evaluate": {"rating": "satisfied"},
        "hearing": {"kind": "hearing", "held_on": today.isoformat(), "conclusion": "办理到位"},
        # 转办 down to the lead deputy's township congress (the county's only child with one).
        "transfer": {"to_region": region_key(Congress.objects.of(loop.township).region), "reason": "由镇人大办理"},
    }.get(name, {})
    return suggestion, data


def client_for(loop, role):
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(loop, role))
    return client


def post(client, url, name, data, api):
    if name == "reply":
        data = {**data, "attachment": SimpleUploadedFile("答复.pdf", PDF_BYTES, content_type="application/pdf")}
        return client.post(url, data)
    if api:
        return client.post(url, data, content_type="application/json")
    return client.post(url, data)


def url_for(suggestion, name, api):
    return f"/api/v1/suggestions/{suggestion.pk}/{name}/" if api else f"/suggestions/{suggestion.pk}/{name}/"


@pytest.mark.parametrize("api", [False, True], ids=["page", "api"])
@pytest.mark.parametrize("name", list(ACTIONS))
def test_each_role_against_each_step(loop, name, api):
    # Every refused role tries the same suggestion (a refusal changes nothing) ...
    suggestion, data = prepare(loop, name)
    before = suggestion.timeline.count()
    for role in ROLES:
        outcome = expected(name, role, START[name])
        if outcome == "ok":
            continue
        response = post(client_for(loop, role), url_for(suggestion, name, api), name, data, api)
        wanted = (401 if api else 302) if outcome == "login" else outcome
        assert response.status_code == wanted, (name, role, response.content[:300])
        assert suggestion.timeline.count() == before, (name, role, "a refused step changed something")
    # ... and every allowed role succeeds on a fresh one.
    for role in sorted(ALLOWED[name]):
        suggestion, data = prepare(loop, name)
        response = post(client_for(loop, role), url_for(suggestion, name, api), name, data, api)
        assert response.status_code == (200 if api else 302), (name, role, response.content[:500])
        assert suggestion.timeline.filter(step=ACTIONS[name].step).exists(), (name, role)


def wrong_state(name):
    return State.SUBMITTED if START[name] == State.DRAFT else (
        State.WITHDRAWN if name in ("publish", "unpublish") else State.CLOSED
    )


@pytest.mark.parametrize("api", [False, True], ids=["page", "api"])
@pytest.mark.parametrize("name", list(ACTIONS))
def test_the_right_party_in_the_wrong_state_gets_409(loop, name, api):
    state = wrong_state(name)
    suggestion, data = prepare(loop, name, state)
    role = sorted(ALLOWED[name])[-1]
    before = suggestion.timeline.count()
    response = post(client_for(loop, role), url_for(suggestion, name, api), name, data, api)
    assert response.status_code == 409, (name, response.content[:300])
    message = response.json()["detail"] if api else response.content.decode()
    assert "这件建议目前" in message
    assert suggestion.timeline.count() == before
