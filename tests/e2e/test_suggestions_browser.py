"""The loop in headless Chromium on a phone (375 px): a deputy drafts and submits; staff accept
and assign; the unit records its contact and replies with a PDF; the deputy is 不满意; the unit
replies again; the dashboard's figures move at each step. Every page passes axe and fits."""

import io

import pytest
from PIL import Image

from suggestions import services
from suggestions.models import State, Suggestion
from tests.browser import browser_page, screenshot, sign_in
from tests.quality import axe_violations, describe_violations, has_horizontal_scroll
from tests.suggestions.conftest import PDF_BYTES, make_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def audit(page, where):
    violations = axe_violations(page)
    assert not violations, f"{where}\n" + describe_violations(violations)
    assert not has_horizontal_scroll(page), f"{where} scrolls sideways at {page.viewport_size['width']} px"


def switch_user(page, base_url, username):
    page.context.clear_cookies()
    sign_in(page, base_url, username)


def main(page):
    return page.locator("#main")


def figure(page, base_url, key):
    page.goto(f"{base_url}/suggestions/figures/")
    return page.locator(f"[data-figure={key}] .value").inner_text()


def from_my_list(page, base_url, username, link_name):
    """Sign in as `username` and follow `link_name` on their 代表建议 list."""
    switch_user(page, base_url, username)
    page.goto(f"{base_url}/suggestions/")
    main(page).get_by_role("link", name=link_name).first.click()
    page.wait_for_load_state()


def take(page, link_name):
    main(page).get_by_role("link", name=link_name, exact=True).click()
    page.wait_for_load_state()


def confirm(page, step):
    page.get_by_role("button", name=f"确定{step}").click()
    page.wait_for_load_state()


def contact_and_reply(page, result_class, text, pdf):
    take(page, "办前沟通")
    page.get_by_label("沟通方式").select_option(label="电话沟通")
    page.get_by_label("沟通情况").fill("与领衔代表电话沟通，约定现场察看")
    confirm(page, "办前沟通")
    take(page, "答复")
    page.get_by_label(result_class).check()
    page.get_by_label("答复内容").fill(text)
    page.get_by_label("盖章答复件（PDF）").set_input_files(str(pdf))
    page.get_by_label("联系人").fill("李华")
    page.get_by_label("联系电话").fill("0510-87654321")
    confirm(page, "答复")


def test_the_loop_on_a_phone_moves_the_figures(live_server, tmp_path):
    make_loop()
    pdf = tmp_path / "答复.pdf"
    pdf.write_bytes(PDF_BYTES)
    photo = tmp_path / "路面.png"
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), "gray").save(buffer, "PNG")
    photo.write_bytes(buffer.getvalue())
    base = live_server.url

    with browser_page(width=375, height=812) as page:
        # 提: the deputy drafts on the phone and submits.
        sign_in(page, base, "lead_deputy")
        page.goto(f"{base}/suggestions/")
        audit(page, "my suggestions (empty)")
        main(page).get_by_role("link", name="写建议").click()
        page.wait_for_load_state()
        audit(page, "draft form")
        page.get_by_label("标题").fill("修复城关镇中心路坑洼路面")
        page.get_by_label("类别").select_option(label="交通运输")
        page.get_by_label("建议内容").fill("中心路多处坑洼，雨天积水，群众出行不便。建议年内修复。")
        page.get_by_label("邀请附议代表").select_option(label="李四（城关镇）")
        page.get_by_label("附件").set_input_files(str(photo))
        screenshot(page, "suggestions-draft-form-375")
        page.get_by_role("button", name="保存草稿").click()
        page.wait_for_load_state()
        assert "草稿已保存" in page.content()
        main(page).get_by_role("button", name="提交", exact=True).click()
        page.wait_for_load_state()
        assert "待审查" in page.locator("#suggestion-state").inner_text()
        page.goto(f"{base}/suggestions/")
        audit(page, "my suggestions")
        screenshot(page, "suggestions-mine-375")

        # 交: staff accept and assign, from the 交办 queue.
        switch_user(page, base, "staff1")
        assert figure(page, base, "assigned") == "0"
        page.goto(f"{base}/suggestions/review/")
        audit(page, "review")
        main(page).get_by_role("link", name="修复城关镇中心路坑洼路面").first.click()
        page.wait_for_load_state()
        take(page, "立案")
        page.get_by_label("说明").fill("同意立案")
        confirm(page, "立案")
        take(page, "交办")
        page.get_by_label("主办单位").select_option(label="县交通运输局")
        page.get_by_label("县教育局").check()
        confirm(page, "交办")
        assert "办理中" in page.locator("#suggestion-state").inner_text()
        audit(page, "detail (staff)")
        screenshot(page, "suggestions-assigned-375")
        assert figure(page, base, "assigned") == "1"
        assert figure(page, base, "completion_rate") == "0.00%"

        # 办: the lead unit talks to the deputy and replies with the signed PDF.
        from_my_list(page, base, "unit_lead", "修复城关镇中心路坑洼路面")
        contact_and_reply(page, "A类：已解决或采纳", "已安排专项资金，计划年内完成修复。", pdf)
        assert "已答复" in page.locator("#suggestion-state").inner_text()
        audit(page, "detail (unit, replied)")

        switch_user(page, base, "staff1")
        assert figure(page, base, "completion_rate") == "100.00%"
        assert figure(page, base, "success_rate") == "100.00%"

        # 评: the deputy is not satisfied.
        from_my_list(page, base, "lead_deputy", "对答复进行测评")
        audit(page, "evaluation form")
        page.get_by_label("不满意", exact=True).check()
        page.get_by_label("意见").fill("只修了一半，雨天仍积水。")
        screenshot(page, "suggestions-evaluate-375")
        confirm(page, "满意度测评")
        assert "重新办理" in page.locator("#suggestion-state").inner_text()

        switch_user(page, base, "staff1")
        assert figure(page, base, "completion_rate") == "0.00%"
        assert figure(page, base, "satisfaction_rate") == "0.00%"

        # 办 again: re-handling within a month, a new reply.
        from_my_list(page, base, "unit_lead", "修复城关镇中心路坑洼路面")
        assert "重新办理" in page.locator("#deadline").inner_text()
        contact_and_reply(page, "B类：正在解决或列入计划解决", "已列入明年道路改造计划，先行铺设排水管。", pdf)
        assert "已答复" in page.locator("#suggestion-state").inner_text()

        switch_user(page, base, "staff1")
        assert figure(page, base, "completion_rate") == "100.00%"
        assert figure(page, base, "success_rate") == "0.00%"
        page.wait_for_selector("#chart-states[data-ready='1'] svg")
        page.wait_for_selector("#chart-units[data-ready='1'] svg")
        audit(page, "figures")
        screenshot(page, "suggestions-figures-375")

        # The deputy is satisfied this time; 满意率 follows.
        from_my_list(page, base, "lead_deputy", "对答复进行测评")
        page.get_by_label("基本满意", exact=True).check()
        confirm(page, "满意度测评")
        page.wait_for_selector("#timeline")
        audit(page, "detail (deputy)")
        screenshot(page, "suggestions-detail-375")
        switch_user(page, base, "staff1")
        assert figure(page, base, "satisfaction_rate") == "100.00%"

    suggestion = Suggestion.objects.get()
    assert suggestion.state == State.EVALUATED
    assert suggestion.replies.count() == 2 and suggestion.evaluations.count() == 2
    assert list(suggestion.timeline.values_list("step", flat=True)) == [
        "create", "invite", "submit", "accept", "assign", "contact", "reply", "evaluate", "contact",
        "reply", "evaluate",
    ]


def test_staff_pages_and_the_public_page_pass_the_audit(live_server):
    loop = make_loop()
    for state in (State.SUBMITTED, State.ASSIGNED):
        loop.to(state)
    services.publish_reply(loop.to(State.CLOSED), by=loop.staff)
    with browser_page(width=1280, height=900) as page:
        sign_in(page, live_server.url, "staff1")
        for path in ["/suggestions/", "/suggestions/review/", "/suggestions/figures/"]:
            page.goto(live_server.url + path)
            audit(page, path)
        page.wait_for_selector("#chart-units[data-ready='1'] svg")
        screenshot(page, "suggestions-figures-1280")
    # axe runs as a script in the page, so the public pages are audited with JavaScript on;
    # they use none of their own.
    with browser_page(width=375) as page:
        page.goto(f"{live_server.url}/suggestions/public/")
        audit(page, "public replies")
        page.get_by_role("link", name="修复城关镇中心路坑洼路面").click()
        page.wait_for_load_state()
        audit(page, "public reply")
        assert "已安排资金" in page.content() and "张三丽" not in page.content()
        screenshot(page, "suggestions-public-375")


def test_the_cosigner_picker_searches_by_pinyin_initials_township_and_group(live_server):
    """Issue 23: ~190 names told apart by township and group, found by typing (JavaScript on);
    the same select works as a plain multiple select without it."""
    from deputies.models import Deputy
    from tests.factories import DeputyFactory, DeputyGroupFactory, TownshipFactory

    make_loop()
    group = DeputyGroupFactory(name="教育界代表小组")
    elsewhere = TownshipFactory(name="青山镇")
    DeputyFactory(name="李四", township=elsewhere, group=group)  # a namesake in another township
    for i in range(30):
        DeputyFactory(name=f"代表{i}", township=elsewhere)
    assert Deputy.objects.filter(name="李四").count() == 2
    base = live_server.url
    with browser_page(width=375, height=812) as page:
        sign_in(page, base, "lead_deputy")
        page.goto(f"{base}/suggestions/new/")
        select = page.get_by_label("邀请附议代表")
        search = page.get_by_label("搜索代表")

        def shown():
            return select.evaluate("s => [...s.options].filter(o => !o.hidden).map(o => o.text)")

        search.fill("ls")
        assert sorted(shown()) == ["李四（城关镇）", "李四（青山镇 · 教育界代表小组）"]
        search.fill("ls 教育")
        assert shown() == ["李四（青山镇 · 教育界代表小组）"]
        select.select_option(label="李四（青山镇 · 教育界代表小组）")
        search.fill("代表1")
        assert "李四（青山镇 · 教育界代表小组）" in shown()  # a chosen deputy stays in view
        screenshot(page, "suggestions-cosigner-picker-375")
    with browser_page(width=375, height=812, javascript=False) as page:
        sign_in(page, base, "lead_deputy")
        page.goto(f"{base}/suggestions/new/")
        assert page.get_by_label("搜索代表").count() == 0
        page.get_by_label("邀请附议代表").select_option(label="李四（城关镇）")
