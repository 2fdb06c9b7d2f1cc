"""Issue 22, item 14: passwords at 等保 level 3. Three of the four kinds of character, none of the
last five passwords again, a maximum age for staff, admin and unit accounts (sent to change it at
sign-in), and two-factor for the roles in TWO_FACTOR_REQUIRED_ROLES."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from tests.conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"


def sign_in(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.parametrize("password", ["lianxinrenda2026", "LIANXIN-RENDA-COUNTY", "lianxin-renda-county"])
def test_two_kinds_of_character_are_not_enough(password, db):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert "四类中的至少3类" in " ".join(error.value.messages)


def test_three_kinds_pass(db):
    validate_password("Lianxin-county")
    validate_password("lianxin-2026-county")


def test_none_of_the_last_five_passwords_again(staff):
    passwords = [f"Qingshan-River-{n}" for n in range(6)]
    for password in passwords:
        validate_password(password, staff)
        staff.set_password(password)
        staff.save()
    for recent in passwords[1:]:
        with pytest.raises(ValidationError) as error:
            validate_password(recent, staff)
        assert "最近5次" in " ".join(error.value.messages)
    validate_password(passwords[0], staff)  # the sixth-last may come back


def test_the_password_change_page_refuses_a_recent_password(staff, login):
    response = login(staff).post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 200 and "最近5次" in response.content.decode()


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN, Role.UNIT])
def test_an_old_password_sends_staff_admin_and_units_to_change_it(role, make_user, settings):
    assert settings.PASSWORD_MAX_AGE_DAYS == 90
    user = make_user(role, username="old1", handling_unit=None) if role != Role.UNIT else make_user(role, username="old1")
    client = Client()
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        assert sign_in(client, "old1").status_code == 302
        page = client.get("/", follow=True)
        assert page.redirect_chain[-1][0] == "/accounts/password/"
        assert "超过90天未修改" in page.content.decode()
        token = client.post(TOKEN_URL, {"username": "old1", "password": PASSWORD}, content_type="application/json")
        assert token.status_code == 403 and "密码" in token.json()["detail"]
        changed = client.post("/accounts/password/", {
            "old_password": PASSWORD, "new_password1": "Qingshan-River-9", "new_password2": "Qingshan-River-9"})
        assert changed.status_code == 302
        home = client.get("/")
        assert home.status_code == 200 or home.url != "/accounts/password/"
    assert user.password_history.first().created_at > timezone.now() + timedelta(days=90)


def test_a_recent_password_and_deputies_are_not_sent(make_user, deputy_user):
    make_user(Role.STAFF, username="fresh1")
    client = Client()
    sign_in(client, "fresh1")
    assert client.get("/deputies/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=200)):
        deputy = Client()
        sign_in(deputy, "deputy1")
        assert deputy.get("/stations/my-duty/").status_code == 200


def test_two_factor_is_required_of_the_listed_roles(admin, staff, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin"]
    client = Client()
    sign_in(client, "admin1")
    assert client.get("/deputies/").url == "/accounts/two-factor/"
    refused = Client().post(TOKEN_URL, {"username": "admin1", "password": PASSWORD}, content_type="application/json")
    assert refused.status_code == 403 and "两步验证" in refused.json()["detail"]
    other = Client()
    sign_in(other, "staff1")  # staff are not listed
    assert other.get("/deputies/").status_code == 200
    TOTPDevice.objects.create(user=admin, name="authenticator", confirmed=True)
    assert Client().post(TOKEN_URL, {"username": "admin1", "password": PASSWORD},
                         content_type="application/json").status_code == 400  # now asks for the code


def test_by_default_no_role_must_use_two_factor(settings):
    assert settings.TWO_FACTOR_REQUIRED_ROLES == []
