"""The annual report for the demo year: built by the task, opened with python-docx and openpyxl,
its figures checked against independent counts and against the dashboard; rendered to images
with LibreOffice for a look (skipped where LibreOffice is not installed)."""

import re
import shutil
import subprocess
from datetime import date, datetime, time
from io import BytesIO

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from accounts.models import Role
from opinions.models import FINAL_STATES, Opinion
from reports import annual, services
from reports.figures import year_figures
from reports.models import GeneratedReport
from stations.models import Reception, Station, Visit
from suggestions.models import Suggestion
from tests.browser import SCREENSHOTS
from tests.conftest import require_or_skip
from tests.factories import UserFactory
from tests.points.conftest import Records
from tests.demo_snapshot import load_demo

@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """Ask for a report as an admin; the task runs (eagerly) when the request commits."""

    def run(year, region=None):
        admin = UserFactory(role=Role.ADMIN, username="admin-report")
        with django_capture_on_commit_callbacks(execute=True):
            report = services.request_annual_report(year=year, region=region, by=admin)
        report.refresh_from_db()
        return report

    return run


def year_range(field, year):
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time.min))
    end = timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min))
    return {f"{field}__gte": start, f"{field}__lt": end}


def independent_counts(year, region=None):
    """The figures counted again here, without reports.figures (of `region` when given)."""
    visits = Visit.objects.filter(date__gte=date(year, 1, 1), date__lt=date(year + 1, 1, 1))
    opinions = Opinion.objects.filter(**year_range("created_at", year))
    suggestions = Suggestion.objects.filter(year=year).exclude(state__in=["draft", "withdrawn", "merged"])
    stations = Station.objects.filter(is_active=True)
    if region is not None:
        visits = visits.filter(station__township__path__startswith=region.path)
        opinions = opinions.filter(station__township__path__startswith=region.path)
        # A region's suggestions: those of its congresses and those its deputies lead.
        suggestions = suggestions.filter(Q(congress__region__path__startswith=region.path)
                                         | Q(township__path__startswith=region.path))
        stations = stations.filter(township__path__startswith=region.path)
    return {
        "visits": visits.count(),
        "receptions": Reception.objects.filter(visit__in=visits).count(),
        "collected": opinions.count(),
        "closed": sum(1 for o in opinions if o.state in FINAL_STATES),
        "suggestions": suggestions.count(),
        "stations": stations.count(),
    }


def demo_county():
    """The demo county (the demo's 连心县 in the city 示范市): its report has a row per township."""
    from divisions.models import Congress

    return Congress.objects.default().region


def docx_text(content):
    document = Document(BytesIO(content))
    return document, "\n".join(p.text for p in document.paragraphs)


def number_after(text, pattern):
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not in the report"
    return int(match.group(1))


@pytest.fixture
def demo_year(db, today):
    """The demo county, plus this year's visits and suggestions where the demo parts of other
    apps are not installed yet (so every figure has something to count)."""
    year = today.year
    load_demo()
    from divisions.models import HandlingUnit
    from tests.points import conftest

    records = Records()
    records.station = Station.objects.filter(is_active=True).first() or records.station
    deputies = list(records.station.members.all()[:3]) or [records.deputy()]
    previous, conftest.YEAR = conftest.YEAR, year
    try:
        if not Visit.objects.filter(date__year=year).exists():
            for deputy in deputies:
                records.visits(deputy, 2, receptions=2)
        if not Suggestion.objects.filter(year=year, lead_unit__isnull=False).exists():
            for deputy in deputies:
                records.suggestions(deputy, 1, state="replied", reply_class="A", rating="satisfied",
                                    assigned_at=timezone.now(), lead_unit=HandlingUnit.objects.first())
    finally:
        conftest.YEAR = previous
    return year


@pytest.mark.calendar
@pytest.mark.django_db
def test_annual_report_for_the_demo_year(demo_year, generate):
    county = demo_county()
    report = generate(demo_year, county)
    assert report.status == GeneratedReport.Status.DONE, report.error
    assert report.progress == 100
    counts = independent_counts(demo_year, county)
    dashboard = year_figures(demo_year, county)
    document, text = docx_text(report.docx.read())
    assert f"{demo_year}年度代表工作报告" in text
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["一、总体情况", "二、坚持进站履职，密切联系群众", "三、畅通民意渠道，办好群众意见"]
    assert number_after(text, r"全年代表进站履职(\d+)次") == counts["visits"] == dashboard.visits
    assert number_after(text, r"接待群众(\d+)人次") == counts["receptions"] == dashboard.receptions
    assert number_after(text, r"收集群众意见(\d+)件") == counts["collected"] == dashboard.opinions_collected
    assert number_after(text, r"已办结(\d+)件") == counts["closed"] == dashboard.opinions_closed
    assert number_after(text, r"全年代表提出建议(\d+)件") == counts["suggestions"] == dashboard.suggestions.totals["total"]
    assert number_after(text, r"建成家室站点(\d+)个") == counts["stations"] == dashboard.stations
    rate = dashboard.suggestions.totals["completion_rate"]
    assert (f"办结率{rate:.2f}%" if rate is not None else "办结率暂无数据") in text
    # Tables per township and per unit, and the charts as pictures.
    table_headers = [t.rows[0].cells[0].text for t in document.tables]
    assert "乡镇（街道）" in table_headers and "主办单位" in table_headers
    township_table = document.tables[table_headers.index("乡镇（街道）")]
    total = township_table.rows[-1].cells
    assert total[0].text == "合计"
    # (The 县级活动 row has only activities: "—" elsewhere.)
    visits = [row.cells[3].text for row in township_table.rows[1:-1]]
    assert sum(int(v) for v in visits if v != "—") == int(total[3].text) == counts["visits"]
    # A row for activities held above township level (县级活动) makes 活动场次 add up.
    assert int(total[5].text) == dashboard.activities
    assert len(document.inline_shapes) >= 4
    # The figures in the text equal the totals of the tables they come from.
    month_table = document.tables[table_headers.index("月份")]
    assert month_table.rows[-1].cells[0].text == "合计"
    assert int(month_table.rows[-1].cells[1].text) == number_after(text, r"全年代表进站履职(\d+)次")
    assert int(month_table.rows[-1].cells[3].text) == number_after(text, r"收集群众意见(\d+)件")

    workbook = load_workbook(BytesIO(report.xlsx.read()))
    assert {"各乡镇（街道）情况", "各承办单位办理情况", "各月履职和意见情况", "民生实事项目"} <= set(workbook.sheetnames)
    sheet = workbook["各月履职和意见情况"]
    *months, month_total = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sum(row[1] for row in months) == month_total[1] == counts["visits"]
    assert sum(row[3] for row in months) == month_total[3] == counts["collected"]
    assert month_total[0] == "合计" and sheet.freeze_panes == "A2"
    assert int(sheet.page_setup.paperSize) == 9 and sheet.print_title_rows == "$1:$1"  # 9: A4
    units = workbook["各承办单位办理情况"]
    # The first unit's row: after a 样本不足 heading row when no unit has enough items to rank.
    first = 3 if str(units.cell(row=2, column=1).value).startswith("样本不足") else 2
    rate = units.cell(row=first, column=4)
    if rate.value is not None:  # a percentage stays a number: 0.8550 shown as 85.50%
        assert isinstance(rate.value, float) and 0 <= rate.value <= 1 and rate.number_format == "0.00%"
    assert isinstance(units.cell(row=first, column=2).value, int)

    render_for_a_look(report)


def render_for_a_look(report):
    """Word → PDF → PNG pages under test-artifacts/screenshots/ (reports-annual-N.png)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        require_or_skip("LibreOffice and pdftoppm are not installed (apt-get install libreoffice-writer-nogui poppler-utils)")
    out = SCREENSHOTS.parent / "reports"
    out.mkdir(parents=True, exist_ok=True)
    source = out / "annual.docx"
    source.write_bytes(report.docx.open("rb").read())
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(out / "annual.pdf"), str(SCREENSHOTS / "reports-annual")],
                   check=True, timeout=120)
    assert list(SCREENSHOTS.glob("reports-annual-*.png"))


@pytest.mark.django_db
def test_annual_report_command_writes_the_files(demo_year, tmp_path):
    target = tmp_path / "out" / "年度报告.docx"
    call_command("annual_report", "--year", str(demo_year), "--output", str(target), verbosity=0)
    assert target.exists() and target.with_suffix(".xlsx").exists()
    _document, text = docx_text(target.read_bytes())
    assert number_after(text, r"全年代表进站履职(\d+)次") == independent_counts(demo_year)["visits"]
    assert GeneratedReport.objects.filter(status="done", year=demo_year).count() == 1


@pytest.mark.django_db
def test_annual_report_for_one_township(demo_year, generate):
    from divisions.models import Township

    township = Township.objects.order_by("sort_order").first()
    report = generate(demo_year, township)
    _document, text = docx_text(report.docx.read())
    assert text.startswith(f"{township.name}人大常委会{demo_year}年度代表工作报告")
    assert number_after(text, r"全年代表进站履职(\d+)次") == Visit.objects.filter(
        date__year=demo_year, station__township=township).count()


@pytest.mark.django_db
def test_the_report_is_a_gongwen_of_the_congress(demo_year, generate):
    from divisions.models import Congress
    from tests.core.test_word import assert_gongwen_layout

    congress = Congress.objects.default()
    congress.document_number_prefix = "连人常〔2026〕"
    congress.save()
    report = generate(demo_year)
    document, text = docx_text(report.docx.read())
    assert_gongwen_layout(document, issuer=str(congress.standing_body_name), author=congress.name)
    assert text.startswith(f"连人常〔2026〕{report.pk}号\n")


def test_charts_draw_chinese_without_any_system_font(monkeypatch):
    """The font comes from the mplfonts package, registered by its file: no system font, no
    missing glyphs."""
    import warnings

    from matplotlib import font_manager

    from reports.figures import YearFigures

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    family, path = annual.find_cjk_font()
    assert "mplfonts" in path and "Noto Sans CJK" in family
    figures = YearFigures.__new__(YearFigures)
    figures.year, figures.child_level, figures.townships, figures.stations_by_kind = 2026, "乡镇", [], []
    figures.visits_by_month = figures.receptions_by_month = [1] * 12
    figures.opinions_by_month = [{"collected": 2, "closed": 1}] * 12
    figures.suggestions = type("S", (), {"totals": {"completion_rate": 90.0, "satisfaction_rate": 80.0,
                                                    "success_rate": 50.0, "in_time_rate": 99.5}})()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts = annual.draw_charts(figures)
    assert len(charts) == 3 and all(chart.png.startswith(b"\x89PNG") for chart in charts)
    assert not [w for w in caught if "missing from" in str(w.message)]


@pytest.mark.django_db
def test_without_any_chinese_font_the_report_fails_with_a_clear_message(demo_year, monkeypatch, generate):
    from matplotlib import font_manager

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(annual, "bundled_cjk_font", lambda: None)
    report = generate(demo_year)
    assert report.status == GeneratedReport.Status.FAILED
    assert "中文字体" in report.error and "mplfonts" in report.error
    with pytest.raises(annual.ReportError):
        annual.find_cjk_font()


@pytest.mark.django_db
def test_a_built_report_is_not_built_again(demo_year, generate):
    report = generate(demo_year)
    name = report.docx.name
    again = services.build_annual_report(report.pk)
    assert again.docx.name == name and again.status == GeneratedReport.Status.DONE
