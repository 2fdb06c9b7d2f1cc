"""Staff import a roster in the browser: upload, see each row in the preview, confirm, undo."""

import pytest

from deputies.models import Deputy
from imports.models import ImportBatch
from tests.browser import browser_page, in_thread, screenshot, sign_in
from tests.deputies.conftest import good_row, import_file
from tests.factories import DeputyFactory, TownshipFactory, UserFactory
from tests.quality import axe_violations, describe_violations, has_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def roster():
    return list(Deputy.objects.order_by("pk").values_list("name", "occupation"))


def test_staff_upload_see_the_preview_confirm_and_undo(live_server, tmp_path):
    township = TownshipFactory(name="城关镇")
    DeputyFactory(name="王建国", township=township, phone="13912340001", occupation="旧单位")
    UserFactory(username="staff1", role="staff")
    path = tmp_path / "roster.xlsx"
    path.write_bytes(import_file([good_row("王建国", "13912340001"), good_row("陈丽华", "13912340002")]).read())

    with browser_page() as page:  # a 375 px phone
        sign_in(page, live_server.url, "staff1")
        page.goto(f"{live_server.url}/deputies/")
        page.get_by_role("link", name="Excel 导入").click()
        page.get_by_label("Excel 文件").set_input_files(str(path))
        page.get_by_role("button", name="上传并预览").click()
        page.wait_for_load_state()
        summary = page.locator("#import-summary").inner_text()
        rows = page.locator("#import-rows").inner_text()
        preview_scrolls = has_horizontal_scroll(page)
        preview_violations = axe_violations(page)
        screenshot(page, "imports-preview")
        before_confirm = in_thread(roster)
        page.get_by_role("button", name="确认导入").click()
        page.wait_for_load_state()
        done = page.locator("main").inner_text()
        done_violations = axe_violations(page)
        screenshot(page, "imports-done")
        after_confirm = in_thread(roster)
        page.get_by_role("button", name="撤销本批").click()
        page.wait_for_load_state()
        undone = page.locator("main").inner_text()

    assert "新增 1 · 更新 1 · 不变 0" in summary
    assert "工作单位及职务：旧单位 → 县一中教师" in rows and "陈丽华" in rows
    assert not preview_scrolls
    assert not preview_violations, describe_violations(preview_violations)
    assert not done_violations, describe_violations(done_violations)
    assert before_confirm == [("王建国", "旧单位")]
    assert "导入成功：新增 1，更新 1，不变 0" in done
    assert after_confirm == [("王建国", "县一中教师"), ("陈丽华", "县一中教师")]
    assert "已撤销该批导入" in undone
    assert list(Deputy.objects.values_list("name", "occupation")) == [("王建国", "旧单位")]
    assert ImportBatch.objects.get().status == "undone"
