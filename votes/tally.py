"""The rules of a vote as pure functions: who may vote, what a valid ballot is, how ballots are
counted and how the published ballot list is digested.

No database here. The results page, the API, publishing, paper-ballot entry and the tests all
call these, so a recount from the published ballot list (`recount`) and the database's own
aggregate (`services.vote_result`) are checked against the same `decide`.

The canonical ballot list: one line per valid ballot, one letter per candidate in ballot-number
order (Y 赞成, N 不赞成, A 弃权), the lines sorted, each ending in "\\n". Its SHA-256 is the
published digest, so `sha256sum ballots.txt` reproduces it."""

import hashlib
import math
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _

from core.exceptions import DomainError

APPROVE, AGAINST, ABSTAIN = "Y", "N", "A"
ALPHABET = frozenset({APPROVE, AGAINST, ABSTAIN})


class InvalidBallot(DomainError):
    """The ballot as filled in breaks a rule (too many approvals, unknown candidate): 400."""


# --- Eligibility ------------------------------------------------------------------------------

def refusal(*, status, window, record):
    """Why a deputy may not cast a ballot online now, as (code, message), or None if they may.

    `window` is ProjectVote.window_state(); `record` the deputy's VoterRecord or None."""
    if status != "voting":
        return "not_voting", _("本次票决不在投票阶段。")
    if record is None:
        return "not_eligible", _("您不在本次票决的投票代表名单中。名单在投票开始时确定。")
    if record.voted:
        return "already_voted", _("您已经投过票了。选票一经提交即为最终结果，不能修改或重投。")
    if record.channel == "paper":
        return "paper", _("您已登记为在会场使用纸质选票投票，不能再在网上投票。")
    if window == "before":
        return "not_open", _("投票尚未开始。")
    if window != "open":
        return "closed", _("投票已经截止。")
    return None


def required_candidates(seats, *, min_extra, min_ratio):
    """差额: the fewest candidates a ballot may carry for `seats` seats."""
    return max(seats + min_extra, math.ceil(seats * Fraction(str(min_ratio))))


# --- Ballots ----------------------------------------------------------------------------------

def ballot_line(candidates, *, approve=(), abstain=(), seats):
    """The canonical line of a ballot. `candidates` are (candidate_id, number) pairs; candidates
    in neither list count as 不赞成. Raises InvalidBallot with a Chinese message."""
    known = {cid for cid, _number in candidates}
    approve, abstain = list(approve), list(abstain)
    for name, ids in ((_("赞成"), approve), (_("弃权"), abstain)):
        if len(set(ids)) != len(ids):
            raise InvalidBallot(_("“%(name)s”中有重复的候选项目。") % {"name": name})
        unknown = sorted(set(ids) - known, key=str)
        if unknown:
            raise InvalidBallot(
                _("候选项目 %(ids)s 不在本次票决的选票上。") % {"ids": "、".join(map(str, unknown))}
            )
    both = set(approve) & set(abstain)
    if both:
        raise InvalidBallot(_("同一个项目不能既赞成又弃权。"))
    if len(approve) > seats:
        raise InvalidBallot(
            _("最多只能对 %(seats)s 个项目投赞成票，您选了 %(n)s 个。")
            % {"seats": seats, "n": len(approve)}
        )
    approve, abstain = set(approve), set(abstain)
    ordered = sorted(candidates, key=lambda pair: pair[1])
    return "".join(
        APPROVE if cid in approve else ABSTAIN if cid in abstain else AGAINST for cid, _n in ordered
    )


def check_line(line, *, candidate_count, seats):
    """Validate a canonical line typed from a paper slip."""
    if len(line) != candidate_count or not set(line) <= ALPHABET:
        raise InvalidBallot(_("选票内容不完整，请对每个候选项目逐一录入。"))
    approvals = line.count(APPROVE)
    if approvals > seats:
        raise InvalidBallot(
            _("这张选票赞成了 %(n)s 个项目，超过应选数 %(seats)s，按规定为废票，请勾选“废票”录入。")
            % {"n": approvals, "seats": seats}
        )
    return line


def canonical_text(lines):
    return "".join(f"{line}\n" for line in sorted(lines))


def digest(lines):
    """SHA-256 (hex) of the canonical ballot list."""
    return hashlib.sha256(canonical_text(lines).encode("ascii")).hexdigest()


# --- Counting ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class CandidateCount:
    candidate_id: int
    number: int
    approve: int = 0
    against: int = 0
    abstain: int = 0


@dataclass(frozen=True)
class Row:
    candidate_id: int
    number: int
    approve: int
    against: int
    abstain: int
    rank: int
    passes: bool
    elected: bool
    tied: bool


@dataclass(frozen=True)
class Result:
    seats: int
    eligible: int
    cast: int
    invalid: int
    threshold_base: int
    min_approvals: int
    rows: tuple  # Row, ranked by approvals (then ballot number)
    elected_ids: tuple
    runoff_ids: tuple  # tied at the last seat: a run-off decides among them
    runoff_seats: int

    @property
    def valid(self):
        return self.cast - self.invalid

    @property
    def turnout_percent(self):
        return round(100 * self.cast / self.eligible, 1) if self.eligible else 0.0

    @property
    def has_tie(self):
        return bool(self.runoff_ids)


def recount(lines, candidates):
    """The simple recount: approvals, against and abstentions per candidate from ballot lines.
    `candidates` are (candidate_id, number) pairs."""
    ordered = sorted(candidates, key=lambda pair: pair[1])
    totals = {cid: {APPROVE: 0, AGAINST: 0, ABSTAIN: 0} for cid, _n in ordered}
    for line in lines:
        for (cid, _n), mark in zip(ordered, line, strict=True):
            totals[cid][mark] += 1
    return [
        CandidateCount(cid, number, totals[cid][APPROVE], totals[cid][AGAINST], totals[cid][ABSTAIN])
        for cid, number in ordered
    ]


def min_approvals(base, ratio):
    """The fewest approvals that are *more than* `ratio` × `base` (default: more than half)."""
    return math.floor(Fraction(str(ratio)) * base) + 1


def decide(counts, *, seats, eligible, cast, invalid=0, threshold_ratio="0.5", basis="eligible"):
    """Who is elected: candidates approved by more than the threshold, ranked by approvals, up to
    `seats`. When candidates tie across the last seat, none of them is elected and they are
    reported for a run-off (runoff_ids, runoff_seats) instead of being picked silently."""
    base = eligible if basis == "eligible" else cast
    need = min_approvals(base, threshold_ratio)
    ranked = sorted(counts, key=lambda c: (-c.approve, c.number))
    passing = [c for c in ranked if c.approve >= need]
    elected, runoff = passing, []
    if len(passing) > seats:
        cutoff = passing[seats - 1].approve
        above = [c for c in passing if c.approve > cutoff]
        at_cutoff = [c for c in passing if c.approve == cutoff]
        if len(above) + len(at_cutoff) <= seats:
            elected = above + at_cutoff
        else:
            elected, runoff = above, at_cutoff
    elected_ids = {c.candidate_id for c in elected}
    runoff_ids = {c.candidate_id for c in runoff}
    rows, rank = [], 0
    for position, c in enumerate(ranked, start=1):
        if position == 1 or c.approve != ranked[position - 2].approve:
            rank = position
        rows.append(
            Row(c.candidate_id, c.number, c.approve, c.against, c.abstain, rank,
                passes=c.approve >= need, elected=c.candidate_id in elected_ids,
                tied=c.candidate_id in runoff_ids)
        )
    return Result(
        seats=seats, eligible=eligible, cast=cast, invalid=invalid, threshold_base=base,
        min_approvals=need, rows=tuple(rows),
        elected_ids=tuple(c.candidate_id for c in elected),
        runoff_ids=tuple(c.candidate_id for c in runoff),
        runoff_seats=seats - len(elected) if runoff else 0,
    )
