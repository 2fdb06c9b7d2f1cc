"""Dashboard, awards and annual report pages and API: who may, what they show, bad input."""

import pytest

from accounts.models import Role
from reports.figures import year_figures
from reports.models import Award, GeneratedReport
from suggestions.models import ReplyClass, State
from tests.factories import TownshipFactory, UserFactory
from tests.points.conftest import YEAR
from tests.reports.test_figures import build_year

pytestmark = pytest.mark.calendar


@pytest.fixture
def county(records):
    build_year(records, size=3)
    qs = TownshipFactory(name="青山镇")
    build_year(records, township=qs, size=1)
    return qs


@pytest.mark.django_db
class TestDashboard:
    def test_staff_see_the_dashboard_with_the_same_figures_as_the_api(self, county, login, staff):
        client = login(staff)
        response = client.get(f"/dashboard/?year={YEAR}")
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="dashboard-data"' in html and "vendor/echarts/echarts.min.js" in html
        assert "reports/dashboard.js" in html and "<script>" not in html
        assert 'data-figure="visits"><span class="value">7<' in html
        api = client.get(f"/api/v1/dashboard/?year={YEAR}").json()
        assert api == year_figures(YEAR).as_json()
        assert api["visits"] == 7 and api["opinions"]["collected"] == 4

    def test_township_staff_see_only_their_township(self, county, login, township_staff):
        client = login(township_staff)
        html = client.get(f"/dashboard/?year={YEAR}").content.decode()
        assert 'data-figure="visits"><span class="value">1<' in html
        assert client.get(f"/api/v1/dashboard/?year={YEAR}").json()["visits"] == 1

    def test_deputies_and_units_get_403(self, county, login, deputy_user, unit_user):
        for user in (deputy_user, unit_user):
            assert login(user).get("/dashboard/").status_code == 403
            assert login(user).get("/api/v1/dashboard/").status_code == 403

    def test_bad_input_is_a_400_not_a_500(self, county, login, staff):
        client = login(staff)
        assert client.get("/api/v1/dashboard/?year=abc").status_code == 400
        assert client.get("/api/v1/dashboard/?township=x").status_code == 400
        assert client.get("/dashboard/?year=abc&township=x").status_code == 200


@pytest.mark.django_db
class TestAwards:
    def test_shortlists_and_recording_an_award(self, county, login, staff, records):
        client = login(staff)
        for kind in ("best_deputy", "best_station", "best_suggestion", "best_unit"):
            assert client.get(f"/awards/?year={YEAR}&kind={kind}").status_code == 200
        page = client.get(f"/awards/?year={YEAR}&kind=best_deputy").content.decode()
        assert 'id="shortlist"' in page
        shortlist = client.get(f"/api/v1/awards/shortlist/?kind=best_deputy&year={YEAR}").json()["results"]
        top = shortlist[0]
        response = client.post("/awards/record/", {"kind": "best_deputy", "year": YEAR, "subject": top["id"],
                                                   "citation": "进站最多"})
        assert response.status_code == 302
        award = Award.objects.get()
        assert award.deputy_id == top["id"] and award.awarded_by == staff
        again = client.post("/awards/record/", {"kind": "best_deputy", "year": YEAR, "subject": top["id"]}, follow=True)
        assert "已登记为" in again.content.decode() and Award.objects.count() == 1
        assert client.get(f"/api/v1/awards/shortlist/?kind=best_deputy&year={YEAR}").json()["results"][0]["awarded"]

    def test_best_suggestion_award_gives_the_lead_deputy_a_bonus(self, records, login, staff):
        from points.ledger import standings

        deputy = records.deputy()
        suggestion = records.suggestions(deputy, 1, state=State.REPLIED, reply_class=ReplyClass.B)[0]
        before = standings(YEAR).of(deputy.pk).total
        login(staff).post("/awards/record/", {"kind": "best_suggestion", "year": YEAR, "subject": suggestion.pk})
        assert standings(YEAR).of(deputy.pk).total == before + 5

    def test_bad_award_requests(self, county, login, staff, deputy_user):
        client = login(staff)
        assert client.post("/awards/record/", {"kind": "nope", "year": YEAR, "subject": 1}).status_code == 302
        assert client.post("/awards/record/", {"kind": "best_unit", "year": YEAR, "subject": 999999}).status_code == 404
        assert client.get("/api/v1/awards/shortlist/?kind=nope").status_code == 400
        assert not Award.objects.exists()
        assert login(deputy_user).get("/awards/").status_code == 403


@pytest.mark.django_db
class TestAnnualReportPages:
    def test_admin_generates_and_downloads(self, county, login, admin, django_capture_on_commit_callbacks):
        client = login(admin)
        assert client.get("/reports/annual/").status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/reports/annual/", {"year": YEAR, "township": ""})
        assert response.status_code == 302
        report = GeneratedReport.objects.get()
        detail = client.get(response["Location"]).content.decode()
        assert 'id="report-progress"' in detail and "reports/annual.js" in detail
        status = client.get(f"/reports/annual/{report.pk}/status/").json()
        assert status["status"] == "done" and status["progress"] == 100
        docx = client.get(status["docx"])
        assert docx.status_code == 200 and b"".join(docx.streaming_content)[:2] == b"PK"
        xlsx = client.get(status["xlsx"])
        assert xlsx.status_code == 200
        assert "attachment" in xlsx["Content-Disposition"]
        # Kept: the list offers it again.
        assert f"/reports/annual/{report.pk}/report.docx" in client.get("/reports/annual/").content.decode()

    def test_staff_and_deputies_cannot_generate(self, county, login, staff, deputy_user):
        for user in (staff, deputy_user):
            assert login(user).get("/reports/annual/").status_code == 403
            assert login(user).post("/api/v1/reports/annual/", {"year": YEAR}).status_code == 403

    def test_bad_year_is_refused_and_nothing_is_queued(self, county, login, admin):
        response = login(admin).post("/reports/annual/", {"year": "1900"})
        assert response.status_code == 400
        assert login(admin).post("/api/v1/reports/annual/", {"year": 1900},
                                 content_type="application/json").status_code == 400
        assert not GeneratedReport.objects.exists()

    def test_api_queues_a_report(self, county, login, admin, django_capture_on_commit_callbacks):
        client = login(admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/api/v1/reports/annual/", {"year": YEAR, "township": county.pk},
                                   content_type="application/json")
        assert response.status_code == 202
        body = client.get(f"/api/v1/reports/annual/{response.json()['id']}/").json()
        assert body["status"] == "done" and body["docx_url"].endswith("report.docx")

    def test_a_failed_report_says_so_once_offers_no_download_and_can_be_retried(
        self, county, login, admin, monkeypatch, django_capture_on_commit_callbacks,
    ):
        from matplotlib import font_manager

        from reports import annual

        client = login(admin)
        with monkeypatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
            patch.setattr(font_manager.fontManager, "ttflist", [])  # no Chinese font: the build fails
            patch.setattr(annual, "bundled_cjk_font", lambda: None)  # not even the bundled one
            client.post("/reports/annual/", {"year": YEAR, "township": ""})
        report = GeneratedReport.objects.get()
        assert report.status == GeneratedReport.Status.FAILED
        page = client.get(f"/reports/annual/{report.pk}/").content.decode()
        main = page[page.index("<main"):page.index("</main>")]
        assert main.count("生成失败") == 1
        assert "中文字体" in main
        assert "report.docx" not in main and "report.xlsx" not in main
        assert f'action="/reports/annual/{report.pk}/retry/"' in main and "重新生成" in main

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/reports/annual/{report.pk}/retry/")
        assert response.status_code == 302 and response["Location"] == f"/reports/annual/{report.pk}/"
        report.refresh_from_db()
        assert report.status == GeneratedReport.Status.DONE and report.error == ""
        page = client.get(response["Location"]).content.decode()
        assert f"/reports/annual/{report.pk}/report.docx" in page and "重新生成" not in page
        assert client.get(f"/reports/annual/{report.pk}/report.docx").status_code == 200

        # Only a failed report is retried; only those who may generate may retry.
        response = client.post(f"/reports/annual/{report.pk}/retry/", follow=True)
        assert "只有生成失败的报告可以重新生成" in response.content.decode()
        assert client.get(f"/reports/annual/{report.pk}/retry/").status_code == 405

    def test_staff_cannot_retry_a_report(self, county, login, admin, staff):
        report = GeneratedReport.objects.create(year=YEAR, requested_by=admin, status=GeneratedReport.Status.FAILED)
        assert login(staff).post(f"/reports/annual/{report.pk}/retry/").status_code == 403
        report.refresh_from_db()
        assert report.status == GeneratedReport.Status.FAILED

    def test_unfinished_report_has_no_download(self, county, login, admin):
        report = GeneratedReport.objects.create(year=YEAR, requested_by=admin)
        assert login(admin).get(f"/reports/annual/{report.pk}/report.docx").status_code == 404
        assert login(admin).get(f"/reports/annual/{report.pk}/report.pdf").status_code == 404


@pytest.mark.django_db
def test_home_and_nav_show_the_new_pages_by_permission(login, admin, deputy_user):
    html = login(admin).get("/").content.decode()
    for text in ("履职积分", "数据看板", "年度报告", "“四最”评选"):
        assert text in html
    deputy_html = login(deputy_user).get("/").content.decode()
    assert "履职积分" in deputy_html and "数据看板" not in deputy_html and "年度报告" not in deputy_html
    assert UserFactory(role=Role.UNIT)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 8])
def test_pages_take_a_fixed_number_of_queries(records, login, staff, admin, django_assert_max_num_queries, size):
    build_year(records, size=size)
    client = login(staff)
    with django_assert_max_num_queries(21):  # 20, and the congress's minimum for ranking (issue 23)
        assert client.get(f"/dashboard/?year={YEAR}").status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(f"/points/ranking/?year={YEAR}").status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(f"/api/v1/points/standings/?year={YEAR}").status_code == 200
    for kind in ("best_deputy", "best_station", "best_suggestion", "best_unit"):
        with django_assert_max_num_queries(40):
            assert client.get(f"/awards/?year={YEAR}&kind={kind}").status_code == 200
    with django_assert_max_num_queries(30):
        assert login(admin).get("/reports/annual/").status_code == 200


@pytest.mark.django_db
def test_township_staff_award_only_their_townships(county, login, township_staff, records):
    outside = records.deputy()  # 城关镇
    inside = records.deputy(township=county)  # 青山镇
    client = login(township_staff)
    assert client.post("/awards/record/", {"kind": "best_deputy", "year": YEAR, "subject": outside.pk}).status_code == 403
    assert client.post("/awards/record/", {"kind": "best_deputy", "year": YEAR, "subject": inside.pk}).status_code == 302
    assert list(Award.objects.values_list("deputy_id", flat=True)) == [inside.pk]
