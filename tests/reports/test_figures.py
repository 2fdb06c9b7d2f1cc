"""The dashboard's figures against independent counts, their scope and their query count."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from opinions.models import Opinion, State as OpinionState
from reports.figures import year_figures
from stations.models import Station
from suggestions.models import ReplyClass, State
from suggestions.selectors import suggestion_figures
from tests.factories import StationFactory, TownshipFactory
from tests.opinions.factories import OpinionFactory
from tests.points.conftest import YEAR, moment

pytestmark = pytest.mark.calendar


def build_year(records, township=None, size=2):
    """`size` deputies with visits, receptions, activities, suggestions and opinions in YEAR."""
    station = StationFactory(township=township or records.township, kind=Station.Kind.HOME)
    records.station = station
    for i in range(size):
        deputy = records.deputy(township=township or records.township)
        records.visits(deputy, i + 1, receptions=1)
        records.activities(deputy, 1)
        records.suggestions(deputy, 1, state=State.REPLIED, reply_class=ReplyClass.A, rating="satisfied",
                            assigned_at=moment(date(YEAR, 3, 1)))
        opinion = OpinionFactory(station=station, category=records.category)
        Opinion.objects.filter(pk=opinion.pk).update(created_at=moment(date(YEAR, 4, 1)),
                                                     state=OpinionState.CLOSED if i % 2 == 0 else OpinionState.SUBMITTED)
    return station


@pytest.mark.django_db
def test_figures_equal_independent_counts(records):
    build_year(records, size=3)
    other = TownshipFactory(name="青山镇")
    build_year(records, township=other, size=2)
    # Records of the year before do not count.
    old = records.deputy()
    from stations.models import Visit

    Visit.objects.create(deputy=old, station=records.station, date=date(YEAR - 1, 12, 31),
                         start_time=timezone.now().time().replace(hour=9), end_time=timezone.now().time().replace(hour=10))
    f = year_figures(YEAR)
    assert f.visits == 1 + 2 + 3 + 1 + 2 == sum(f.visits_by_month)
    assert f.receptions == f.visits == sum(f.receptions_by_month)
    assert f.activities == 5 and f.attended == 5
    assert f.opinions_collected == 5 and f.opinions_closed == 3
    assert sum(m["collected"] for m in f.opinions_by_month) == 5
    assert f.suggestions.totals["total"] == 5
    assert f.suggestions.totals == suggestion_figures(year=YEAR).totals
    assert f.stations_by_kind[0] == {"kind": "home", "name": "代表之家", "count": 2}
    by_name = {row["name"]: row for row in f.townships}
    assert by_name["青山镇"]["visits"] == 3 and by_name["城关镇"]["visits"] == 6
    assert by_name["青山镇"]["opinions_collected"] == 2
    assert sum(row["visits"] for row in f.townships) == f.visits
    # The activities held in no township (the county's) have their own row: the column adds up.
    assert f.activities_above == 5 and str(f.above_label) == "县级活动"
    assert sum(row["activities"] for row in f.townships) + f.activities_above == f.activities


@pytest.mark.django_db
def test_the_township_table_adds_up_with_a_row_for_county_activities(records):
    from reports.views import _figures_html
    from stations.models import Activity
    from tests.factories import ActivityFactory

    build_year(records, size=2)  # two activities of the county, held in no township
    starts = moment(date(YEAR, 6, 1))
    ActivityFactory(township=records.township, starts_at=starts, status=Activity.Status.PUBLISHED)
    f = year_figures(YEAR)
    assert f.activities == 3 and f.activities_above == 2
    assert {row["name"]: row["activities"] for row in f.townships} == {"城关镇": 1}
    assert f.as_json()["activities_above"] == 2 and f.as_json()["above_label"] == "县级活动"
    html = _figures_html(YEAR, None)
    row = html[html.index('id="activities-above"'):]
    assert row[:row.index("</tr>")].count(">2<") == 1 and "县级活动" in row
    # A township's own figures have no such row: nothing of the county is counted there.
    assert year_figures(YEAR, records.township).activities_above == 0


@pytest.mark.django_db
def test_the_year_reports_last_years_projects_carried_out_in_it(records):
    from reports.annual import overview_sentences
    from tests.votes.factories import CandidateFactory, ProjectVoteFactory
    from votes.models import VoteStatus

    build_year(records, size=1)
    last_year = ProjectVoteFactory(year=YEAR - 1, status=VoteStatus.IMPLEMENTING)
    carried = CandidateFactory(vote=last_year, elected=True, title="西河村道路硬化", progress_percent=60)
    finished_in_year = CandidateFactory(vote=last_year, elected=True, title="中心小学食堂改造",
                                        progress_percent=100, completed_on=date(YEAR, 5, 20))
    CandidateFactory(vote=last_year, elected=True, title="去年已完成", completed_on=date(YEAR - 1, 11, 1))
    CandidateFactory(vote=last_year, elected=False, title="未当选")
    f = year_figures(YEAR)
    assert f.projects == []
    assert {p["title"] for p in f.projects_carried} == {carried.title, finished_in_year.title}
    assert f.projects_carried_completed == 1
    assert {p["vote_year"] for p in f.projects_carried} == {YEAR - 1}

    class NoPoints:
        rows = []
        average = 0

    sentence = overview_sentences(f, NoPoints())["projects"]
    assert "实施往年票决的民生实事项目2个，年内完成1个，其余1个继续实施。" in sentence


@pytest.mark.django_db
def test_township_scope(records):
    build_year(records, size=2)
    other = TownshipFactory(name="青山镇")
    build_year(records, township=other, size=1)
    f = year_figures(YEAR, other)
    assert f.visits == 1 and f.opinions_collected == 1 and f.suggestions.totals["total"] == 1
    assert [row["name"] for row in f.townships] == ["青山镇"]


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 8])
def test_figures_take_a_fixed_number_of_queries(records, django_assert_max_num_queries, size):
    build_year(records, size=size)
    # each table grouped once; suggestions 6; the congress's minimum for ranking 1 (issue 23)
    with django_assert_max_num_queries(14):
        f = year_figures(YEAR)
    assert f.visits == size * (size + 1) // 2


@pytest.mark.django_db
def test_as_json_is_plain_data(records):
    import json

    build_year(records, size=1)
    data = year_figures(YEAR).as_json()
    assert json.loads(json.dumps(data))["visits"] == 1
    assert set(data["suggestions"]) >= {"completion_rate", "satisfaction_rate", "success_rate", "in_time_rate"}
    assert timedelta  # imported for symmetry with other tests
