"""Rankings that mean something (issue 23, part 1): fewer than the congress's
`min_items_to_rank` items, and a unit, station or deputy is listed under “样本不足”, not ranked."""

import pytest

from divisions.models import Congress
from divisions.ranking import min_items_to_rank, split_for_ranking
from reports.figures import year_figures
from suggestions.models import ReplyClass, State
from suggestions.selectors import suggestion_figures
from tests.factories import HandlingUnitFactory
from tests.points.conftest import YEAR, moment

pytestmark = pytest.mark.calendar


@pytest.fixture
def units(records):
    """县交通运输局: 6 assigned, 2 replied and rated unsatisfied; 县城市管理局: 1 assigned, replied on
    time and satisfied (100 points on one item)."""
    deputy = records.deputy()
    big, small = HandlingUnitFactory(name="县交通运输局"), HandlingUnitFactory(name="县城市管理局")
    assigned = {"assigned_at": moment(records._day(1))}
    records.suggestions(deputy, 4, lead_unit=big, **assigned)
    records.suggestions(deputy, 2, lead_unit=big, state=State.REPLIED, reply_class=ReplyClass.B, rating="unsatisfied",
                        **assigned)
    records.suggestions(deputy, 1, lead_unit=small, state=State.REPLIED, reply_class=ReplyClass.A,
                        rating="satisfied", **assigned)
    return big, small


def test_split_keeps_order_and_lists_the_few_by_count():
    rows = [{"n": 9}, {"n": 1}, {"n": 6}, {"n": 3}]
    ranked, too_few = split_for_ranking(rows, lambda r: r["n"], 5)
    assert [r["n"] for r in ranked] == [9, 6] and [r["n"] for r in too_few] == [3, 1]
    assert all(r["too_few"] for r in too_few) and not any(r["too_few"] for r in ranked)


@pytest.mark.django_db
def test_the_minimum_is_the_congresss_and_defaults_to_five(records):
    assert min_items_to_rank() == 5
    Congress.objects.filter(pk=Congress.objects.default().pk).update(min_items_to_rank=3)
    assert min_items_to_rank() == 3


@pytest.mark.django_db
def test_unit_shortlist_api_ranks_only_units_with_enough_assigned(units, login, staff):
    big, small = units
    body = login(staff).get(f"/api/v1/awards/shortlist/?kind=best_unit&year={YEAR}").json()
    assert set(body) == {"kind", "columns", "score", "results", "too_few"}
    assert [r["id"] for r in body["results"]] == [big.pk]
    assert [(r["id"], r["name"], r["items"]) for r in body["too_few"]] == [(small.pk, "县城市管理局", 1)]
    assert body["results"][0]["columns"][0] == 6


@pytest.mark.django_db
def test_a_lower_minimum_lets_the_small_unit_be_ranked_first(units, login, staff):
    big, small = units
    Congress.objects.filter(pk=Congress.objects.default().pk).update(min_items_to_rank=1)
    body = login(staff).get(f"/api/v1/awards/shortlist/?kind=best_unit&year={YEAR}").json()
    assert [r["id"] for r in body["results"]] == [small.pk, big.pk] and body["too_few"] == []


@pytest.mark.django_db
def test_awards_page_lists_the_few_under_their_own_heading(units, login, staff):
    html = login(staff).get(f"/awards/?kind=best_unit&year={YEAR}").content.decode()
    html = html[html.index('id="shortlist"'):]
    ranked, few = html.index("县交通运输局"), html.index("县城市管理局")
    assert ranked < html.index('id="too-few"') < html.index("样本不足", html.index('id="too-few"')) < few
    assert "仅1件" in html


@pytest.mark.django_db
def test_figures_page_and_dashboard_list_the_few_after_the_ranked(units, login, staff):
    big, small = units
    figures = suggestion_figures(year=YEAR)
    assert [r["id"] for r in figures.ranked_units] == [big.pk]
    assert [r["id"] for r in figures.units_too_few] == [small.pk]
    html = login(staff).get(f"/suggestions/figures/?year={YEAR}").content.decode()
    table = html[html.index('id="by-unit"'):]
    assert table.index("县交通运输局") < table.index("样本不足") < table.index("县城市管理局")
    api = login(staff).get(f"/api/v1/dashboard/?year={YEAR}").json()
    assert api == year_figures(YEAR).as_json()
    rows = {row["id"]: row for row in api["suggestions_by_unit"]}
    assert rows[small.pk]["too_few"] and not rows[big.pk]["too_few"]
