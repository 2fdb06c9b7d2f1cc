"""Issue 22, item 9: configuration (point rules, duty rules, holidays, categories, learning
materials, the roster run) is changed only by staff of the congress that owns it — the county's
for the county's configuration. A township's staff (青山镇) get 403 on every write, pages and API
alike, and keep reading."""

import pytest
from django.urls import reverse

from divisions.models import Region
from points.models import PointRule
from stations.models import Category, DutyRule, Holiday, LearningMaterial
from tests.factories import CategoryFactory, DutyRuleFactory


@pytest.fixture
def county_staff(make_user, township, other_township):
    from accounts.models import Role

    return make_user(Role.STAFF, username="staff_county", region=Region.objects.default_county())


@pytest.fixture
def configuration(db, today):
    from points import services as point_services

    rules = point_services.ensure_rules(today.year)
    holiday = Holiday.objects.create(date=today.replace(month=12, day=31), name="测试假日")
    material = LearningMaterial.objects.create(title="宪法学习", body="正文")
    return {
        "category": CategoryFactory(name="交通"), "rule": DutyRuleFactory(name="每月一次"),
        "holiday": holiday, "material": material, "point_rule": rules[0],
    }


def write_pages(configuration):
    """(method, url, data) for every configuration write, page and API."""
    c = configuration
    return [
        ("post", reverse("stations:categories"), {"name": "新类别", "sort_order": 1, "is_active": "on"}),
        ("get", reverse("stations:category_update", args=[c["category"].pk]), None),
        ("post", reverse("stations:category_update", args=[c["category"].pk]), {"name": "改名", "sort_order": 1}),
        ("get", reverse("stations:rule_create"), None),
        ("get", reverse("stations:rule_update", args=[c["rule"].pk]), None),
        ("post", reverse("stations:rule_update", args=[c["rule"].pk]), {"name": "改名"}),
        ("post", reverse("stations:holidays"), {"date": "2026-12-30", "name": "假日", "kind": "holiday"}),
        ("post", reverse("stations:holiday_remove", args=[c["holiday"].pk]), {}),
        ("post", reverse("stations:schedule_run"), {"month": "2026-12"}),
        ("get", reverse("stations:material_create"), None),
        ("get", reverse("stations:material_update", args=[c["material"].pk]), None),
        ("post", reverse("stations:material_update", args=[c["material"].pk]), {"title": "改名"}),
        ("post", reverse("points:rules"), {}),
        ("patch", reverse("point-rule-detail", args=[c["point_rule"].pk]), {"points": 99}),
    ]


def request(client, method, url, data):
    if method == "patch":
        return client.patch(url, data, content_type="application/json")
    return getattr(client, method)(url, data or {})


def test_township_staff_get_403_on_every_configuration_write(township_staff, login, configuration):
    client = login(township_staff)
    answers = {(method, url): request(client, method, url, data).status_code
               for method, url, data in write_pages(configuration)}
    assert set(answers.values()) == {403}, answers
    rule = PointRule.objects.get(pk=configuration["point_rule"].pk)
    assert rule.points != 99
    assert Category.objects.filter(name__in=["新类别", "改名"]).count() == 0
    assert Holiday.objects.filter(pk=configuration["holiday"].pk).exists()
    assert DutyRule.objects.get(pk=configuration["rule"].pk).name == "每月一次"


def test_the_api_refusal_says_why(township_staff, login, configuration):
    answer = login(township_staff).patch(reverse("point-rule-detail", args=[configuration["point_rule"].pk]),
                                         {"points": 99}, content_type="application/json")
    assert answer.status_code == 403
    assert "只能查看" in answer.json()["detail"]


def test_township_staff_keep_reading_the_configuration(township_staff, login, configuration):
    client = login(township_staff)
    for name in ("stations:categories", "stations:rules", "stations:holidays", "points:rules",
                 "stations:materials", "point-rule-list"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("point-rule-detail", args=[configuration["point_rule"].pk])).status_code == 200
    page = client.get(reverse("stations:categories")).content.decode()
    assert "只能查看" in page or "您可以查看" in page
    assert reverse("stations:category_update", args=[configuration["category"].pk]) not in page


@pytest.mark.parametrize("who", ["county_staff", "staff", "admin"])
def test_the_owning_congress_staff_change_it(who, request, login, configuration):
    client = login(request.getfixturevalue(who))
    answer = client.patch(reverse("point-rule-detail", args=[configuration["point_rule"].pk]), {"points": 7},
                          content_type="application/json")
    assert answer.status_code == 200
    assert PointRule.objects.get(pk=configuration["point_rule"].pk).points == 7
    assert client.get(reverse("stations:category_update", args=[configuration["category"].pk])).status_code == 200


def test_one_helper_decides_for_services_too(township_staff, county_staff, configuration):
    from django.core.exceptions import PermissionDenied

    from stations import services

    with pytest.raises(PermissionDenied):
        services.save_category(configuration["category"], by=township_staff, name="改名")
    assert services.save_category(configuration["category"], by=county_staff, name="改名").name == "改名"
