"""Simultaneous ballots on PostgreSQL: one deputy's many submissions leave exactly one ballot;
many deputies at once are all counted."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from core.exceptions import Conflict
from tests.conftest import require_or_skip
from tests.votes.factories import deputy_account, voting_vote
from votes import services
from votes.models import Ballot, VoterRecord

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 16


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        require_or_skip("concurrent ballots need PostgreSQL (set DATABASE_URL)")


def run_together(functions):
    """Start every function at the same moment in its own thread (and DB connection)."""
    barrier = threading.Barrier(len(functions))
    outcomes = [None] * len(functions)

    def target(index, function):
        try:
            barrier.wait()
            outcomes[index] = ("ok", function())
        except Exception as exc:  # collected and asserted by the test
            outcomes[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_one_deputy_submitting_many_times_at_once_leaves_exactly_one_ballot():
    vote, candidates, deputies = voting_vote(deputies=3, candidates=4, seats=2)
    user = deputy_account(deputies[0])
    choices = [[candidates[i % 4].pk] for i in range(THREADS)]
    outcomes = run_together(
        [lambda approve=approve: services.cast_ballot(vote, by=user, approve=approve) for approve in choices]
    )
    successes = [o for o in outcomes if o[0] == "ok"]
    refusals = [o for o in outcomes if o[0] == "error"]
    assert len(successes) == 1
    assert all(isinstance(exc, Conflict) for _kind, exc in refusals), refusals
    assert Ballot.objects.filter(vote=vote).count() == 1
    assert services.ballot_lines(vote) == [successes[0][1]]
    assert VoterRecord.objects.filter(vote=vote, voted=True).count() == 1


def test_many_deputies_voting_at_once_are_all_counted():
    vote, candidates, deputies = voting_vote(deputies=40, candidates=5, seats=3)
    users = [deputy_account(d) for d in deputies]
    outcomes = run_together(
        [lambda user=user: services.cast_ballot(vote, by=user, approve=[candidates[0].pk, candidates[1].pk])
         for user in users]
    )
    assert all(kind == "ok" for kind, _ in outcomes), [o for o in outcomes if o[0] != "ok"]
    result = services.vote_result(vote)
    assert result.cast == 40
    approvals = {row.candidate_id: row.approve for row in result.rows}
    assert approvals[candidates[0].pk] == approvals[candidates[1].pk] == 40
    assert VoterRecord.objects.filter(vote=vote, voted=True).count() == 40


def test_the_api_answers_201_once_and_409_to_the_rest_for_simultaneous_posts():
    vote, candidates, deputies = voting_vote(deputies=2, candidates=3, seats=1)
    user = deputy_account(deputies[0])

    def post():
        client = Client()
        client.force_login(user)
        return client.post(
            f"/api/v1/votes/{vote.pk}/ballots/", {"approve": [candidates[0].pk]}, content_type="application/json"
        ).status_code

    outcomes = run_together([post for _ in range(10)])
    codes = sorted(code for _kind, code in outcomes)
    assert codes == [201] + [409] * 9, outcomes
    assert Ballot.objects.filter(vote=vote).count() == 1


def test_mixing_while_ballots_arrive_loses_none():
    vote, candidates, deputies = voting_vote(deputies=30, candidates=3, seats=1)
    users = [deputy_account(d) for d in deputies]
    casts = [lambda user=user: services.cast_ballot(vote, by=user, approve=[candidates[2].pk]) for user in users]
    mixes = [services.mix_pending_ballots for _ in range(5)]
    outcomes = run_together(casts + mixes)
    assert all(kind == "ok" for kind, _ in outcomes), [o for o in outcomes if o[0] != "ok"]
    services.mix_pending_ballots()
    assert sorted(services.ballot_lines(vote)) == ["NNY"] * 30


def test_publishing_waits_for_ballots_in_flight():
    """A ballot being written when voting closes is either counted in the published digest or
    refused; never stored after the count."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import UserFactory
    from votes import tally

    vote, candidates, deputies = voting_vote(deputies=20, candidates=3, seats=1)
    users = [deputy_account(d) for d in deputies]
    staff = UserFactory(role="staff", username="teller")

    def close_and_publish():
        services.close_voting(vote, by=staff)
        return services.publish_results(vote, by=staff, now=timezone.now() + timedelta(seconds=1))

    casts = [lambda user=user: services.cast_ballot(vote, by=user, approve=[candidates[0].pk]) for user in users]
    outcomes = run_together(casts + [close_and_publish])
    assert outcomes[-1][0] == "ok", outcomes[-1]
    vote.refresh_from_db()
    lines = services.ballot_lines(vote)
    counted = sum(1 for kind, _ in outcomes[:-1] if kind == "ok")
    assert len(lines) == counted
    assert vote.result_digest == tally.digest(lines)
