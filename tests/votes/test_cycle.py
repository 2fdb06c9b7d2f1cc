"""The yearly cycle: explicit, recorded transitions; the 差额 rule; the frozen electorate."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.exceptions import TransitionNotAllowed
from deputies.models import Deputy
from divisions.models import Congress
from tests.factories import CongressSessionFactory, DeputyFactory
from tests.votes.factories import CandidateFactory, ProjectVoteFactory, deputy_account, voting_vote
from votes import services
from votes.models import Candidate, ProjectVote, VoteEvent, VoterRecord, VoteStatus


def screening_vote(candidates=4, seats=3, **fields):
    now = timezone.now()
    vote = ProjectVoteFactory(
        status=VoteStatus.SCREENING, seats=seats, opens_at=now + timedelta(minutes=5),
        closes_at=now + timedelta(days=1), **fields,
    )
    for i in range(candidates):
        CandidateFactory(vote=vote, number=i + 1)
    return vote


def test_create_and_walk_the_whole_cycle_recording_each_step(staff, township):
    session = CongressSessionFactory()
    vote = services.create_vote(by=staff, title="2027年县级民生实事项目票决", year=2027, congress=Congress.objects.default(),
                                term=18, session=session, seats=2)
    assert vote.status == VoteStatus.COLLECTING
    vote = services.start_screening(vote, by=staff)
    for i in range(3):
        CandidateFactory(vote=vote, number=i + 1)
    vote.opens_at, vote.closes_at = timezone.now() - timedelta(minutes=1), timezone.now() + timedelta(hours=1)
    vote.save()
    voters = [DeputyFactory(township=township) for _ in range(3)]
    vote = services.open_voting(vote, by=staff)
    assert vote.status == VoteStatus.VOTING and vote.eligible_count == 3
    users = [deputy_account(d) for d in voters]
    a, b, c = vote.candidates.order_by("number")
    for user in users:
        services.cast_ballot(vote, by=user, approve=[a.pk, b.pk])
    vote = services.close_voting(vote, by=staff)
    vote = services.publish_results(vote, by=staff)
    assert vote.status == VoteStatus.PUBLISHED and len(vote.result_digest) == 64
    assert set(vote.candidates.filter(elected=True).values_list("pk", flat=True)) == {a.pk, b.pk}
    vote = services.start_implementation(vote, by=staff)
    assert vote.status == VoteStatus.IMPLEMENTING
    assert Candidate.objects.get(pk=a.pk).implementation_started_on == timezone.localdate()
    vote = services.open_evaluation(vote, by=staff)
    for user in users:
        services.evaluate_project(a, by=user, rating="satisfied")
        services.evaluate_project(b, by=user, rating="basic")
    vote = services.finish_evaluation(vote, by=staff)
    assert vote.status == VoteStatus.EVALUATED
    steps = list(VoteEvent.objects.filter(vote=vote).values_list("action", flat=True))
    assert steps == ["created", "screening", "voting", "closed", "published", "implementing",
                     "evaluation_opened", "evaluated"]
    assert all(e.by == staff for e in VoteEvent.objects.filter(vote=vote))


def test_transitions_outside_the_table_are_refused(staff):
    vote = ProjectVoteFactory(status=VoteStatus.COLLECTING)
    with pytest.raises(TransitionNotAllowed) as error:
        services.publish_results(vote, by=staff)
    assert error.value.status_code == 409
    with pytest.raises(TransitionNotAllowed):
        services.start_implementation(vote, by=staff)
    vote.refresh_from_db()
    assert vote.status == VoteStatus.COLLECTING


def test_voting_cannot_open_without_more_candidates_than_seats(staff):
    vote = screening_vote(candidates=3, seats=3)
    DeputyFactory()
    with pytest.raises(TransitionNotAllowed) as error:
        services.open_voting(vote, by=staff)
    assert "至少需要 4 个" in error.value.message
    CandidateFactory(vote=vote, number=4)
    assert services.open_voting(vote, by=staff).status == VoteStatus.VOTING


def test_the_minimum_ratio_is_configurable(staff):
    vote = screening_vote(candidates=11, seats=10, min_candidate_ratio="1.2")
    DeputyFactory()
    with pytest.raises(TransitionNotAllowed, match="至少需要 12 个"):
        services.open_voting(vote, by=staff)


def test_opening_needs_a_matching_session_and_a_future_window(staff):
    vote = screening_vote(session=None)
    DeputyFactory()
    with pytest.raises(TransitionNotAllowed, match="会议"):
        services.open_voting(vote, by=staff)
    vote.session = CongressSessionFactory(term=17)
    vote.save()
    with pytest.raises(TransitionNotAllowed, match="不一致"):
        services.open_voting(vote, by=staff)
    vote.session = CongressSessionFactory()
    vote.closes_at = timezone.now() - timedelta(minutes=1)
    vote.opens_at = vote.closes_at - timedelta(hours=1)
    vote.save()
    with pytest.raises(TransitionNotAllowed, match="截止时间已过"):
        services.open_voting(vote, by=staff)


def test_the_electorate_is_the_active_deputies_of_level_and_term_frozen_at_opening(staff, township):
    vote = screening_vote()
    included = DeputyFactory(township=township)
    DeputyFactory(status=Deputy.Status.TERMINATED)
    DeputyFactory(term=17)
    DeputyFactory(level="township")
    services.open_voting(vote, by=staff)
    assert list(VoterRecord.objects.filter(vote=vote).values_list("deputy", flat=True)) == [included.pk]
    DeputyFactory()  # registered after opening: not added
    included.status = Deputy.Status.TERMINATED
    included.save()  # ended after opening: stays on the frozen list
    assert list(VoterRecord.objects.filter(vote=vote).values_list("deputy", flat=True)) == [included.pk]


def test_a_township_vote_has_its_townships_deputies(staff, township, other_township):
    session = CongressSessionFactory(level="township", township=township)
    vote = screening_vote(level="township", township=township, session=session)
    mine = DeputyFactory(level="township", township=township)
    DeputyFactory(level="township", township=other_township)
    DeputyFactory(level="county", township=township)
    services.open_voting(vote, by=staff)
    assert list(vote.voters.values_list("deputy", flat=True)) == [mine.pk]


def test_township_staff_run_only_their_townships_votes(township_staff, township, other_township):
    county = screening_vote()
    with pytest.raises(PermissionDenied):
        services.start_screening(county, by=township_staff)
    session = CongressSessionFactory(level="township", township=other_township)
    with pytest.raises(Exception):
        services.create_vote(by=township_staff, title="x", year=2030, congress=Congress.objects.default(), term=18, seats=2)
    vote = services.create_vote(by=township_staff, title="青山镇2030年民生实事", year=2030,
                                congress=Congress.objects.of(other_township), term=18, session=session, seats=2)
    assert vote.township == other_township
    assert list(ProjectVote.objects.managed_by(township_staff)) == [vote]


def test_settings_are_frozen_once_voting_opens(staff):
    vote, _c, _d = voting_vote()
    with pytest.raises(TransitionNotAllowed, match="不能再修改"):
        services.update_vote(vote, by=staff, seats=1)


def test_publishing_waits_for_the_window_and_for_paper_entries(staff, make_user):
    vote, candidates, deputies = voting_vote(deputies=3)
    with pytest.raises(TransitionNotAllowed, match="尚未截止"):
        services.publish_results(vote, by=staff)
    services.mark_paper_voters(vote, deputy_ids=[deputies[0].pk], by=staff)
    services.enter_paper_ballot(vote, number=1, by=staff, line="YNNN")
    services.close_voting(vote, by=staff)
    with pytest.raises(TransitionNotAllowed, match="纸质选票"):
        services.publish_results(vote, by=staff)
    services.enter_paper_ballot(vote, number=1, by=make_user("staff", username="s2"), line="YNNN")
    vote = services.publish_results(vote, by=staff)
    assert vote.status == VoteStatus.PUBLISHED


def test_a_tie_at_the_last_seat_is_published_as_such_and_a_runoff_can_follow(staff):
    vote, (a, b, c, d), deputies = voting_vote(deputies=5, candidates=4, seats=2)
    users = [deputy_account(x) for x in deputies]
    # a: 4 approvals; b and c: 3 each, tied for the second seat; more than half of 5 is 3.
    for user, approve in zip(users, [[a, b], [a, c], [a, b], [a, c], [b, c]]):
        services.cast_ballot(vote, by=user, approve=[x.pk for x in approve])
    services.close_voting(vote, by=staff)
    vote = services.publish_results(vote, by=staff)
    assert list(vote.candidates.filter(elected=True)) == [a]
    assert "需再次投票" in vote.events.last().note
    result = services.vote_result(vote)
    assert set(result.runoff_ids) == {b.pk, c.pk} and result.runoff_seats == 1
    runoff = services.create_runoff(vote, by=staff)
    assert runoff.status == VoteStatus.SCREENING and runoff.seats == 1
    assert list(runoff.candidates.values_list("title", flat=True)) == [b.title, c.title]
    with pytest.raises(TransitionNotAllowed):
        services.create_runoff(vote, by=staff)


def test_implementation_needs_a_responsible_unit_for_every_elected_project(staff):
    vote, (a, *_), deputies = voting_vote(deputies=1)
    services.cast_ballot(vote, by=deputy_account(deputies[0]), approve=[a.pk])
    services.close_voting(vote, by=staff)
    services.publish_results(vote, by=staff)
    Candidate.objects.filter(pk=a.pk).update(responsible_unit=None)
    with pytest.raises(TransitionNotAllowed, match=a.title):
        services.start_implementation(vote, by=staff)
