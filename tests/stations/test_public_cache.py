"""The public station page's cache: an anonymous visitor's page comes from the cache, and every
change to what the page shows (the station, its members, its duty days, the deputies, the duty
rule, the categories) shows at once."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from stations import public
from stations.models import Category, DutyAssignment, DutyRule, StationMembership
from stations.scheduler import schedule_month
from tests.factories import DeputyFactory, StationFactory
from tests.stations.conftest import make_shift

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture
def page(client, station):
    """The station's page as an anonymous visitor gets it (the HTML)."""

    def get():
        response = client.get(f"/s/{station.code}/")
        assert response.status_code == 200
        return response.content.decode()

    return get


@pytest.fixture
def members(station, township):
    leader = DeputyFactory(name="王建国", township=township, level="county")
    other = DeputyFactory(name="李秀英", township=township, level="township")
    for deputy in (leader, other):
        StationMembership.objects.create(station=station, deputy=deputy, is_leader=deputy is leader)
    return leader, other


def test_a_repeat_visit_is_served_from_the_cache_without_a_query_and_the_same_content(
    client, station, members, django_assert_num_queries
):
    first = client.get(f"/s/{station.code}/")
    with django_assert_num_queries(0):
        second = client.get(f"/s/{station.code}/")
    assert second.status_code == 200 and second["Content-Type"] == first["Content-Type"]
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())
    assert "王建国" in second.content.decode()


def test_the_cached_page_carries_the_visitors_own_working_csrf_token(station, members):
    Category.objects.get_or_create(name="交通出行")
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(f"/s/{station.code}/")
    cached = visitor.get(f"/s/{station.code}/").content.decode()
    token = TOKEN.search(cached).group(1)
    assert public.CSRF_PLACEHOLDER not in cached
    category = Category.objects.filter(is_active=True).first()
    response = visitor.post(
        _submit_url(station),
        {"csrfmiddlewaretoken": token, "category": category.pk, "content": "村口路灯坏了很久，晚上出行不便。"},
    )
    assert response.status_code == 302  # accepted: not the 403 of a stale token
    stranger = Client(enforce_csrf_checks=True)
    refused = stranger.post(_submit_url(station), {"csrfmiddlewaretoken": token, "category": category.pk,
                                                    "content": "村口路灯坏了很久，晚上出行不便。"})
    assert refused.status_code == 403  # the token is the visitor's own, not shared


def _submit_url(station):
    from django.urls import reverse

    return reverse("opinions:submit", args=[station.code])


def test_the_page_changes_when_the_station_changes(page, station):
    page()
    station.name, station.address = "城关镇人大代表之家（新址）", "城关镇解放路1号"
    station.save()
    html = page()
    assert "城关镇人大代表之家（新址）" in html and "城关镇解放路1号" in html


def test_the_page_changes_when_members_join_leave_or_change(page, station, township, members):
    leader, other = members
    assert "李秀英" in page()
    newcomer = DeputyFactory(name="赵新来", township=township)
    StationMembership.objects.create(station=station, deputy=newcomer)
    assert "赵新来" in page()
    StationMembership.objects.filter(station=station, deputy=other).get().delete()
    assert "李秀英" not in page()
    leader.name = "王建华"
    leader.save()
    assert "王建华" in page()
    leader.status = "terminated"
    leader.save()
    assert "王建华" not in page()


def test_the_page_changes_when_duty_days_change(page, station, members):
    leader, other = members
    day = timezone.localdate() + timedelta(days=2)
    assert day.strftime("%-m月%-d日") not in page()
    shift = make_shift(station, day, [leader])
    assert day.strftime("%-m月%-d日") in page()
    assignment = DutyAssignment.objects.get(shift=shift)
    assignment.deputy = other
    assignment.save()  # a swap
    assert re.search(r"李秀英", page().split("panel-duty")[1].split("panel-deputies")[0])
    shift.delete()
    assert day.strftime("%-m月%-d日") not in page()


def test_the_page_changes_when_the_month_is_scheduled(page, station, members):
    today = timezone.localdate()
    later = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    for month in (today, later):
        page()
        schedule_month(month.year, month.month, station_ids=[station.pk])
    shown = page().split("panel-duty")[1].split("panel-deputies")[0]
    assert "近期接待日正在安排中" not in shown and "<li>" in shown


def test_the_page_changes_with_the_duty_rule_and_the_categories(page, station):
    rule = DutyRule.objects.create(name="逢8进站", days=[8, 18, 28])
    station.duty_rule = rule
    station.save()
    assert "每月8日、18日、28日" in page()
    rule.days = [9, 19, 29]
    rule.save()
    assert "每月9日、19日、29日" in page()
    Category.objects.create(name="基准测试新类别", sort_order=1)
    assert "基准测试新类别" in page()


def test_a_changed_code_or_a_closed_station_is_404_at_once(client, page, station):
    old = station.code
    page()
    station.code = "zz23zz45"
    station.save()
    assert client.get(f"/s/{old}/").status_code == 404
    assert page() and client.get("/s/zz23zz45/").status_code == 200
    station.is_active = False
    station.save()
    assert client.get("/s/zz23zz45/").status_code == 404


def test_a_page_rendered_before_a_change_is_never_served_after_it(page, station):
    versions = public._versions(station.code)  # a request starts rendering...
    station.name = "改名后的联络站"
    station.save()  # ...a change commits meanwhile...
    public._store_page(station.code, versions, "<p>旧页面</p>")  # ...and it stores what it had read
    assert "改名后的联络站" in page() and "旧页面" not in page()


def test_signed_in_users_get_a_fresh_page_with_their_name(client, page, station, deputy_user):
    page()
    client.force_login(deputy_user)
    html = client.get(f"/s/{station.code}/").content.decode()
    assert deputy_user.display_name in html
    client.logout()
    assert deputy_user.display_name not in page()


def test_the_page_works_with_the_cache_down(page, station, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    for name in ("get_many", "set", "add", "set_many"):
        monkeypatch.setattr(cache, name, down)
    assert station.name in page()
    station.name = "缓存停用时改名"
    station.save()  # the change itself must not fail
    assert "缓存停用时改名" in page()


def test_other_stations_pages_stay_cached(client, page, station, township, django_assert_num_queries):
    other = StationFactory(township=township)
    client.get(f"/s/{other.code}/")
    station.name = "只改这一个站"
    station.save()
    with django_assert_num_queries(0):
        assert client.get(f"/s/{other.code}/").status_code == 200


def test_the_page_changes_when_a_vote_opens_or_closes_for_proposals(page, station):
    from tests.votes.factories import ProjectVoteFactory
    from votes.models import VoteStatus

    assert "推荐民生实事项目" not in page()
    vote = ProjectVoteFactory(status=VoteStatus.COLLECTING, title="全县民生实事征集")
    assert "全县民生实事征集" in page()
    vote.status = VoteStatus.SCREENING
    vote.save()
    assert "推荐民生实事项目" not in page()
