from unittest import mock

from django.db import OperationalError


def test_healthz_reports_database_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["status"] == "ok"
    assert "redis" in body


def test_healthz_answers_503_when_the_database_is_unreachable(client, db):
    with mock.patch("core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"].startswith("error")


def test_a_database_outage_inside_a_view_gives_503_in_chinese(client, db, settings):
    with mock.patch("core.views.render", side_effect=OperationalError("server closed the connection")):
        response = client.get("/")
    assert response.status_code == 503
    assert "数据库" in response.content.decode()


def test_a_database_outage_on_the_api_gives_503_json(db, staff, login):
    client = login(staff)
    with mock.patch("deputies.api.DeputyViewSet.get_queryset", side_effect=OperationalError("down")):
        response = client.get("/api/v1/deputies/")
    assert response.status_code == 503
    assert "数据库" in response.json()["detail"]


def test_unknown_page_is_a_chinese_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "没有找到该页面" in response.content.decode()


def test_static_assets_are_vendored_not_from_a_cdn(client, db):
    html = client.get("/").content.decode()
    assert "/static/css/lianxin.css" in html
    assert "cdn" not in html.lower()


def test_the_deep_check_is_for_admins_and_the_monitoring_token(client, db, login, admin, staff, settings):
    assert client.get("/healthz/deep").status_code == 403
    assert login(staff).get("/healthz/deep").status_code == 403
    response = login(admin).get("/healthz/deep")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["database"] == "ok" and body["storage"] == "ok" and body["status"] == "ok"
    assert body["workers"].startswith("not used")  # tasks run eagerly in the tests
    assert response["Cache-Control"].startswith("max-age=0")
    settings.HEALTHZ_TOKEN = "monitor-token-0123456789"
    assert client.get("/healthz/deep", HTTP_AUTHORIZATION="Bearer monitor-token-0123456789").status_code == 200
    assert client.get("/healthz/deep", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403

