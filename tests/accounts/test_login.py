import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.models import Role
from tests.conftest import PASSWORD


def login_post(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_page_is_in_chinese(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert "登录连心平台" in html
    assert 'lang="zh-CN"' in html


def test_staff_can_sign_in_and_out(client, staff):
    response = login_post(client, "staff1", PASSWORD)
    assert response.status_code == 302
    assert client.get("/deputies/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/deputies/").status_code == 302


def test_wrong_password_shows_a_chinese_error(client, staff):
    response = login_post(client, "staff1", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_five_failures_lock_the_username_for_fifteen_minutes(client, staff):
    for _ in range(4):
        assert login_post(client, "staff1", "wrong").status_code == 200
    locked = login_post(client, "staff1", "wrong")
    assert locked.status_code == 429
    assert "锁定15分钟" in locked.content.decode()
    # Even the right password is refused while locked.
    assert login_post(client, "staff1", PASSWORD).status_code == 429


def test_lockout_also_applies_per_ip_across_usernames(client, staff, make_user):
    make_user(Role.STAFF, username="other")
    for name in ["a", "b", "c", "d", "e"]:
        login_post(client, name, "wrong")
    assert login_post(client, "other", PASSWORD).status_code == 429


def test_lockout_ends_after_the_cool_off(client, staff, settings):
    from datetime import timedelta

    import time_machine

    for _ in range(5):
        login_post(client, "staff1", "wrong")
    assert login_post(client, "staff1", PASSWORD).status_code == 429
    with time_machine.travel(timedelta(minutes=16)):
        assert login_post(client, "staff1", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "password, fragment",
    [("short1", "太短"), ("73619284051", "只包含数字"), ("password123", "太常见")],
)
def test_password_rules(password, fragment, db):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert fragment in " ".join(error.value.messages)


def test_a_good_password_passes(db):
    validate_password("lianxin-2026-county")


def test_idle_session_ends_after_thirty_minutes(client, staff):
    login_post(client, "staff1", PASSWORD)
    assert client.get("/deputies/").status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/deputies/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_active_session_is_kept(client, staff):
    login_post(client, "staff1", PASSWORD)
    session = client.session
    session["last_seen"] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/deputies/").status_code == 200
