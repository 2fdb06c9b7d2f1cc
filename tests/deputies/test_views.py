import pytest

from deputies.models import Deputy
from tests.factories import DeputyFactory, DeputyGroupFactory


def test_list_filters_by_level_township_group_status_and_pinyin(staff, login, township, other_township):
    group = DeputyGroupFactory(name="农业农村专业代表小组")
    target = DeputyFactory(name="张三丽", township=township, group=group, level="county")
    DeputyFactory(name="李四", township=other_township, level="township")
    DeputyFactory(name="张思龙", township=township, status=Deputy.Status.TERMINATED)
    client = login(staff)
    for query in [
        {"search": "zsl", "status": "active"},
        {"level": "county", "township": township.pk, "status": "active"},
        {"group": group.pk},
    ]:
        response = client.get("/deputies/", query)
        assert listed(response) == [target.pk], query
        assert "张三丽" in response.content.decode()


def listed(response):
    """The deputies on a roster page (the page is read as (pk, updated_at); rows are kept HTML)."""
    return [pk for pk, _updated_at in response.context["stamps"]]


def test_list_paginates(staff, login, many_deputies):
    many_deputies(35)
    response = login(staff).get("/deputies/")
    assert len(listed(response)) == 30 and response.content.decode().count("<tr>") == 1 + 30  # the head's and the rows
    assert "第 1 / 2 页" in response.content.decode()
    assert len(listed(login(staff).get("/deputies/?page=2"))) == 5


@pytest.mark.parametrize("count", [10, 300])
def test_list_page_runs_a_bounded_number_of_queries(count, staff, login, many_deputies, django_assert_max_num_queries):
    many_deputies(count)
    client = login(staff)
    with django_assert_max_num_queries(12):
        response = client.get("/deputies/")
    assert response.status_code == 200


def test_township_staff_sees_only_their_township(township_staff, login, township, other_township):
    DeputyFactory(name="城关代表", township=township)
    mine = DeputyFactory(name="青山代表", township=other_township)
    response = login(township_staff).get("/deputies/")
    assert listed(response) == [mine.pk]
    other = Deputy.objects.get(name="城关代表")
    assert login(township_staff).get(f"/deputies/{other.pk}/").status_code == 404


def test_staff_creates_a_deputy_with_an_account(staff, login, township):
    response = login(staff).post(
        "/deputies/new/",
        {"name": "王建国", "gender": "male", "ethnicity": "汉族", "level": "county", "term": 18,
         "township": township.pk, "sector": "farmer", "phone": "13912345678", "status": "active"},
    )
    deputy = Deputy.objects.get(name="王建国")
    assert response.status_code == 302
    assert deputy.user.username == "13912345678"
    assert deputy.search_keys.startswith("wangjianguo")


def test_bad_input_shows_chinese_errors_and_saves_nothing(staff, login, township):
    response = login(staff).post(
        "/deputies/new/", {"name": "", "gender": "male", "level": "county", "term": 0, "township": township.pk, "phone": "12345"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "该字段是必填项" in html
    assert "确保该值大于或等于1" in html
    assert "请输入11位手机号码" in html
    assert not Deputy.objects.exists()


def test_township_staff_cannot_create_in_another_township(township_staff, login, township):
    response = login(township_staff).post(
        "/deputies/new/",
        {"name": "王建国", "gender": "male", "ethnicity": "汉族", "level": "county", "term": 18,
         "township": township.pk, "sector": "farmer", "status": "active"},
    )
    assert response.status_code == 200
    assert not Deputy.objects.exists()


def test_ending_a_mandate_disables_the_account(staff, login, deputy_user):
    deputy = deputy_user.deputy
    data = {"name": deputy.name, "gender": "male", "ethnicity": "汉族", "level": "county", "term": 18,
            "township": deputy.township_id, "sector": "other", "phone": deputy.phone, "status": "terminated"}
    assert login(staff).post(f"/deputies/{deputy.pk}/edit/", data).status_code == 302
    deputy_user.refresh_from_db()
    assert not deputy_user.is_active


def test_detail_page_shows_the_record(staff, login, deputy_user):
    html = login(staff).get(f"/deputies/{deputy_user.deputy.pk}/").content.decode()
    assert "张三丽" in html
    assert "第18届" in html


def test_deputies_are_never_deleted_from_the_admin(admin, login, deputy_user):
    response = login(admin).get(f"/admin/deputies/deputy/{deputy_user.deputy.pk}/delete/")
    assert response.status_code == 403


def test_kept_roster_rows_and_count_follow_the_deputies_and_the_names_they_show(
    settings, staff, login, township, other_township, django_assert_max_num_queries,
):
    settings.LIST_ROW_CACHE_SECONDS = settings.FILTER_FORM_CACHE_SECONDS = 600
    group = DeputyGroupFactory(name="农业农村专业代表小组", township=township)
    deputy = DeputyFactory(name="张三丽", township=township, group=group)
    client = login(staff)

    def page():
        html = client.get("/deputies/").content.decode()
        return html[html.index("<tbody>"):html.index("</tbody>")], html

    first, _html = page()
    with django_assert_max_num_queries(6):  # session, user, the page, notifications: rows and count kept
        assert page()[0] == first
    deputy.occupation = "城关镇农业服务中心主任"
    deputy.save()
    group.name = "农业专业代表小组"
    group.save()
    township.name = "城关街道"
    township.save()
    rows, _html = page()
    assert "城关镇农业服务中心主任" in rows and "农业专业代表小组" in rows and "城关街道" in rows
    DeputyFactory(name="李四", township=other_township)
    rows, html = page()
    assert "李四" in rows and "共 2 名代表" in html
    settings.LIST_ROW_CACHE_SECONDS = settings.FILTER_FORM_CACHE_SECONDS = 0
    fresh_rows, fresh_html = page()
    assert fresh_rows == rows and "共 2 名代表" in fresh_html  # the kept rows are the ones rendered afresh
