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
