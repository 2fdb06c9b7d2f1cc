"""Each points rule against hand-built records, caps, deductions, recomputation after a rule
change, and the trace from every point to its record."""

import pytest
from django.contrib.contenttypes.models import ContentType
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Role
from deputies.models import SessionAttendance
from points import services
from points.dossier import build_dossier
from points.ledger import Rule, ledger, standings
from points.models import DEFAULT_RULES, Event, PointRule
from stations.models import ActivitySignup
from suggestions.models import ReplyClass, State
from tests.factories import UserFactory
from tests.points.conftest import YEAR


def points_of(deputy, event=None):
    row = standings(YEAR).of(deputy.pk)
    return row.by_event.get(event, 0) if event else row.total


def default(event):
    return DEFAULT_RULES[event][0]


@pytest.mark.django_db
class TestEachRule:
    def test_session_attendance_present_excused_absent(self, records):
        present, excused, absent = records.deputy(), records.deputy(), records.deputy()
        records.session(present=[present], excused=[excused], absent=[absent])
        assert points_of(present) == default(Event.SESSION_PRESENT) == 10
        assert points_of(excused) == 0
        assert points_of(absent) == default(Event.SESSION_ABSENT) == -10

    def test_lead_suggestion_counts_more_than_cosigning(self, records):
        lead, cosigner = records.deputy(), records.deputy()
        records.suggestions(lead, 2)
        records.cosigns(cosigner, 2, lead=records.deputy())
        assert points_of(lead, Event.SUGGESTION_LEAD) == 2 * 5
        assert points_of(cosigner, Event.SUGGESTION_COSIGN) == 2 * 2
        assert points_of(lead) > points_of(cosigner)

    def test_drafts_and_withdrawn_suggestions_and_unconfirmed_cosigns_earn_nothing(self, records):
        deputy = records.deputy()
        records.suggestions(deputy, 1, state=State.DRAFT)
        records.suggestions(deputy, 1, state=State.WITHDRAWN)
        cosign = records.cosigns(deputy, 1, lead=records.deputy())[0]
        cosign.confirmed_at = None
        cosign.save()
        assert points_of(deputy) == 0

    def test_bonus_for_a_class_reply_and_for_best_suggestion_award(self, records, make_user):
        from reports.models import Award

        deputy = records.deputy()
        records.suggestions(deputy, 1, state=State.REPLIED, reply_class=ReplyClass.A)
        records.suggestions(deputy, 1, state=State.REPLIED, reply_class=ReplyClass.B)
        awarded = records.suggestions(deputy, 1, state=State.REPLIED, reply_class=ReplyClass.C)[0]
        assert points_of(deputy, Event.SUGGESTION_BONUS) == 5
        Award.objects.create(year=YEAR, kind="best_suggestion", suggestion=awarded)
        assert points_of(deputy, Event.SUGGESTION_BONUS) == 10

    def test_visits_and_receptions(self, records):
        deputy = records.deputy()
        records.visits(deputy, 3, receptions=2)
        assert points_of(deputy, Event.VISIT) == 3 * 2
        assert points_of(deputy, Event.RECEPTION) == 6 * 1

    def test_activities_training_and_report_to_voters_are_separate_events(self, records):
        deputy = records.deputy()
        records.activities(deputy, 2, kind="research")
        records.activities(deputy, 1, kind="inspection")
        records.activities(deputy, 2, kind="training")
        records.activities(deputy, 1, kind="report")
        by_event = standings(YEAR).of(deputy.pk).by_event
        assert by_event[Event.ACTIVITY] == 3 * 3
        assert by_event[Event.TRAINING] == 2 * 2
        assert by_event[Event.REPORT_TO_VOTERS] == 1 * 5

    def test_only_attended_sign_ups_count(self, records):
        deputy = records.deputy()
        records.activities(deputy, 2, attendance=ActivitySignup.Attendance.ABSENT)
        records.activities(deputy, 2, attendance=ActivitySignup.Attendance.UNKNOWN)
        cancelled = records.activities(deputy, 1)[0]
        cancelled.cancelled_at = cancelled.signed_up_at
        cancelled.save()
        assert points_of(deputy) == 0

    def test_learning_materials_read(self, records):
        deputy = records.deputy()
        records.reads(deputy, 4)
        assert points_of(deputy, Event.MATERIAL_READ) == 4

    def test_missed_duty_shift_is_a_deduction(self, records):
        deputy = records.deputy()
        records.missed_shifts(deputy, 2, attended=3)
        assert points_of(deputy) == 2 * -3

    def test_records_of_another_year_do_not_count(self, records):
        deputy = records.deputy()
        records.visits(deputy, 2)
        assert standings(YEAR + 1).of(deputy.pk).total == 0
        assert standings(YEAR - 1).of(deputy.pk).total == 0


@pytest.mark.django_db
class TestCaps:
    def test_yearly_cap_bounds_an_event_and_the_ledger_shows_where_it_stopped(self, records):
        deputy = records.deputy()
        records.visits(deputy, 35)  # 2 points each, capped at 60
        assert points_of(deputy, Event.VISIT) == 60
        entries = [e for e in ledger(deputy, YEAR) if e.event == Event.VISIT]
        assert len(entries) == 35
        assert [e.points for e in entries] == [2] * 30 + [0] * 5
        assert [e.capped for e in entries[-5:]] == [True] * 5

    def test_deductions_are_capped_too(self, records):
        deputy = records.deputy()
        records.missed_shifts(deputy, 12)  # -3 each, at most -30
        assert points_of(deputy) == -30

    @given(points=st.integers(-20, 20), cap=st.one_of(st.none(), st.integers(0, 100)), n=st.integers(0, 60))
    def test_record_by_record_points_add_up_to_the_capped_total(self, points, cap, n):
        rule = Rule("visit", points, cap)
        running = 0
        for _ in range(n):
            running += rule.next_points(running)
        assert running == rule.capped(n)
        if cap is not None:
            assert abs(running) <= cap


@pytest.mark.django_db
class TestRecompute:
    def test_changing_a_rule_recomputes_the_year(self, records, staff):
        deputy, other = records.deputy(), records.deputy()
        records.visits(deputy, 3)
        records.visits(other, 1)
        assert points_of(deputy) == 6
        rule = next(r for r in services.ensure_rules(YEAR) if r.event == Event.VISIT)
        services.save_rule(rule, by=staff, points=10, yearly_cap=25)
        assert points_of(deputy) == 25
        assert points_of(other) == 10
        # Another year's rules are its own.
        assert PointRule.objects.get(year=YEAR, event=Event.VISIT).points == 10
        assert not PointRule.objects.filter(year=YEAR + 1).exists()

    def test_a_disabled_rule_counts_nothing(self, records, staff):
        deputy = records.deputy()
        records.visits(deputy, 3)
        rule = next(r for r in services.ensure_rules(YEAR) if r.event == Event.VISIT)
        services.save_rule(rule, by=staff, points=2, yearly_cap=None, is_active=False)
        assert points_of(deputy) == 0
        assert ledger(deputy, YEAR) == []

    def test_a_deduction_cannot_be_made_positive(self, records, staff):
        from django.core.exceptions import ValidationError

        rule = next(r for r in services.ensure_rules(YEAR) if r.event == Event.DUTY_MISSED)
        with pytest.raises(ValidationError):
            services.save_rule(rule, by=staff, points=3)
        assert PointRule.objects.get(pk=rule.pk).points == -3

    def test_only_staff_change_rules(self, records):
        from django.core.exceptions import PermissionDenied

        rule = services.ensure_rules(YEAR)[0]
        with pytest.raises(PermissionDenied):
            services.save_rule(rule, by=UserFactory(role=Role.DEPUTY), points=1)

    def test_new_year_rules_start_from_last_years(self, records, staff):
        rule = next(r for r in services.ensure_rules(YEAR) if r.event == Event.VISIT)
        services.save_rule(rule, by=staff, points=4, yearly_cap=40)
        next_year = {r.event: r for r in services.ensure_rules(YEAR + 1)}
        assert (next_year[Event.VISIT].points, next_year[Event.VISIT].yearly_cap) == (4, 40)


@pytest.mark.django_db
class TestTrace:
    def test_every_point_links_to_its_record_of_that_deputy(self, records):
        deputy = records.deputy()
        records.session(present=[deputy])
        records.visits(deputy, 2, receptions=1)
        records.activities(deputy, 1)
        records.activities(deputy, 1, kind="training")
        records.activities(deputy, 1, kind="report")
        records.reads(deputy, 2)
        records.suggestions(deputy, 1, state=State.REPLIED, reply_class=ReplyClass.A)
        records.cosigns(deputy, 1, lead=records.deputy())
        records.missed_shifts(deputy, 1)
        entries = ledger(deputy, YEAR)
        assert {e.event for e in entries} == set(Event) - {Event.SESSION_ABSENT}
        assert sum(e.points for e in entries) == points_of(deputy)
        owner = {
            "deputies.sessionattendance": lambda r: r.deputy_id,
            "suggestions.suggestion": lambda r: r.lead_deputy_id,
            "suggestions.cosigner": lambda r: r.deputy_id,
            "stations.visit": lambda r: r.deputy_id,
            "stations.reception": lambda r: r.visit.deputy_id,
            "stations.activitysignup": lambda r: r.deputy_id,
            "stations.materialread": lambda r: r.deputy_id,
            "stations.dutyassignment": lambda r: r.deputy_id,
        }
        for entry in entries:
            app_label, model = entry.content_type.split(".")
            record = ContentType.objects.get_by_natural_key(app_label, model).get_object_for_this_type(pk=entry.object_id)
            assert owner[entry.content_type](record) == deputy.pk
            assert entry.day.year == YEAR

    def test_ledger_matches_standings_for_everyone(self, records):
        deputies = [records.deputy() for _ in range(3)]
        for i, deputy in enumerate(deputies):
            records.visits(deputy, 10 * i + 5, receptions=i)
            records.missed_shifts(deputy, i)
        table = standings(YEAR)
        for deputy in deputies:
            assert sum(e.points for e in ledger(deputy, YEAR)) == table.of(deputy.pk).total


@pytest.mark.django_db
def test_ranks_share_places_on_equal_totals(records):
    a, b, c, d = (records.deputy(name=n) for n in ("甲", "乙", "丙", "丁"))
    records.visits(a, 5)
    records.visits(b, 3)
    records.visits(c, 3)
    table = standings(YEAR)
    assert [table.of(x.pk).rank for x in (a, b, c, d)] == [1, 2, 2, 4]


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 12])
def test_standings_take_a_fixed_number_of_queries(records, django_assert_max_num_queries, size):
    for _ in range(size):
        deputy = records.deputy()
        records.visits(deputy, 2, receptions=1)
        records.activities(deputy, 1)
    with django_assert_max_num_queries(len(Event) + 3):
        table = standings(YEAR)
    assert len(table.rows) == size


@pytest.mark.django_db
def test_terminated_deputies_are_not_ranked(records):
    gone = records.deputy(status="terminated")
    records.visits(gone, 2)
    assert standings(YEAR).of(gone.pk) is None
    assert sum(e.points for e in ledger(gone, YEAR)) == 4


@pytest.mark.django_db
def test_excused_absence_is_recorded_but_costs_nothing(records):
    deputy = records.deputy()
    records.session(excused=[deputy])
    assert SessionAttendance.objects.get(deputy=deputy).status == "excused"
    assert ledger(deputy, YEAR) == []


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 8])
def test_the_ledger_takes_a_fixed_number_of_queries(records, django_assert_max_num_queries, size):
    """The rules, one query listing every event's records, one per kind of record (8 kinds)."""
    deputy = records.deputy()
    records.session(present=[deputy])
    records.visits(deputy, size, receptions=1)
    records.activities(deputy, size)
    records.activities(deputy, size, kind="training")
    records.reads(deputy, size)
    records.suggestions(deputy, size, state=State.REPLIED, reply_class=ReplyClass.A)
    records.cosigns(deputy, size, lead=records.deputy())
    records.missed_shifts(deputy, size)
    ContentType.objects.clear_cache()
    # the rules, the list of records, the content types (until cached), 8 kinds of record
    with django_assert_max_num_queries(1 + 1 + 1 + 8):
        entries = ledger(deputy, YEAR)
    # a session, then per size: visit, reception, activity, training, reading, suggestion, its
    # A-reply bonus, cosign, missed shift
    assert len(entries) == 1 + 9 * size


@pytest.mark.django_db
def test_the_dossier_reads_each_record_once(records, django_assert_max_num_queries):
    """The ledger takes the visits, activities, suggestions and attendance the dossier's
    sections already loaded: only receptions, readings and missed shifts are read for it."""
    deputy = records.deputy()
    records.session(present=[deputy])
    records.visits(deputy, 3, receptions=1)
    records.activities(deputy, 2)
    records.reads(deputy, 2)
    records.suggestions(deputy, 2, state=State.REPLIED, reply_class=ReplyClass.A)
    records.cosigns(deputy, 1, lead=records.deputy())
    records.missed_shifts(deputy, 1)
    ContentType.objects.clear_cache()
    # standings (3) + 7 sections + the ledger's list, content types and receptions, readings,
    # missed shifts (5)
    with django_assert_max_num_queries(15):
        dossier = build_dossier(deputy, YEAR)
    assert dossier.total == points_of(deputy)
    assert [(e.event, e.object_id) for e in dossier.entries] == [(e.event, e.object_id) for e in ledger(deputy, YEAR)]
