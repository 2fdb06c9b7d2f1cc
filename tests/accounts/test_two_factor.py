from datetime import timedelta

import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def enable(client, user):
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/accounts/two-factor/", {"code": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_admin_enables_totp_and_then_needs_a_code_to_sign_in(client, admin, login):
    device = enable(login(admin), admin)
    response = client.post("/accounts/login/", {"username": "admin1", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/code/")
    # Not signed in yet.
    assert client.get("/deputies/").status_code == 302
    wrong = client.post("/accounts/login/code/", {"code": "000000"})
    assert wrong.status_code == 400
    assert "验证码不正确" in wrong.content.decode()
    device.refresh_from_db()
    # A code is accepted once (no replay) and failures slow the next try: use the next step.
    with time_machine.travel(timedelta(seconds=60)):
        ok = client.post("/accounts/login/code/", {"code": current_code(device)})
    assert ok.status_code == 302
    assert client.get("/deputies/").status_code == 200


def test_five_wrong_codes_lock_the_account_like_five_wrong_passwords(client, admin, login):
    enable(login(admin), admin)
    client.post("/accounts/login/", {"username": "admin1", "password": PASSWORD})
    for _ in range(4):
        assert client.post("/accounts/login/code/", {"code": "123456"}).status_code == 400
    response = client.post("/accounts/login/code/", {"code": "123456"})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    # The pending sign-in is gone, and the password is refused for now.
    assert client.get("/accounts/login/code/").status_code == 302
    assert client.post("/accounts/login/", {"username": "admin1", "password": PASSWORD}).status_code == 429


def test_users_without_a_device_sign_in_with_the_password_only(client, staff):
    response = client.post("/accounts/login/", {"username": "staff1", "password": PASSWORD})
    assert response["Location"] == "/"


def test_admin_site_login_goes_through_the_portal_login(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_deputies_cannot_open_the_two_factor_page(deputy_user, login):
    assert login(deputy_user).get("/accounts/two-factor/").status_code == 403
