import pytest

STAFF_PAGES = ["/deputies/", "/deputies/new/", "/deputies/import/", "/deputies/export.xlsx"]


@pytest.mark.parametrize("path", STAFF_PAGES)
@pytest.mark.parametrize("role_fixture", ["deputy_user", "unit_user", "manager_user"])
def test_wrong_role_gets_403_on_staff_pages(path, role_fixture, request, login):
    user = request.getfixturevalue(role_fixture)
    response = login(user).get(path)
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_anonymous_is_sent_to_login(path, client, db):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role_fixture", ["deputy_user", "unit_user", "manager_user"])
def test_wrong_role_gets_403_on_the_deputies_api(role_fixture, request, login):
    client = login(request.getfixturevalue(role_fixture))
    assert client.get("/api/v1/deputies/").status_code == 403
    response = client.post("/api/v1/deputies/", {}, content_type="application/json")
    assert response.status_code == 403
    assert "权限" in response.json()["detail"]


@pytest.mark.parametrize("role_fixture", ["staff", "admin", "township_staff"])
def test_staff_roles_reach_staff_pages(role_fixture, request, login):
    assert login(request.getfixturevalue(role_fixture)).get("/deputies/").status_code == 200


def test_only_admins_see_the_configuration_link(staff, admin, login):
    assert "系统配置" not in login(staff).get("/").content.decode()
    assert "系统配置" in login(admin).get("/").content.decode()
