"""The counting rules (votes/tally.py), checked against a simple independent recount."""

import hashlib
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from votes import tally
from votes.tally import CandidateCount, InvalidBallot, decide


def counts(*approvals):
    return [CandidateCount(i + 1, i + 1, approve=a) for i, a in enumerate(approvals)]


def test_more_than_half_of_all_eligible_deputies_is_needed():
    # 100 eligible: 50 is exactly half (not elected), 51 is more than half.
    result = decide(counts(51, 50, 70), seats=3, eligible=100, cast=80)
    assert result.min_approvals == 51
    assert set(result.elected_ids) == {1, 3}
    assert [r.passes for r in sorted(result.rows, key=lambda r: r.number)] == [True, False, True]


def test_odd_electorate_threshold():
    assert tally.min_approvals(195, "0.5") == 98
    assert tally.min_approvals(0, "0.5") == 1


def test_threshold_may_be_based_on_ballots_cast():
    result = decide(counts(41, 40), seats=2, eligible=100, cast=80, basis="cast")
    assert result.threshold_base == 80 and result.min_approvals == 41
    assert result.elected_ids == (1,)


def test_top_approvals_fill_the_seats():
    result = decide(counts(60, 90, 70, 80), seats=2, eligible=100, cast=100)
    assert result.elected_ids == (2, 4)
    assert [r.rank for r in result.rows] == [1, 2, 3, 4]


def test_a_tie_at_the_last_seat_is_reported_not_broken():
    result = decide(counts(90, 70, 70, 60), seats=2, eligible=100, cast=100)
    assert result.elected_ids == (1,)
    assert set(result.runoff_ids) == {2, 3}
    assert result.runoff_seats == 1
    assert result.has_tie
    tied = [r for r in result.rows if r.tied]
    assert {r.rank for r in tied} == {2}


def test_a_tie_that_fits_within_the_seats_elects_all():
    result = decide(counts(90, 70, 70, 40), seats=3, eligible=100, cast=100)
    assert set(result.elected_ids) == {1, 2, 3}
    assert not result.has_tie


def test_a_tie_below_the_threshold_is_not_a_runoff():
    result = decide(counts(90, 30, 30), seats=2, eligible=100, cast=100)
    assert result.elected_ids == (1,)
    assert not result.has_tie


def test_ballot_line_marks_every_candidate():
    candidates = [(11, 1), (12, 2), (13, 3), (14, 4)]
    assert tally.ballot_line(candidates, approve=[13, 11], abstain=[14], seats=2) == "YNYA"
    assert tally.ballot_line(candidates, approve=[], seats=2) == "NNNN"


@pytest.mark.parametrize("approve, abstain, message", [
    ([11, 12, 13], [], "最多只能对 2 个项目投赞成票"),
    ([11, 11], [], "重复"),
    ([99], [], "不在本次票决的选票上"),
    ([11], [11], "既赞成又弃权"),
])
def test_invalid_ballots_are_refused_with_a_reason(approve, abstain, message):
    with pytest.raises(InvalidBallot) as error:
        tally.ballot_line([(11, 1), (12, 2), (13, 3)], approve=approve, abstain=abstain, seats=2)
    assert message in error.value.message
    assert error.value.status_code == 400


def test_paper_line_checks():
    assert tally.check_line("YNA", candidate_count=3, seats=1) == "YNA"
    with pytest.raises(InvalidBallot):
        tally.check_line("YN", candidate_count=3, seats=1)
    with pytest.raises(InvalidBallot, match="废票"):
        tally.check_line("YYN", candidate_count=3, seats=1)


def test_digest_is_sha256_of_the_sorted_lines_file():
    lines = ["YNA", "NNY", "YNA"]
    text = "NNY\nYNA\nYNA\n"
    assert tally.canonical_text(lines) == text
    assert tally.digest(lines) == hashlib.sha256(text.encode()).hexdigest()
    assert tally.digest(reversed(lines)) == tally.digest(lines)


def test_refusal_reasons():
    class Record:
        def __init__(self, voted=False, channel="online"):
            self.voted, self.channel = voted, channel

    assert tally.refusal(status="voting", window="open", record=Record()) is None
    assert tally.refusal(status="voting", window="open", record=None)[0] == "not_eligible"
    assert tally.refusal(status="voting", window="open", record=Record(voted=True))[0] == "already_voted"
    assert tally.refusal(status="voting", window="open", record=Record(channel="paper"))[0] == "paper"
    assert tally.refusal(status="voting", window="closed", record=Record())[0] == "closed"
    assert tally.refusal(status="voting", window="before", record=Record())[0] == "not_open"
    assert tally.refusal(status="published", window="closed", record=Record())[0] == "not_voting"


def test_required_candidates_for_the_difference_rule():
    assert tally.required_candidates(10, min_extra=1, min_ratio="1.0") == 11
    assert tally.required_candidates(10, min_extra=1, min_ratio="1.2") == 12
    assert tally.required_candidates(3, min_extra=2, min_ratio="1.2") == 5


# --- Property-based: random ballots, a naive recount, the rules stated plainly ----------------

ballots_strategy = st.integers(min_value=2, max_value=7).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.integers(min_value=1, max_value=n - 1),  # seats < candidates (差额)
        st.lists(st.text(alphabet="YNA", min_size=n, max_size=n), max_size=60),
    )
)


def naive_count(lines, n):
    return [sum(1 for line in lines if line[i] == "Y") for i in range(n)]


@settings(max_examples=300, deadline=None)
@given(data=ballots_strategy, extra_eligible=st.integers(min_value=0, max_value=40),
       ratio=st.sampled_from(["0.5", "0.6667", "0.3"]), basis=st.sampled_from(["eligible", "cast"]))
def test_decide_matches_the_rules_stated_plainly(data, extra_eligible, ratio, basis):
    n, seats, lines = data
    lines = [line for line in lines if line.count("Y") <= seats]  # only valid ballots exist
    eligible = len(lines) + extra_eligible
    candidates = [(100 + i, i + 1) for i in range(n)]
    result = decide(tally.recount(lines, candidates), seats=seats, eligible=eligible, cast=len(lines),
                    threshold_ratio=ratio, basis=basis)

    approvals = naive_count(lines, n)
    base = eligible if basis == "eligible" else len(lines)
    # "more than ratio × base", in exact arithmetic
    passing = [i for i in range(n) if Fraction(approvals[i]) > Fraction(ratio) * base]
    elected = {candidates[i][0] for i in result_indices(result.elected_ids)}
    runoff = {candidates[i][0] for i in result_indices(result.runoff_ids)}

    # Every count equals the naive recount.
    assert [r.approve for r in sorted(result.rows, key=lambda r: r.number)] == approvals
    # Only candidates over the threshold are elected, never more than the seats.
    assert elected <= {candidates[i][0] for i in passing}
    assert len(elected) <= seats
    # Nobody outside the elected set beats anyone inside it.
    by_id = {candidates[i][0]: approvals[i] for i in range(n)}
    for winner in elected:
        for other in {candidates[i][0] for i in passing} - elected:
            assert by_id[winner] > by_id[other] or other in runoff
    if len(passing) <= seats:
        assert elected == {candidates[i][0] for i in passing} and not runoff
    elif runoff:
        # A tie across the last seat: tied candidates share the cut-off count, more of them than
        # the seats left, and the elected plus the run-off seats fill exactly the seats.
        assert len({by_id[c] for c in runoff}) == 1
        assert len(runoff) > result.runoff_seats == seats - len(elected)
        assert all(by_id[w] > by_id[next(iter(runoff))] for w in elected)
    else:
        assert len(elected) == seats


def result_indices(ids):
    return [cid - 100 for cid in ids]


@settings(max_examples=200, deadline=None)
@given(data=ballots_strategy)
def test_recount_of_a_shuffled_list_gives_the_same_digest_and_counts(data):
    n, seats, lines = data
    candidates = [(i + 1, i + 1) for i in range(n)]
    shuffled = list(reversed(lines))
    assert tally.digest(lines) == tally.digest(shuffled)
    assert tally.recount(lines, candidates) == tally.recount(shuffled, candidates)
    totals = tally.recount(lines, candidates)
    for count in totals:
        assert count.approve + count.against + count.abstain == len(lines)
