import pytest

from deputies.models import Deputy
from tests.factories import DeputyFactory


def test_list_has_the_portal_pagination_and_rows_carry_id_and_name(staff, login, many_deputies):
    many_deputies(25)
    body = login(staff).get("/api/v1/deputies/").json()
    assert body["count"] == 25
    assert len(body["results"]) == 20
    assert body["next"].endswith("page=2")
    assert {"id", "name"} <= set(body["results"][0])


def test_page_size_is_capped(staff, login, many_deputies):
    many_deputies(120)
    body = login(staff).get("/api/v1/deputies/?page_size=1000").json()
    assert len(body["results"]) == 100


def test_search_by_pinyin_initials_and_filters(staff, login, township):
    target = DeputyFactory(name="张三丽", township=township)
    DeputyFactory(name="李四", township=township)
    client = login(staff)
    body = client.get("/api/v1/deputies/", {"search": "zsl"}).json()
    assert [row["id"] for row in body["results"]] == [target.pk]
    body = client.get("/api/v1/deputies/", {"township": township.pk, "level": "county", "status": "active"}).json()
    assert body["count"] == 2


def test_invalid_filter_value_is_a_400_not_a_500(staff, login):
    response = login(staff).get("/api/v1/deputies/", {"level": "mayor", "township": "abc"})
    assert response.status_code == 400


@pytest.mark.parametrize("count", [10, 300])
def test_list_runs_a_bounded_number_of_queries(count, staff, login, many_deputies, django_assert_max_num_queries):
    many_deputies(count)
    client = login(staff)
    # 9: one of them the 查阅 audit entry (full phone numbers shown: issue 22, item 7), one per request.
    with django_assert_max_num_queries(9):
        assert client.get("/api/v1/deputies/?page_size=100").status_code == 200


def test_staff_creates_and_updates_through_the_api(staff, login, township):
    client = login(staff)
    created = client.post(
        "/api/v1/deputies/",
        {"name": "刘海波", "gender": "male", "level": "county", "term": 18, "township": township.pk, "phone": "13700001111"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    deputy_id = created.json()["id"]
    assert Deputy.objects.get(pk=deputy_id).user is not None
    updated = client.patch(f"/api/v1/deputies/{deputy_id}/", {"occupation": "县水利局工程师"}, content_type="application/json")
    assert updated.status_code == 200
    assert updated.json()["occupation"] == "县水利局工程师"


def test_bad_input_is_a_400_with_messages(staff, login, township):
    response = login(staff).post(
        "/api/v1/deputies/", {"name": "", "gender": "x", "level": "county", "term": 0, "township": township.pk, "phone": "1"},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert {"name", "gender", "term", "phone"} <= set(body)
    assert "手机号码" in body["phone"][0]
    assert not Deputy.objects.exists()


def test_township_staff_cannot_create_elsewhere_or_see_other_townships(township_staff, login, township):
    other = DeputyFactory(township=township)
    client = login(township_staff)
    assert client.get(f"/api/v1/deputies/{other.pk}/").status_code == 404
    response = client.post(
        "/api/v1/deputies/", {"name": "刘海波", "gender": "male", "level": "county", "term": 18, "township": township.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Deputy.objects.count() == 1


def test_delete_is_not_offered(staff, login, township):
    deputy = DeputyFactory(township=township)
    assert login(staff).delete(f"/api/v1/deputies/{deputy.pk}/").status_code == 405


def test_schema_and_docs_are_served_locally(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/deputies/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower()
