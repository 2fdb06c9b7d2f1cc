"""Issue 22, item 4: API tokens expire when unused, can be signed out, and die with a password
change, a deactivation or the end of a deputy's seat. Only a digest of each token is stored
(django-rest-knox); clients keep sending `Authorization: Token <key>`."""

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import Role
from deputies.models import Seat
from tests.conftest import PASSWORD
from tests.factories import DeputyFactory

TOKEN_URL = "/api/v1/auth/token/"
LIST = "/api/v1/deputies/"


def token_for(client, username):
    response = client.post(TOKEN_URL, {"username": username, "password": PASSWORD}, content_type="application/json")
    assert response.status_code == 200
    return response.json()["token"]


def api(token, method="get", path=LIST):
    return getattr(Client(), method)(path, HTTP_AUTHORIZATION=f"Token {token}")


def test_delete_signs_the_token_out(client, staff):
    token = token_for(client, "staff1")
    assert api(token).status_code == 200
    assert api(token, "delete", TOKEN_URL).status_code == 204
    refused = api(token)
    assert refused.status_code == 401
    assert "令牌" in refused.json()["detail"]


def test_delete_without_a_token_is_refused(client, staff):
    assert Client().delete(TOKEN_URL).status_code == 401


def test_only_a_digest_is_stored(client, staff):
    token = token_for(client, "staff1")
    stored = AuthToken.objects.get(user=staff)
    assert token not in (stored.digest, stored.token_key) and stored.digest != token


def test_a_token_unused_for_api_token_hours_expires(client, staff, settings):
    assert settings.API_TOKEN_HOURS == 12
    token = token_for(client, "staff1")
    with time_machine.travel(timezone.now() + timedelta(hours=11, minutes=50)):
        assert api(token).status_code == 200  # used: the expiry moves on 12 hours from here
    with time_machine.travel(timezone.now() + timedelta(hours=23)):
        assert api(token).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=23 + 12, minutes=30)):
        assert api(token).status_code == 401


def test_a_password_change_revokes_every_token(client, staff, login):
    tokens = [token_for(client, "staff1"), token_for(client, "staff1")]
    response = login(staff).post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "Qingshan-River-2026", "new_password2": "Qingshan-River-2026",
    })
    assert response.status_code == 302
    assert [api(token).status_code for token in tokens] == [401, 401]


def test_deactivation_revokes_every_token(client, staff):
    token = token_for(client, "staff1")
    staff.is_active = False
    staff.save()
    staff.is_active = True
    staff.save()
    assert api(token).status_code == 401


def test_the_end_of_a_deputys_seat_revokes_every_token(client, make_user, township):
    user = make_user(Role.DEPUTY, username="deputy1")
    deputy = DeputyFactory(township=township, user=user)
    token = token_for(client, "deputy1")
    assert api(token, path="/api/v1/suggestions/").status_code == 200
    seat = deputy.seats.get()
    seat.status, seat.end_reason, seat.ended_on = Seat.Status.ENDED, Seat.EndReason.RESIGNED, timezone.localdate()
    seat.save()
    assert api(token, path="/api/v1/suggestions/").status_code == 401
    assert not AuthToken.objects.filter(user=user).exists()


def test_other_users_tokens_are_untouched(client, staff, admin):
    mine, theirs = token_for(client, "staff1"), token_for(client, "admin1")
    staff.set_password("Another-Pass-77")
    staff.save()
    assert api(mine).status_code == 401
    assert api(theirs).status_code == 200
