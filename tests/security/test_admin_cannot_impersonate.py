"""Issue 22, item 5: no page or API shows an API token or a TOTP secret, so an admin cannot act
as anyone unseen; an admin may reset a user's two-factor (logged), never read it."""

import json

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from audit.models import AuditEntry
from tests.conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"


def test_the_admin_has_no_token_or_device_pages(admin, deputy_user, login):
    AuthToken.objects.create(user=deputy_user)
    TOTPDevice.objects.create(user=deputy_user, name="authenticator", confirmed=True)
    browser = login(admin)
    for path in ("/admin/authtoken/tokenproxy/", "/admin/authtoken/token/", "/admin/knox/authtoken/",
                 "/admin/knox/authtoken/add/", "/admin/otp_totp/totpdevice/"):
        assert browser.get(path).status_code == 404, path
    index = browser.get("/admin/").content.decode()
    assert "authtoken" not in index and "totpdevice" not in index


def test_no_admin_page_shows_a_secret_or_a_token(admin, deputy_user, login, client):
    device = TOTPDevice.objects.create(user=deputy_user, name="authenticator", confirmed=True)
    token = client.post(TOKEN_URL, {"username": "admin1", "password": PASSWORD},
                        content_type="application/json").json()["token"]
    browser = login(admin)
    for path in ("/admin/accounts/user/", f"/admin/accounts/user/{deputy_user.pk}/change/",
                 f"/admin/accounts/user/{admin.pk}/change/"):
        page = browser.get(path).content.decode()
        assert device.key not in page and token not in page and token[:15] not in page


def test_the_api_schema_offers_no_secret_or_token_but_the_sign_in_answer(admin, login):
    response = login(admin).get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = json.dumps(json.loads(response.content))
    for word in ('"bin_key"', '"digest"', '"token_key"'):
        assert word not in schema


def test_an_admin_resets_two_factor_logged_without_seeing_it(admin, deputy_user, login):
    TOTPDevice.objects.create(user=deputy_user, name="authenticator", confirmed=True)
    response = login(admin).post("/admin/accounts/user/", {
        "action": "reset_two_factor", "_selected_action": [deputy_user.pk],
    })
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=deputy_user).exists()
    entry = AuditEntry.objects.filter(actor=admin, object_id=str(deputy_user.pk), changes__has_key="two_factor")
    assert entry.exists()
    # The user signs in with the password alone and enrols again.
    assert Client().post("/accounts/login/", {"username": "deputy1", "password": PASSWORD}).status_code == 302
