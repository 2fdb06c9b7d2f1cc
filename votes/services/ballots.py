"""The ballot (审议票决): casting online, paper ballots by double entry, mixing, counting.

How secrecy is kept (secret mode, the default):
- Who voted is VoterRecord.voted; what was voted is Ballot.content. A ballot row holds a random
  UUID, the vote, its content and (open mode only) the voter: no timestamp, no channel, no
  sequence.
- The casting transaction writes both, so for a moment the rows share their physical position
  order and PostgreSQL's transaction id (xmin). `mix_ballots` rewrites all of a vote's ballots
  in a random order under fresh random ids in one transaction, and vacuums the old row versions
  away: every minute while voting (beat "votes-mix-ballots") and a last time when publishing.
- No receipt: the voter gets no ballot id, and nothing a ballot writes is logged or notified.
- Staff see only turnout until the window has closed, so a tally cannot be watched change as
  each deputy votes."""

import random
import uuid

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import Conflict, DomainError, TransitionNotAllowed
from deputies.models import Seat
from divisions.scope import covers
from votes import tally
from votes.models import (
    Ballot,
    PaperEntry,
    PaperSlip,
    ProjectVote,
    VoterRecord,
    VoteStatus,
)
from votes.permissions import cast_ballots, manage_votes
from votes.services.common import (
    check_manage,
    deputy_of,
    lock_vote,
    record_event,
    require_status,
    share_vote,
)

_random = random.SystemRandom()


class NotEligible(DomainError):
    """The user is not in the vote's electorate (403)."""

    status_code = 403


_REFUSALS = {
    "not_voting": TransitionNotAllowed,
    "not_eligible": NotEligible,
    "already_voted": Conflict,
    "paper": Conflict,
    "not_open": TransitionNotAllowed,
    "closed": TransitionNotAllowed,
}


def _candidates(vote):
    return list(vote.candidates.order_by("number").values_list("pk", "number"))


def _store_ballot(vote, line, *, voter=None):
    Ballot.objects.create(id=uuid.uuid4(), vote=vote, content=line, voter=voter)


def cast_ballot(vote, *, by, approve, abstain=(), now=None):
    """Cast a deputy's ballot online: at most `seats` approvals (赞成), the listed abstentions
    (弃权), every other candidate 不赞成. Final once cast.

    One ballot per deputy is enforced by the database: the deputy's VoterRecord is claimed by
    a conditional UPDATE (voted = false → true) in the ballot's transaction; a simultaneous
    second submission waits for the row lock, finds it already claimed and is refused (409).
    Returns the canonical line of what was recorded, never an id."""
    cast_ballots.check(by)
    now = now or timezone.now()
    deputy = deputy_of(by)
    with transaction.atomic():
        current = share_vote(vote)
        record = (
            VoterRecord.objects.filter(vote=current, deputy=deputy).first() if deputy else None
        )
        problem = tally.refusal(status=current.status, window=current.window_state(now), record=record)
        if problem:
            code, message = problem
            raise _REFUSALS[code](message)
        _check_seat(current, deputy)
        candidates = _candidates(current)
        line = tally.ballot_line(candidates, approve=approve, abstain=abstain, seats=current.seats)
        claimed = VoterRecord.objects.filter(
            pk=record.pk, voted=False, channel=VoterRecord.Channel.ONLINE
        ).update(voted=True)
        if not claimed:
            raise Conflict(_("您已经投过票了。选票一经提交即为最终结果，不能修改或重投。"))
        _store_ballot(current, line, voter=None if current.secret else deputy)
    return line


def _active_seat(vote, deputy):
    return Seat.objects.filter(deputy=deputy, congress_id=vote.congress_id, status=Seat.Status.ACTIVE)


def _check_seat(vote, deputy):
    """A deputy whose seat in the vote's congress ended (届满, 辞职, 罢免, 调离) after voting
    opened cannot cast a ballot not yet cast. The electorate fixed at opening is not changed:
    their record stays, counted as not voted (`seats_ended_meanwhile` tells the result pages)."""
    if not _active_seat(vote, deputy).exists():
        raise PermissionDenied(_("您在%(congress)s的代表资格已终止，不能再投票。") % {"congress": vote.congress})


def seats_ended_meanwhile(vote):
    """How many deputies of the electorate fixed when voting opened no longer hold a seat in the
    vote's congress (their seat ended meanwhile). The eligible count does not change."""
    active = Seat.objects.filter(deputy=OuterRef("deputy"), congress_id=vote.congress_id, status=Seat.Status.ACTIVE)
    return vote.voters.exclude(Exists(active)).count()


@transaction.atomic
def mark_paper_voters(vote, *, deputy_ids, by, paper=True):
    """Mark deputies as voting on paper in the hall (they then cannot vote online), or undo it.
    A deputy who has voted online cannot be switched; unmarking never leaves fewer paper voters
    than paper ballots already entered."""
    check_manage(vote, by)
    vote = lock_vote(vote)
    require_status(vote, VoteStatus.VOTING)
    records = VoterRecord.objects.filter(vote=vote, deputy_id__in=deputy_ids, voted=False)
    if paper:
        changed = records.filter(channel=VoterRecord.Channel.ONLINE).update(
            channel=VoterRecord.Channel.PAPER
        )
    else:
        changing = records.filter(channel=VoterRecord.Channel.PAPER)
        remaining = vote.voters.filter(channel=VoterRecord.Channel.PAPER).count() - changing.count()
        if remaining < vote.paper_slips.count():
            raise Conflict(_("已录入的纸质选票多于取消后的纸质投票代表人数，不能取消。"))
        changed = changing.update(channel=VoterRecord.Channel.ONLINE)
    skipped = len(set(deputy_ids)) - changed
    note = (_("%(n)s 名代表登记为纸质投票") if paper else _("%(n)s 名代表取消纸质投票")) % {"n": changed}
    if skipped:
        note += _("（%(n)s 名已投票或不在名单中，未变动）") % {"n": skipped}
    record_event(vote, "paper_voters", by=by, note=note)
    return changed


@transaction.atomic
def enter_paper_ballot(vote, *, number, by, line="", invalid=False, voter=None):
    """One staff member's entry of paper slip `number` (a canonical line, or invalid 废票).

    A slip counts once two different staff members have entered it identically; until then it
    is pending, and while their entries differ it is in conflict (either may correct their own
    entry). Counted paper ballots can never outnumber the deputies marked as voting on paper."""
    check_manage(vote, by)
    vote = lock_vote(vote)
    require_status(vote, VoteStatus.VOTING, message=_("只有投票阶段可以录入纸质选票。"))
    candidates = _candidates(vote)
    content = PaperEntry.INVALID if invalid else tally.check_line(
        line, candidate_count=len(candidates), seats=vote.seats
    )
    if vote.secret:
        voter = None
    elif voter is None:
        raise DomainError(_("记名投票：请选择这张选票的投票代表。"))
    elif not vote.voters.filter(deputy=voter, channel=VoterRecord.Channel.PAPER).exists():
        raise DomainError(_("%(name)s 没有登记为纸质投票。") % {"name": voter.name})
    elif not _active_seat(vote, voter).exists():
        raise DomainError(_("%(name)s 的代表资格已终止，其选票不能计入。") % {"name": voter.name})
    slip, _created = PaperSlip.objects.get_or_create(vote=vote, number=number)
    if slip.status == PaperSlip.Status.COUNTED:
        raise Conflict(_("第 %(n)s 号选票已经两人一致录入并计入，不能再修改。") % {"n": number})
    others = slip.entries.exclude(entered_by=by)
    if others.count() >= 2:
        raise Conflict(_("第 %(n)s 号选票已由两人录入，请由原录入人核对更正。") % {"n": number})
    PaperEntry.objects.update_or_create(
        slip=slip, entered_by=by, defaults={"content": content, "voter": voter}
    )
    entries = list(slip.entries.all())
    if len(entries) < 2:
        slip.status = PaperSlip.Status.PENDING
    elif len({(e.content, e.voter_id) for e in entries}) > 1:
        slip.status = PaperSlip.Status.CONFLICT
    else:
        _count_slip(vote, slip, content, voter)
    slip.save(update_fields=["status", "invalid"])
    return slip


def _count_slip(vote, slip, content, voter):
    if voter is not None:
        claimed = VoterRecord.objects.filter(
            vote=vote, deputy=voter, channel=VoterRecord.Channel.PAPER, voted=False
        ).update(voted=True)
        if not claimed:
            raise Conflict(_("%(name)s 的纸质选票已经计入。") % {"name": voter.name})
    else:
        counted = vote.paper_slips.filter(status=PaperSlip.Status.COUNTED).count()
        if counted >= vote.voters.filter(channel=VoterRecord.Channel.PAPER).count():
            raise Conflict(_("计入的纸质选票将超过登记的纸质投票代表人数，请核对。"))
    slip.status = PaperSlip.Status.COUNTED
    slip.invalid = content == PaperEntry.INVALID
    if not slip.invalid:
        _store_ballot(vote, content, voter=voter)


def _vacuum(full=False):
    """Drop the dead row versions that mixing left behind (PostgreSQL; outside transactions)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {'FULL ' if full else ''}{Ballot._meta.db_table}")


def mix_ballots(vote, *, locked=False, full_vacuum=False):
    """Rewrite a vote's ballots in a random order under new random ids (a mix), so that neither
    row order, ids nor the writing transaction relate a ballot to the moment, and so to the
    deputy, of its casting. Contents are unchanged: the digest and every count stay the same."""
    with transaction.atomic():
        if not locked:
            vote = lock_vote(vote)
        if connection.vendor == "postgresql":
            count = _mix_in_postgresql(vote)
        else:
            count = _mix_in_python(vote)
        ProjectVote.objects.filter(pk=vote.pk).update(mixed_ballot_count=count)
        transaction.on_commit(lambda: _vacuum(full=full_vacuum))
    return count


def _mix_in_postgresql(vote):
    """The mix in a few statements: new ids from gen_random_uuid() (the server's strong random
    source), the rows written back in the order of those ids. The temporary table is private to
    the session, not WAL-logged, and dropped at commit."""
    # `table` is the model's own table name, never input; values go as parameters (S608 below).
    table = Ballot._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS votes_mix")
        cursor.execute(
            f"CREATE TEMP TABLE votes_mix ON COMMIT DROP AS "  # noqa: S608
            f"SELECT gen_random_uuid() AS id, content, voter_id FROM {table} WHERE vote_id = %s",
            [vote.pk],
        )
        cursor.execute(f"DELETE FROM {table} WHERE vote_id = %s", [vote.pk])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} (id, vote_id, content, voter_id) "  # noqa: S608
            f"SELECT id, %s, content, voter_id FROM votes_mix ORDER BY id",
            [vote.pk],
        )
        return cursor.rowcount


def _mix_in_python(vote):
    """The same mix for SQLite (the embedded database of `make run`)."""
    rows = list(Ballot.objects.filter(vote=vote).values_list("content", "voter_id"))
    _random.shuffle(rows)
    Ballot.objects.filter(vote=vote).delete()
    Ballot.objects.bulk_create(
        [Ballot(id=uuid.uuid4(), vote=vote, content=content, voter_id=voter) for content, voter in rows],
        batch_size=1000,
    )
    return len(rows)


def mix_pending_ballots():
    """Mix every vote whose ballots changed since its last mix (run every minute by beat)."""
    pending = (
        ProjectVote.objects.filter(status=VoteStatus.VOTING)
        .annotate(n=Count("ballots"))
        .exclude(n=F("mixed_ballot_count"))
    )
    return sum(mix_ballots(vote) for vote in pending)


def ballot_lines(vote):
    """The canonical line of every ballot of the vote (unsorted)."""
    return list(Ballot.objects.filter(vote=vote).values_list("content", flat=True))


def vote_result(vote, *, with_lines=False):
    """The count of a vote: tally.decide over one aggregate query that counts, per candidate, the
    ballots with Y, N or A at that candidate's position."""
    candidates = _candidates(vote)
    marks = {f"m{number}": Substr("content", number, 1) for _cid, number in candidates}
    aggregates = {
        f"{name}{number}": Count("id", filter=Q(**{f"m{number}": letter}))
        for _cid, number in candidates
        for name, letter in (("approve", tally.APPROVE), ("against", tally.AGAINST), ("abstain", tally.ABSTAIN))
    }
    totals = Ballot.objects.filter(vote=vote).annotate(**marks).aggregate(ballots=Count("id"), **aggregates)
    counts = [
        tally.CandidateCount(cid, number, totals[f"approve{number}"], totals[f"against{number}"],
                             totals[f"abstain{number}"])
        for cid, number in candidates
    ]
    invalid = vote.paper_slips.filter(status=PaperSlip.Status.COUNTED, invalid=True).count()
    result = tally.decide(
        counts, seats=vote.seats, eligible=vote.eligible_count or 0, cast=totals["ballots"] + invalid,
        invalid=invalid, threshold_ratio=vote.threshold_ratio, basis=vote.threshold_basis,
    )
    return (result, ballot_lines(vote)) if with_lines else result


def turnout(vote):
    """Who has voted, in numbers: eligible, online votes, paper voters, paper slips counted."""
    voters = vote.voters.aggregate(
        eligible=Count("pk"),
        online=Count("pk", filter=Q(voted=True, channel=VoterRecord.Channel.ONLINE)),
        paper_voters=Count("pk", filter=Q(channel=VoterRecord.Channel.PAPER)),
    )
    slips = vote.paper_slips.aggregate(
        counted=Count("pk", filter=Q(status=PaperSlip.Status.COUNTED)),
        invalid=Count("pk", filter=Q(status=PaperSlip.Status.COUNTED, invalid=True)),
        unfinished=Count("pk", filter=~Q(status=PaperSlip.Status.COUNTED)),
    )
    cast = voters["online"] + slips["counted"]
    eligible = vote.eligible_count or voters["eligible"]
    return {
        "seats_ended": seats_ended_meanwhile(vote),
        **voters, "eligible": eligible, "paper_counted": slips["counted"],
        "paper_invalid": slips["invalid"], "paper_unfinished": slips["unfinished"], "cast": cast,
        "percent": round(100 * cast / eligible, 1) if eligible else 0.0,
    }


def results_visible_to(vote, user, now=None):
    """'full', 'turnout' or None: what of a vote's result `user` may see now.

    Everyone sees published results. Staff running the vote see the count once the window has
    closed, and before that only the turnout."""
    if vote.is_public:
        return "full"
    if not (manage_votes.has(user) and vote.status == VoteStatus.VOTING):
        return None
    if not covers(user, vote.congress.region):
        return None
    return "full" if vote.window_state(now) == "closed" else "turnout"
