"""Issue 22, item 11: nobody can lock anyone out. Five wrong passwords lock the pair (username,
address), not the username everywhere; an address failing across many usernames is locked on its
own."""

from accounts.models import Role
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
TOKEN_URL = "/api/v1/auth/token/"


def sign_in(client, username, password, address):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failures_from_one_address_do_not_lock_the_user_out_from_another(client, make_user):
    make_user(Role.DEPUTY, username="deputy")
    for _ in range(4):
        assert sign_in(client, "deputy", "wrong", "127.0.0.2").status_code == 200
    assert sign_in(client, "deputy", "wrong", "127.0.0.2").status_code == 429
    response = sign_in(client, "deputy", PASSWORD, "127.0.0.1")
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user.username == "deputy"


def test_the_pair_stays_locked_for_its_address(client, make_user):
    make_user(Role.DEPUTY, username="deputy")
    for _ in range(5):
        sign_in(client, "deputy", "wrong", "127.0.0.2")
    assert sign_in(client, "deputy", PASSWORD, "127.0.0.2").status_code == 429


def test_the_api_token_endpoint_locks_the_pair_too(client, make_user):
    make_user(Role.DEPUTY, username="deputy")
    for _ in range(5):
        client.post(TOKEN_URL, {"username": "deputy", "password": "wrong"},
                    content_type="application/json", REMOTE_ADDR="127.0.0.2")
    elsewhere = client.post(TOKEN_URL, {"username": "deputy", "password": PASSWORD},
                            content_type="application/json", REMOTE_ADDR="127.0.0.1")
    assert elsewhere.status_code == 200 and elsewhere.json()["token"]


def test_an_address_failing_across_many_usernames_is_locked_for_all(client, make_user):
    make_user(Role.STAFF, username="other")
    for name in ["a", "b", "c", "d", "e"]:
        sign_in(client, name, "wrong", "127.0.0.3")
    assert sign_in(client, "other", PASSWORD, "127.0.0.3").status_code == 429
    # ... and only that address.
    assert sign_in(client, "other", PASSWORD, "127.0.0.1").status_code == 302
