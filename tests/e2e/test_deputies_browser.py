
import pytest
from openpyxl import load_workbook

from deputies.models import Deputy
from tests.browser import browser_page, screenshot, sign_in
from tests.deputies.conftest import good_row, import_file
from tests.factories import DeputyFactory, DeputyGroupFactory, TownshipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_finds_deputies_by_pinyin_initials_filters_and_exports(live_server, tmp_path):
    township = TownshipFactory(name="城关镇")
    other = TownshipFactory(name="青山镇")
    group = DeputyGroupFactory(name="城关镇代表小组")
    DeputyFactory(name="张三丽", township=township, group=group)
    DeputyFactory(name="张思力", township=other)
    DeputyFactory(name="李四", township=township)
    UserFactory(username="staff1", role="staff")

    with browser_page(width=1280, height=900) as page:
        sign_in(page, live_server.url, "staff1")
        page.goto(f"{live_server.url}/deputies/")
        page.get_by_label("姓名或拼音").fill("zsl")
        page.get_by_role("button", name="查询").click()
        page.wait_for_load_state()
        assert page.locator("#result-count").inner_text() == "共 2 名代表"
        page.get_by_label("乡镇").select_option(label="城关镇")
        page.get_by_role("button", name="查询").click()
        page.wait_for_load_state()
        assert page.locator("#result-count").inner_text() == "共 1 名代表"
        assert page.get_by_role("link", name="张三丽").is_visible()
        screenshot(page, "deputies-search-zsl")
        with page.expect_download() as download_info:
            page.get_by_role("link", name="导出 Excel").click()
        path = tmp_path / "export.xlsx"
        download_info.value.save_as(path)
    ws = load_workbook(path).worksheets[0]
    assert [row[0].value for row in ws.iter_rows(min_row=2)] == ["张三丽"]


def test_import_with_a_bad_row_shows_the_row_number_and_saves_nothing(live_server, tmp_path):
    TownshipFactory(name="城关镇")
    UserFactory(username="staff1", role="staff")
    bad = good_row("李四", "13912340002")
    bad[6] = "abc"
    upload = import_file([good_row("王建国", "13912340001"), bad])
    path = tmp_path / "deputies.xlsx"
    path.write_bytes(upload.read())

    with browser_page(width=1280, height=900) as page:
        sign_in(page, live_server.url, "staff1")
        page.goto(f"{live_server.url}/deputies/import/")
        page.get_by_label("Excel 文件").set_input_files(str(path))
        page.get_by_role("button", name="上传并预览").click()
        page.wait_for_load_state()
        errors = page.locator("#import-errors").inner_text()
        screenshot(page, "deputies-import-error")
    assert "第3行“届次”" in errors
    assert "未导入任何数据" in errors
    assert not Deputy.objects.exists()
