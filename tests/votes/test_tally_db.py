"""Random ballots cast through the service: the database's own count, the published digest and
a recount of the published ballot list agree, threshold and tie rules included."""

import hashlib
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from django.utils import timezone

from tests.factories import UserFactory
from tests.votes.factories import deputy_account, voting_vote
from votes import services, tally

pytestmark = pytest.mark.django_db

ballots = st.integers(min_value=3, max_value=5).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.integers(min_value=1, max_value=n - 1),
        st.lists(st.text(alphabet="YNA", min_size=n, max_size=n), min_size=0, max_size=12),
        st.integers(min_value=0, max_value=4),
    )
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=ballots)
def test_published_count_equals_a_recount_of_the_published_list(client, data):
    n, seats, lines, absent = data
    lines = [line for line in lines if line.count("Y") <= seats]
    vote, candidates, deputies = voting_vote(deputies=len(lines) + absent, candidates=n, seats=seats)
    for deputy, line in zip(deputies, lines):
        user = deputy_account(deputy)
        services.cast_ballot(
            vote, by=user,
            approve=[c.pk for c, mark in zip(candidates, line) if mark == "Y"],
            abstain=[c.pk for c, mark in zip(candidates, line) if mark == "A"],
        )
    staff = UserFactory(role="staff")
    vote.closes_at = timezone.now() - timedelta(seconds=1)
    vote.save(update_fields=["closes_at"])
    vote = services.publish_results(vote, by=staff)

    text = client.get(f"/projects/votes/{vote.pk}/ballots.txt").content.decode()
    assert hashlib.sha256(text.encode()).hexdigest() == vote.result_digest
    published = text.splitlines()
    assert sorted(published) == sorted(lines)
    pairs = [(c.pk, c.number) for c in candidates]
    recounted = tally.decide(tally.recount(published, pairs), seats=seats, eligible=len(deputies),
                             cast=len(published))
    result = services.vote_result(vote)
    assert result == recounted
    # The naive rule: more than half of all eligible deputies, top approvals, ties reported.
    approvals = {c.pk: sum(line[i] == "Y" for line in lines) for i, c in enumerate(candidates)}
    passing = {pk for pk, a in approvals.items() if 2 * a > len(deputies)}
    assert set(result.elected_ids) <= passing
    assert set(vote.candidates.filter(elected=True).values_list("pk", flat=True)) == set(result.elected_ids)
    if len(passing) <= seats:
        assert set(result.elected_ids) == passing and not result.runoff_ids
    elif result.runoff_ids:
        assert len({approvals[pk] for pk in result.runoff_ids}) == 1
    else:
        assert len(result.elected_ids) == seats
