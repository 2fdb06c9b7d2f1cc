"""The user manual (docs/manual/), one test per role, on the demo county.

Each test walks through the main tasks of one role the way the manual describes them, and
asserts what the reader is told they will see. With MANUAL_SCREENSHOTS=<folder> (`make manual`
sets docs/manual/img) every step also saves its picture there, shrunk to a 128-colour PNG; in
the normal test run no picture is taken, so the steps cost only the page loads.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from pypinyin import lazy_pinyin

from deputies.models import Deputy
from opinions.models import Opinion, State
from stations.models import DutyAssignment, Station, SwapRequest, Unavailability, Visit
from stations.services import request_swap
from suggestions.models import Suggestion
from suggestions.models import State as SuggestionState
from tests.browser import browser_page, in_thread, sign_in
from tests.conftest import require_or_skip
from votes.models import ProjectVote, VoteStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def on_postgresql():
    """The manual's steps write from the live server's threads while the test reads: SQLite's
    single writer locks there, so they run on PostgreSQL (CI) and skip on SQLite."""
    if connection.vendor != "postgresql":
        require_or_skip("the manual's walkthroughs need PostgreSQL (set DATABASE_URL)")

PASSWORD = "lianxin-demo"
PHONE = {"width": 375, "height": 740}
DESK = {"width": 1000, "height": 680}


def shot(page, name, *, at=None, full_page=False):
    """The manual's picture `name`.png of the page as it is now (scrolled to `at`)."""
    folder = os.environ.get("MANUAL_SCREENSHOTS")
    if not folder:
        return
    from PIL import Image

    if at is not None:
        at.first.scroll_into_view_if_needed()
    path = Path(folder) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=128, method=Image.Quantize.FASTOCTREE)
    small.save(path, optimize=True)


def go(page, url):
    response = page.goto(url)
    assert response.ok, f"{url}: HTTP {response.status}"
    return response


def test_public(demo_site):
    """群众: scan the station's code, read it, send an opinion, follow it, rate a closed one."""
    base = demo_site.url
    closed = Opinion.objects.filter(state=State.CLOSED, rated_at__isnull=True).order_by("pk").first()
    with browser_page(**PHONE, javascript=False) as page:
        go(page, f"{base}/s/{demo_site.station_code}/")
        assert page.get_by_role("heading", level=1).is_visible()
        shot(page, "public-01-station")
        form = page.locator("#opinion")
        page.get_by_label("类别").select_option(label="交通出行")
        page.get_by_label("您的意见或建议").fill("村口到镇上的班车太少，早上七点前没有车，学生上学不方便。")
        page.get_by_label("手机号（选填）").fill("13912345678")
        shot(page, "public-02-opinion-form", at=form)
        page.get_by_role("button", name="提交意见").click()
        page.wait_for_load_state()
        assert "请勾选同意使用个人信息" in page.content()
        shot(page, "public-03-fix-input", at=page.locator("#opinion-errors"))
        page.get_by_label("我同意代表和工作人员为办理本意见使用我的姓名和电话").check()
        page.get_by_role("button", name="提交意见").click()
        page.wait_for_load_state()
        assert f"代表将在{settings.OPINION_ADOPT_DAYS}个工作日内接单" in page.content()
        code = page.locator("#tracking-code").inner_text().strip()
        shot(page, "public-04-submitted")
        go(page, f"{base}/track/")
        page.get_by_label("查询码").fill(code)
        page.get_by_role("button", name="查询").click()
        page.wait_for_load_state()
        assert page.locator("#status").inner_text() == "已提交"
        shot(page, "public-05-track")
        go(page, f"{base}/track/{closed.tracking_code}/")
        assert page.locator("#reply").is_visible()
        page.get_by_label("满意", exact=True).check()
        shot(page, "public-06-rate", at=page.locator("#rating"))
        page.get_by_role("button", name="提交评价").click()
        page.wait_for_load_state()
        assert "感谢您的评价" in page.content()
        go(page, f"{base}/projects/")
        shot(page, "public-07-projects")


def test_deputy(demo_site):
    """代表: sign in on a phone, log a station visit, see duty days, take an opinion, write a
    suggestion, vote, read the points."""
    base = demo_site.url
    vote = ProjectVote.objects.filter(status=VoteStatus.VOTING).order_by("pk").first()
    with browser_page(**PHONE) as page:
        go(page, f"{base}/accounts/login/")
        page.get_by_label("用户名").fill("deputy")
        page.get_by_label("密码").fill(PASSWORD)
        shot(page, "deputy-01-login")
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        shot(page, "deputy-02-home")

        go(page, f"{base}/stations/visits/new/")
        page.get_by_label("群众姓名").first.fill("李大爷")
        page.get_by_label("类别").first.select_option(label="农业农村")
        page.get_by_label("反映问题").first.fill("村里的灌溉水渠堵了，希望尽快清理。")
        shot(page, "deputy-03-visit-form")
        page.get_by_label("履职情况").fill("接待群众一人，了解灌溉水渠情况。")
        page.get_by_role("button", name="提交", exact=True).click()
        page.wait_for_load_state()
        assert re.search(r"/stations/visits/\d+/", page.url), page.url
        shot(page, "deputy-04-visit-saved")

        go(page, f"{base}/stations/my-duty/")
        assert page.get_by_role("heading", name="我的值班").is_visible()
        shot(page, "deputy-05-my-duty")
        page.get_by_role("link", name="申请调班").first.click()
        page.wait_for_load_state()
        page.get_by_label("调班原因").fill("当天要到县里参加培训")
        shot(page, "deputy-06-swap-request")
        page.get_by_role("button", name="提交申请").click()
        page.wait_for_load_state()
        assert "调班申请处理中" in page.content()

        go(page, f"{base}/opinions/?state=submitted")
        shot(page, "deputy-07-opinions", at=page.locator("main table"))
        page.locator("main table a, main .opinion-list a").first.click()
        page.wait_for_load_state()
        page.get_by_role("button", name="接单").click()
        page.wait_for_load_state()
        assert page.locator("#state").inner_text() == "代表已接单"
        shot(page, "deputy-08-opinion-adopted")

        go(page, f"{base}/suggestions/new/")
        shot(page, "deputy-09-suggestion-draft")

        go(page, f"{base}/votes/{vote.pk}/ballot/")
        shot(page, "deputy-10-ballot")

        go(page, f"{base}/points/")
        assert "履职积分" in page.locator("main").inner_text()
        shot(page, "deputy-11-points")


def test_station_manager(demo_site):
    """站点管理员: the station's page and public details, duty roster, reception log, poster."""
    base = demo_site.url
    station = Station.objects.get(manager__username="manager")
    in_thread(ensure_a_swap_request, station)  # its own connection: committed, the server sees it
    visit = Visit.objects.filter(station=station, receptions__visitor_phone__gt="").order_by("pk").first()
    with browser_page(**DESK) as page:
        sign_in(page, base, "manager", PASSWORD)
        go(page, f"{base}/stations/{station.pk}/")
        assert station.name in page.locator("h1").inner_text()
        shot(page, "manager-01-station")
        go(page, f"{base}/stations/{station.pk}/edit/")
        shot(page, "manager-02-edit")
        go(page, f"{base}/stations/duty/")
        shot(page, "manager-03-roster")
        go(page, f"{base}/stations/duty/swaps/")
        shot(page, "manager-04-swaps")
        page.locator(".card", has_text="建议由").first.get_by_role("button", name="同意调班").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name="最近处理").is_visible()
        go(page, f"{base}/stations/visits/")
        shot(page, "manager-05-visits")
        go(page, f"{base}/stations/visits/{visit.pk}/")
        assert "****" in page.locator("main").inner_text()  # visitors' numbers are masked
        shot(page, "manager-06-visit")
        go(page, f"{base}/stations/{station.pk}/poster/")
        shot(page, "manager-07-poster")


def ensure_a_swap_request(station):
    """A pending swap request at the station, naming a member free that day, for the manager to
    approve (the demo deputy's own request, made in test_deputy, is for whichever station their
    next shift is at, and leaves the choice to the manager)."""
    pending = SwapRequest.objects.filter(assignment__shift__station=station, status=SwapRequest.Status.PENDING)
    if pending.filter(proposed__isnull=False).exists():
        return
    upcoming = (
        DutyAssignment.objects.filter(shift__station=station, shift__date__gte=timezone.localdate(),
                                      deputy__user__isnull=False)
        .exclude(pk__in=pending.values("assignment"))
        .select_related("deputy__user", "shift")
        .order_by("shift__date", "pk")
    )
    for assignment in upcoming:
        day = assignment.shift.date
        free = (
            station.members.active()
            .exclude(pk__in=DutyAssignment.objects.filter(shift__date=day).values("deputy"))
            .exclude(pk__in=Unavailability.objects.filter(start__lte=day, end__gte=day).values("deputy"))
            .order_by("pk")
            .first()
        )
        if free:
            request_swap(assignment, by=assignment.deputy.user, reason="当天要到县里参加培训", proposed=free)
            return
    raise AssertionError(f"no shift at {station} can be swapped")


def test_unit(demo_site):
    """承办单位: the suggestions assigned to the unit, a reply, and a referred opinion."""
    base = demo_site.url
    assigned = (
        Suggestion.objects.filter(state=SuggestionState.ASSIGNED, lead_unit__name="县交通运输局")
        .order_by("pk")
        .first()
    )
    with browser_page(**DESK) as page:
        sign_in(page, base, "unit", PASSWORD)
        shot(page, "unit-01-home")
        go(page, f"{base}/suggestions/")
        assert "县交通运输局承办的建议" in page.locator("h1").inner_text()
        shot(page, "unit-02-suggestions")
        go(page, f"{base}/suggestions/{assigned.pk}/")
        shot(page, "unit-03-suggestion")
        page.locator("main").get_by_text("办前沟通", exact=True).click()
        page.wait_for_load_state()
        assert page.locator("main form").count() >= 1
        shot(page, "unit-04-contact")
        go(page, f"{base}/opinions/")
        shot(page, "unit-05-opinions")
        page.locator("main tr", has_text="已转交办理").first.locator("a").first.click()
        page.wait_for_load_state()
        assert page.get_by_role("button", name="接单办理").is_visible()
        shot(page, "unit-06-opinion", at=page.get_by_role("button", name="接单办理"))


def test_staff(demo_site):
    """工作人员: deputies (search by initials), stations, opinions, review and assignment of
    suggestions, votes, points ranking and the dashboard."""
    base = demo_site.url
    name = Deputy.objects.get(user__username="deputy").name
    initials = "".join(syllable[0] for syllable in lazy_pinyin(name))
    with browser_page(**DESK) as page:
        sign_in(page, base, "staff", PASSWORD)
        shot(page, "staff-01-home")
        go(page, f"{base}/deputies/")
        page.get_by_label("姓名或拼音").fill(initials)
        page.get_by_role("button", name="查询").click()
        page.wait_for_load_state()
        assert page.locator("main table").get_by_text(name).count() >= 1
        shot(page, "staff-02-deputies")
        go(page, f"{base}/deputies/import/")
        shot(page, "staff-03-import")
        go(page, f"{base}/stations/")
        shot(page, "staff-04-stations")
        go(page, f"{base}/opinions/")
        shot(page, "staff-05-opinions")
        go(page, f"{base}/suggestions/review/")
        shot(page, "staff-06-review")
        go(page, f"{base}/suggestions/figures/")
        shot(page, "staff-07-figures")
        go(page, f"{base}/votes/")
        shot(page, "staff-08-votes")
        go(page, f"{base}/points/")
        shot(page, "staff-09-points")
        go(page, f"{base}/dashboard/")
        page.wait_for_load_state("networkidle")
        shot(page, "staff-10-dashboard")


def test_admin(demo_site):
    """管理员: the annual report, point rules, system configuration and the audit log."""
    base = demo_site.url
    with browser_page(**DESK) as page:
        sign_in(page, base, "admin", PASSWORD)
        go(page, f"{base}/reports/annual/")
        shot(page, "admin-01-annual")
        page.get_by_role("button", name="生成报告").click(timeout=90_000)  # Word, Excel and charts: slow on a busy 2-core machine
        page.wait_for_load_state()
        assert re.search(r"/reports/annual/\d+/", page.url), page.url
        shot(page, "admin-02-annual-report")
        go(page, f"{base}/points/rules/")
        shot(page, "admin-03-rules")
        go(page, f"{base}/admin/")
        shot(page, "admin-04-config")
        go(page, f"{base}/admin/audit/auditentry/")
        shot(page, "admin-05-audit")
