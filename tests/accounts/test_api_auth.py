from tests.conftest import PASSWORD


def test_token_endpoint_returns_a_token_that_authenticates(client, staff):
    response = client.post(
        "/api/v1/auth/token/", {"username": "staff1", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api = client.__class__()
    listed = api.get("/api/v1/deputies/", HTTP_AUTHORIZATION=f"Token {token}")
    assert listed.status_code == 200
    assert set(listed.json()) == {"count", "next", "previous", "results"}


def test_token_endpoint_refuses_bad_credentials_in_chinese(client, staff):
    response = client.post(
        "/api/v1/auth/token/", {"username": "staff1", "password": "nope"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "用户名或密码错误" in response.json()["detail"]


def test_token_endpoint_requires_both_fields(client, db):
    response = client.post("/api/v1/auth/token/", {}, content_type="application/json")
    assert response.status_code == 400
    assert "password" in response.json()


def test_token_endpoint_locks_out_after_five_failures(client, staff):
    for _ in range(5):
        client.post("/api/v1/auth/token/", {"username": "staff1", "password": "x"}, content_type="application/json")
    response = client.post(
        "/api/v1/auth/token/", {"username": "staff1", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 429
    assert "锁定" in response.json()["detail"]


def test_session_auth_is_accepted_by_the_api(staff, login):
    assert login(staff).get("/api/v1/deputies/").status_code == 200


def test_anonymous_api_request_is_refused(client, db):
    response = client.get("/api/v1/deputies/")
    assert response.status_code == 401
    assert "认证" in response.json()["detail"]
