"""Casting, paper ballots by double entry, mixing and counting."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.exceptions import Conflict, DomainError, TransitionNotAllowed
from tests.factories import DeputyFactory, UserFactory
from tests.votes.factories import deputy_account, voting_vote
from votes import services, tally
from votes.models import Ballot, PaperSlip, VoterRecord
from votes.services.ballots import NotEligible


@pytest.fixture
def vote_setup(db):
    vote, candidates, deputies = voting_vote(deputies=6, candidates=4, seats=2)
    users = [deputy_account(d) for d in deputies]
    return vote, candidates, deputies, users


def ids(*candidates):
    return [c.pk for c in candidates]


def test_a_ballot_is_recorded_without_its_voter(vote_setup):
    vote, (a, b, c, d), deputies, users = vote_setup
    line = services.cast_ballot(vote, by=users[0], approve=ids(a, c), abstain=ids(d))
    assert line == "YNYA"
    ballot = Ballot.objects.get()
    assert ballot.voter_id is None and ballot.content == "YNYA"  # in ballot-number order
    assert VoterRecord.objects.get(deputy=deputies[0]).voted


def test_a_second_ballot_is_refused_and_the_first_stays(vote_setup):
    vote, (a, b, c, d), _deputies, users = vote_setup
    services.cast_ballot(vote, by=users[0], approve=ids(a))
    with pytest.raises(Conflict) as error:
        services.cast_ballot(vote, by=users[0], approve=ids(b))
    assert error.value.status_code == 409
    assert "不能修改或重投" in error.value.message
    assert services.ballot_lines(vote) == ["YNNN"]


def test_too_many_approvals_are_refused_and_nothing_is_recorded(vote_setup):
    vote, (a, b, c, d), deputies, users = vote_setup
    with pytest.raises(DomainError) as error:
        services.cast_ballot(vote, by=users[0], approve=ids(a, b, c))
    assert error.value.status_code == 400
    assert not Ballot.objects.exists()
    assert not VoterRecord.objects.get(deputy=deputies[0]).voted


def test_deputies_outside_the_frozen_electorate_cannot_vote(vote_setup):
    vote, (a, *_), _deputies, _users = vote_setup
    latecomer = deputy_account(DeputyFactory())  # joined the registry after voting opened
    with pytest.raises(NotEligible) as error:
        services.cast_ballot(vote, by=latecomer, approve=ids(a))
    assert error.value.status_code == 403
    staff = UserFactory(role="staff")
    with pytest.raises(PermissionDenied):
        services.cast_ballot(vote, by=staff, approve=ids(a))
    assert not Ballot.objects.exists()


def test_closed_or_unopened_windows_refuse(vote_setup):
    vote, (a, *_), _deputies, users = vote_setup
    later = vote.closes_at + timedelta(seconds=1)
    with pytest.raises(TransitionNotAllowed, match="截止"):
        services.cast_ballot(vote, by=users[0], approve=ids(a), now=later)
    earlier = vote.opens_at - timedelta(seconds=1)
    with pytest.raises(TransitionNotAllowed, match="尚未开始"):
        services.cast_ballot(vote, by=users[0], approve=ids(a), now=earlier)
    assert not Ballot.objects.exists()


def test_open_mode_records_the_voter_and_the_database_refuses_a_duplicate(db):
    vote, (a, b, c), deputies, = voting_vote(deputies=2, candidates=3, seats=2, secret=False)
    user = deputy_account(deputies[0])
    services.cast_ballot(vote, by=user, approve=ids(a))
    assert Ballot.objects.get().voter == deputies[0]
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(vote=vote, voter=deputies[0])


def test_paper_voters_cannot_vote_online(vote_setup, staff):
    vote, (a, *_), deputies, users = vote_setup
    assert services.mark_paper_voters(vote, deputy_ids=[deputies[0].pk], by=staff) == 1
    with pytest.raises(Conflict, match="纸质选票"):
        services.cast_ballot(vote, by=users[0], approve=ids(a))


def test_deputies_who_voted_online_cannot_be_switched_to_paper(vote_setup, staff):
    vote, (a, *_), deputies, users = vote_setup
    services.cast_ballot(vote, by=users[0], approve=ids(a))
    assert services.mark_paper_voters(vote, deputy_ids=[deputies[0].pk], by=staff) == 0
    assert VoterRecord.objects.get(deputy=deputies[0]).channel == "online"


def test_paper_ballot_counts_only_when_two_staff_agree(vote_setup, staff, make_user):
    vote, candidates, deputies, _users = vote_setup
    other = make_user("staff", username="staff2")
    services.mark_paper_voters(vote, deputy_ids=[deputies[0].pk, deputies[1].pk], by=staff)

    slip = services.enter_paper_ballot(vote, number=1, by=staff, line="YNYN")
    assert slip.status == PaperSlip.Status.PENDING and not Ballot.objects.exists()
    # The same person entering again only corrects their own entry.
    slip = services.enter_paper_ballot(vote, number=1, by=staff, line="YNYN")
    assert slip.status == PaperSlip.Status.PENDING
    slip = services.enter_paper_ballot(vote, number=1, by=other, line="YNNA")
    assert slip.status == PaperSlip.Status.CONFLICT and not Ballot.objects.exists()
    slip = services.enter_paper_ballot(vote, number=1, by=other, line="YNYN")
    assert slip.status == PaperSlip.Status.COUNTED
    assert services.ballot_lines(vote) == ["YNYN"]
    with pytest.raises(Conflict, match="不能再修改"):
        services.enter_paper_ballot(vote, number=1, by=staff, line="NNNN")


def test_a_third_person_cannot_override_two_entries(vote_setup, staff, make_user):
    vote, _c, deputies, _u = vote_setup
    second, third = make_user("staff", username="s2"), make_user("staff", username="s3")
    services.mark_paper_voters(vote, deputy_ids=[deputies[0].pk], by=staff)
    services.enter_paper_ballot(vote, number=7, by=staff, line="YNNN")
    services.enter_paper_ballot(vote, number=7, by=second, line="NYNN")
    with pytest.raises(Conflict, match="已由两人录入"):
        services.enter_paper_ballot(vote, number=7, by=third, line="YNNN")


def test_paper_ballots_cannot_outnumber_paper_voters(vote_setup, staff, make_user):
    vote, _c, deputies, _u = vote_setup
    other = make_user("staff", username="staff2")
    services.mark_paper_voters(vote, deputy_ids=[deputies[0].pk], by=staff)
    for by in (staff, other):
        services.enter_paper_ballot(vote, number=1, by=by, line="YNNN")
    services.enter_paper_ballot(vote, number=2, by=staff, line="NNNN")
    with pytest.raises(Conflict, match="超过"):
        services.enter_paper_ballot(vote, number=2, by=other, line="NNNN")
    assert len(services.ballot_lines(vote)) == 1


def test_an_over_approved_paper_slip_must_be_entered_as_invalid(vote_setup, staff, make_user):
    vote, _c, deputies, _u = vote_setup
    other = make_user("staff", username="staff2")
    services.mark_paper_voters(vote, deputy_ids=[deputies[0].pk], by=staff)
    with pytest.raises(DomainError, match="废票"):
        services.enter_paper_ballot(vote, number=1, by=staff, line="YYYN")
    for by in (staff, other):
        slip = services.enter_paper_ballot(vote, number=1, by=by, invalid=True)
    assert slip.status == PaperSlip.Status.COUNTED and slip.invalid
    result = services.vote_result(vote)
    assert (result.cast, result.invalid, result.valid) == (1, 1, 0)


def test_open_mode_paper_ballot_names_its_deputy(db, staff, make_user):
    vote, _c, deputies = voting_vote(deputies=3, candidates=3, seats=1, secret=False)
    other = make_user("staff", username="staff2")
    services.mark_paper_voters(vote, deputy_ids=[deputies[2].pk], by=staff)
    with pytest.raises(DomainError, match="请选择"):
        services.enter_paper_ballot(vote, number=1, by=staff, line="YNN")
    with pytest.raises(DomainError, match="没有登记为纸质投票"):
        services.enter_paper_ballot(vote, number=1, by=staff, line="YNN", voter=deputies[0])
    for by in (staff, other):
        services.enter_paper_ballot(vote, number=1, by=by, line="YNN", voter=deputies[2])
    assert Ballot.objects.get().voter == deputies[2]
    assert VoterRecord.objects.get(deputy=deputies[2]).voted


def test_mixing_changes_ids_and_keeps_every_content(vote_setup):
    vote, (a, b, c, d), _deputies, users = vote_setup
    choices = [ids(a), ids(b), ids(a, b), [], ids(c, d), ids(d)]
    for user, approve in zip(users, choices):
        services.cast_ballot(vote, by=user, approve=approve)
    before_ids = set(Ballot.objects.values_list("id", flat=True))
    before = sorted(services.ballot_lines(vote))
    assert services.mix_ballots(vote) == 6
    assert sorted(services.ballot_lines(vote)) == before
    assert not before_ids & set(Ballot.objects.values_list("id", flat=True))
    vote.refresh_from_db()
    assert vote.mixed_ballot_count == 6
    assert services.mix_pending_ballots() == 0  # nothing new since


def test_result_counts_from_the_database_equal_a_recount_of_the_ballot_list(vote_setup):
    vote, (a, b, c, d), _deputies, users = vote_setup
    for user, approve in zip(users, [ids(a, b), ids(a, b), ids(a, c), ids(a), ids(b, d), []]):
        services.cast_ballot(vote, by=user, approve=approve)
    result, lines = services.vote_result(vote, with_lines=True)
    candidates = [(x.pk, x.number) for x in (a, b, c, d)]
    recount = tally.decide(tally.recount(lines, candidates), seats=2, eligible=6, cast=6)
    assert result == recount
    # 6 eligible: more than half is 4. a has 4 (elected), b has 3 (not).
    assert result.elected_ids == (a.pk,)


def test_turnout_and_result_visibility(vote_setup, staff, township_staff):
    vote, (a, *_), _deputies, users = vote_setup
    services.cast_ballot(vote, by=users[0], approve=ids(a))
    assert services.turnout(vote)["cast"] == 1
    assert services.results_visible_to(vote, staff) == "turnout"  # window still open
    assert services.results_visible_to(vote, users[1]) is None
    assert services.results_visible_to(vote, township_staff) is None
    later = vote.closes_at + timedelta(minutes=1)
    assert services.results_visible_to(vote, staff, now=later) == "full"


def test_window_check_uses_the_server_clock(vote_setup):
    vote, (a, *_), _deputies, users = vote_setup
    vote.closes_at = timezone.now() - timedelta(seconds=1)
    vote.save(update_fields=["closes_at"])
    with pytest.raises(TransitionNotAllowed):
        services.cast_ballot(vote, by=users[0], approve=ids(a))
