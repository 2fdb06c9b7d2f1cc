"""Issue 22, item 1: the API's token endpoint asks for the second factor of an account that has
one, and wrong codes count towards the lockout (they used to be skipped: the password alone
gave a token, and with it every full phone number)."""

from datetime import timedelta

import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"


def code_of(device):
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def with_device(user):
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def ask(client, **body):
    return client.post(TOKEN_URL, {"username": "admin1", "password": PASSWORD, **body}, content_type="application/json")


def test_the_password_alone_gets_no_token_for_a_two_factor_account(client, admin):
    with_device(admin)
    response = ask(client)
    assert response.status_code == 400
    assert "otp" in response.json() and "动态验证码" in response.json()["otp"][0]
    assert "token" not in response.json()


def test_the_password_and_the_current_code_get_a_working_token(client, admin):
    device = with_device(admin)
    response = ask(client, otp=code_of(device))
    assert response.status_code == 200
    token = response.json()["token"]
    assert client.__class__().get("/api/v1/deputies/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200


def test_a_wrong_code_is_refused(client, admin):
    device = with_device(admin)
    wrong = "000000" if code_of(device) != "000000" else "111111"
    response = ask(client, otp=wrong)
    assert response.status_code == 400
    assert "不正确" in response.json()["otp"][0]


def test_wrong_codes_count_towards_the_lockout(client, admin):
    device = with_device(admin)
    wrong = "000000" if code_of(device) != "000000" else "111111"
    for _ in range(4):
        assert ask(client, otp=wrong).status_code == 400
    # The fifth wrong code locks the account (for this address): then even the right password
    # and code are refused.
    assert ask(client, otp=wrong).status_code == 429
    with time_machine.travel(timedelta(seconds=31)):
        locked = ask(client, otp=code_of(device))
    assert locked.status_code == 429
    assert "锁定" in locked.json()["detail"]


def test_wrong_codes_on_the_sign_in_page_count_towards_the_lockout_too(client, admin):
    device = with_device(admin)
    wrong = "000000" if code_of(device) != "000000" else "111111"
    for _ in range(2):
        client.post("/accounts/login/", {"username": "admin1", "password": PASSWORD})
        for _ in range(3):
            client.post("/accounts/login/code/", {"code": wrong})
    response = client.post("/accounts/login/", {"username": "admin1", "password": PASSWORD})
    assert response.status_code == 429


def test_accounts_without_a_device_still_sign_in_with_the_password(client, staff):
    response = client.post(TOKEN_URL, {"username": "staff1", "password": PASSWORD}, content_type="application/json")
    assert response.status_code == 200 and response.json()["token"]
