"""Browser: an admin generates the annual report, sees its progress, downloads it; staff open the
dashboard (ECharts drawn) and a deputy reads their points on a phone."""

import pytest
from docx import Document
from openpyxl import load_workbook

from reports.models import GeneratedReport
from tests.browser import browser_page, in_thread, screenshot, sign_in
from tests.factories import UserFactory
from tests.points.conftest import YEAR, Records
from tests.reports.test_figures import build_year
from tests.services.conftest import celery_worker_process  # noqa: F401  (a real worker)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(settings, tmp_path):
    settings.REPORTS_ROOT = tmp_path / "reports"
    records = Records()
    build_year(records, size=3)
    return records


def generate_and_download(page, base_url, tmp_path, name):
    page.goto(f"{base_url}/reports/annual/")
    page.get_by_label("年度").select_option(str(YEAR))
    page.get_by_role("button", name="生成报告").click(timeout=90_000)  # Word, Excel and charts: slow on a busy 2-core machine
    page.wait_for_load_state()
    assert page.locator("#report-progress").is_visible()
    screenshot(page, f"{name}-progress")
    page.locator("#download-docx").wait_for(state="visible", timeout=120000)
    assert page.locator("#report-progress").get_attribute("value") == "100"
    assert page.locator("#report-state").inner_text() == "已完成"
    screenshot(page, f"{name}-done")
    with page.expect_download() as download_info:
        page.locator("#download-docx").click()
    docx = tmp_path / "report.docx"
    download_info.value.save_as(docx)
    with page.expect_download() as download_info:
        page.locator("#download-xlsx").click()
    xlsx = tmp_path / "report.xlsx"
    download_info.value.save_as(xlsx)
    return docx, xlsx


def check_files(docx, xlsx):
    text = "\n".join(p.text for p in Document(docx).paragraphs)
    assert f"{YEAR}年度代表工作报告" in text and "全年代表进站履职6次" in text
    assert "各乡镇（街道）情况" in load_workbook(xlsx).sheetnames


def test_admin_generates_the_annual_report_sees_progress_and_downloads_it(live_server, county, tmp_path):
    UserFactory(username="admin1", role="admin")
    with browser_page(width=1280, height=900) as page:
        sign_in(page, live_server.url, "admin1")
        docx, xlsx = generate_and_download(page, live_server.url, tmp_path, "reports-annual-eager")
    check_files(docx, xlsx)
    assert GeneratedReport.objects.get().status == "done"


@pytest.fixture
def shared_reports_root(monkeypatch, settings, tmp_path):
    """The worker process writes where the live server reads."""
    monkeypatch.setenv("REPORTS_ROOT", str(tmp_path / "reports"))
    settings.REPORTS_ROOT = tmp_path / "reports"


def test_with_a_real_worker_the_page_follows_the_task(live_server, county, tmp_path, shared_reports_root,
                                                      celery_worker_process):  # noqa: F811
    UserFactory(username="admin1", role="admin")
    with browser_page(width=375, height=812) as page:
        sign_in(page, live_server.url, "admin1")
        docx, xlsx = generate_and_download(page, live_server.url, tmp_path, "reports-annual-worker")
    check_files(docx, xlsx)


def test_staff_dashboard_draws_charts_and_deputy_reads_points_on_a_phone(live_server, county):
    UserFactory(username="staff1", role="staff")
    deputy = county.deputy(name="王代表")
    user = UserFactory(username="deputy1", role="deputy")
    deputy.user = user
    deputy.save()
    county.visits(deputy, 4, receptions=1)
    with browser_page(width=375, height=812) as page:
        sign_in(page, live_server.url, "staff1")
        page.goto(f"{live_server.url}/dashboard/?year={YEAR}")
        for chart in ("chart-stations", "chart-visits", "chart-opinions", "chart-rates"):
            page.locator(f"#{chart}[data-ready='1'] svg").first.wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        screenshot(page, "reports-dashboard-phone")
        page.goto(f"{live_server.url}/points/ranking/?year={YEAR}")
        screenshot(page, "points-ranking-phone")
    with browser_page(width=375, height=812) as page:
        sign_in(page, live_server.url, "deputy1")
        page.goto(f"{live_server.url}/points/?year={YEAR}")
        assert page.locator("[data-figure='total'] .value").inner_text() == "12"
        screenshot(page, "points-mine-phone")
        page.get_by_role("link", name="履职档案（打印）").click()
        page.wait_for_load_state()
        assert "年度履职档案" in page.locator("h1").inner_text()
        screenshot(page, "points-dossier-phone")
    assert in_thread(lambda: deputy.pk)


def test_points_and_reports_pages_pass_the_accessibility_audit_on_a_phone(live_server, county):
    from deputies.models import CongressSession
    from tests.quality import axe_violations, describe_violations, has_horizontal_scroll

    UserFactory(username="admin1", role="admin")
    deputy = county.deputy(name="王代表")
    deputy.user = UserFactory(username="deputy1", role="deputy")
    deputy.save()
    county.visits(deputy, 2, receptions=1)
    session = county.session(present=[deputy])
    assert CongressSession.objects.filter(pk=session.pk).exists()
    staff_pages = [
        f"/points/ranking/?year={YEAR}", f"/points/rules/?year={YEAR}", f"/dashboard/?year={YEAR}",
        f"/awards/?year={YEAR}", f"/awards/?year={YEAR}&kind=best_unit", "/deputies/sessions/",
        f"/deputies/sessions/{session.pk}/attendance/", "/reports/annual/",
        f"/points/deputies/{deputy.pk}/dossier/?year={YEAR}",
    ]
    with browser_page(width=375, height=812) as page:
        sign_in(page, live_server.url, "admin1")
        for path in staff_pages:
            page.goto(live_server.url + path)
            violations = axe_violations(page)
            assert not violations, f"{path}\n" + describe_violations(violations)
            assert not has_horizontal_scroll(page), path
        screenshot(page, "points-attendance-phone")
    with browser_page(width=375, height=812) as page:
        sign_in(page, live_server.url, "deputy1")
        for path in [f"/points/?year={YEAR}", f"/points/deputies/{deputy.pk}/dossier/?year={YEAR}"]:
            page.goto(live_server.url + path)
            violations = axe_violations(page)
            assert not violations, f"{path}\n" + describe_violations(violations)
            assert not has_horizontal_scroll(page), path
