"""Browser: every chart of the dashboard shows its labels whole at 1366 and 375 px (issue 23,
part 4): no pie label cut ("联系点/实…"), no bar value clipped at the right edge, no label outside
its chart's SVG."""

from datetime import date

import pytest

from stations.models import Activity, Station
from tests.browser import browser_page, screenshot, sign_in
from tests.factories import ActivityFactory, StationFactory, UserFactory
from tests.points.conftest import YEAR, Records, moment
from tests.reports.test_figures import build_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ("chart-stations", "chart-visits", "chart-opinions", "chart-rates", "chart-activities", "chart-projects")

# Each visible <text> of each drawn chart: outside its <svg> (1 px of rounding allowed) or cut
# short with an ellipsis.
BAD_LABELS = """() => Array.from(document.querySelectorAll('.chart[data-ready="1"]')).flatMap((chart) => {
  const svg = chart.querySelector('svg');
  const box = svg.getBoundingClientRect();
  return Array.from(svg.querySelectorAll('text'))
    .filter((t) => t.textContent.trim() && t.getAttribute('opacity') !== '0'
                   && getComputedStyle(t).visibility !== 'hidden')
    .map((t) => {
      const r = t.getBoundingClientRect();
      const out = r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
      return {chart: chart.id, text: t.textContent, out: out, cut: t.textContent.includes('…')};
    })
    .filter((label) => label.out || label.cut);
})"""


@pytest.fixture
def county():
    from tests.votes.factories import CandidateFactory, ProjectVoteFactory
    from votes.models import VoteStatus

    records = Records()
    build_year(records, size=3)
    for kind in (Station.Kind.STUDIO, Station.Kind.STATION, Station.Kind.POINT, Station.Kind.POINT):
        StationFactory(township=records.township, kind=kind)
    for i, kind in enumerate((Activity.Kind.LAW_ENFORCEMENT, Activity.Kind.GROUP, Activity.Kind.OBSERVER)):
        starts = moment(date(YEAR, 3 + i, 10))
        ActivityFactory(kind=kind, starts_at=starts, status=Activity.Status.PUBLISHED)
    vote = ProjectVoteFactory(year=YEAR, status=VoteStatus.IMPLEMENTING)
    for title, percent in (("城关镇老旧小区雨污分流和道路提升改造工程", 100), ("农村饮水安全巩固提升", 35)):
        CandidateFactory(vote=vote, elected=True, title=title, progress_percent=percent)
    UserFactory(username="staff1", role="staff")
    return records


@pytest.mark.parametrize("width,height", [(1366, 900), (375, 812)])
def test_dashboard_charts_show_their_labels_whole(live_server, county, width, height):
    with browser_page(width=width, height=height) as page:
        sign_in(page, live_server.url, "staff1")
        page.goto(f"{live_server.url}/dashboard/?year={YEAR}")
        for chart in CHARTS:
            page.locator(f"#{chart}[data-ready='1'] svg").first.wait_for()
        page.wait_for_timeout(1200)  # ECharts' entry animation and label layout
        screenshot(page, f"reports-dashboard-charts-{width}")
        bad = page.evaluate(BAD_LABELS)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        texts = page.evaluate("""() => Object.fromEntries(['chart-stations', 'chart-projects'].map((id) =>
            [id, Array.from(document.querySelectorAll('#' + id + ' svg text')).map((t) => t.textContent).join(' ')]))""")
    assert not bad, bad
    assert "联系点/实践点" in texts["chart-stations"]
    assert "城关镇老旧小区雨污分流和道路提升改造工程" in texts["chart-projects"].replace(" ", "") and "100%" in texts["chart-projects"]
