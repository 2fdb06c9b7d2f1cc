"""A vote's yearly cycle: collecting → screening → voting → published → implementing → evaluated.

Each move is one staff action here, checked against models.TRANSITIONS and recorded on the
vote's timeline (VoteEvent) and in the audit log."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from core.exceptions import DomainError, TransitionNotAllowed
from deputies.models import Deputy, Seat
from divisions.scope import covers, scope_label
from votes import notices, tally
from votes.models import TRANSITIONS, Candidate, PaperSlip, ProjectVote, VoterRecord, VoteStatus
from votes.permissions import manage_votes
from votes.services.common import check_manage, lock_vote, record_event, require_status

# What staff may still change once a vote has left collecting/screening: nothing about the
# ballot. The window, seats, rules and mode are frozen when voting opens.
EDITABLE_STATUSES = (VoteStatus.COLLECTING, VoteStatus.SCREENING)


def _move(vote, to, *, by, note="", action=None):
    """Lock the vote, check the transition table, change status and record it."""
    check_manage(vote, by)
    vote = lock_vote(vote)
    if to not in TRANSITIONS[vote.status]:
        raise TransitionNotAllowed(
            _("票决当前为“%(from)s”，不能转为“%(to)s”。")
            % {"from": vote.get_status_display(), "to": VoteStatus(to).label}
        )
    previous = vote.status
    vote.status = to
    vote.save(update_fields=["status", "updated_at"])
    record_event(vote, action or to, by=by, note=note, from_status=previous, to_status=to)
    return vote


def _check_scope(by, congress):
    if congress is not None and not covers(by, congress.region):
        raise DomainError(_("您只能为%(scope)s的人大创建票决。") % {"scope": scope_label(by)})


@transaction.atomic
def create_vote(*, by, **fields):
    """Start a year's vote in the collecting stage."""
    manage_votes.check(by)
    _check_scope(by, fields.get("congress"))
    vote = ProjectVote(status=VoteStatus.COLLECTING, **fields)
    vote.full_clean()
    vote.save()
    record_event(vote, "created", by=by, to_status=vote.status)
    return vote


@transaction.atomic
def update_vote(vote, *, by, **fields):
    """Change a vote's settings while it is collecting or screening."""
    check_manage(vote, by)
    vote = lock_vote(vote)
    require_status(
        vote, *EDITABLE_STATUSES, message=_("投票开始后，票决的设置（应选数、投票时间、规则）不能再修改。")
    )
    for name, value in fields.items():
        setattr(vote, name, value)
    _check_scope(by, vote.congress)
    vote.full_clean()
    vote.save()
    record_event(vote, "updated", by=by)
    return vote


@transaction.atomic
def start_screening(vote, *, by, note=""):
    """Stop collecting and screen what was collected (筛选初定)."""
    return _move(vote, VoteStatus.SCREENING, by=by, note=note)


@transaction.atomic
def reopen_collection(vote, *, by, note=""):
    """Back from screening to collecting, e.g. to extend the collection."""
    return _move(vote, VoteStatus.COLLECTING, by=by, note=note, action="reopened")


def _check_session(vote):
    session = vote.session
    if session is None:
        raise TransitionNotAllowed(_("请先选择票决所在的代表大会会议。"))
    if (session.congress_id, session.term) != (vote.congress_id, vote.term):
        raise TransitionNotAllowed(_("所选会议与票决的人大或届次不一致。"))


@transaction.atomic
def open_voting(vote, *, by, now=None):
    """Fix the ballot and freeze the electorate (审议票决).

    Refused unless the vote has its session and window and the candidate list is 差额 (more
    candidates than seats, by the vote's minimum). The active deputies of the vote's level and
    term (and township) at this moment are its electorate; later registry changes do not
    alter it."""
    now = now or timezone.now()
    check_manage(vote, by)
    vote = lock_vote(vote)
    require_status(vote, VoteStatus.SCREENING, message=_("只有筛选阶段的票决可以开始投票。"))
    _check_session(vote)
    if not vote.opens_at or not vote.closes_at:
        raise TransitionNotAllowed(_("请先设置投票开始和截止时间。"))
    if vote.closes_at <= now:
        raise TransitionNotAllowed(_("投票截止时间已过，请重新设置投票时间。"))
    candidates = list(vote.candidates.order_by("number", "pk"))
    if len(candidates) < vote.required_candidates:
        raise TransitionNotAllowed(
            _("实行差额票决：应选 %(seats)s 个项目，候选项目至少需要 %(need)s 个，目前只有 %(have)s 个。")
            % {"seats": vote.seats, "need": vote.required_candidates, "have": len(candidates)}
        )
    for number, candidate in enumerate(candidates, start=1):
        if candidate.number != number:
            Candidate.objects.filter(pk=candidate.pk).update(number=1000 + number)
    for number, candidate in enumerate(candidates, start=1):
        if candidate.number != number:
            Candidate.objects.filter(pk=candidate.pk).update(number=number)
    electorate = Deputy.objects.active().filter(
        pk__in=Seat.objects.active().filter(congress_id=vote.congress_id, term=vote.term).values("deputy_id"))
    deputy_ids = list(electorate.order_by("pk").values_list("pk", flat=True))
    if not deputy_ids:
        raise TransitionNotAllowed(_("没有符合条件的在任代表，无法开始投票。"))
    VoterRecord.objects.bulk_create(
        [VoterRecord(vote=vote, deputy_id=pk) for pk in deputy_ids], batch_size=1000
    )
    vote.eligible_count = len(deputy_ids)
    vote.status = VoteStatus.VOTING
    vote.save(update_fields=["eligible_count", "status", "updated_at"])
    record_event(
        vote, VoteStatus.VOTING, by=by, from_status=VoteStatus.SCREENING, to_status=VoteStatus.VOTING,
        note=_("候选项目 %(c)s 个，应选 %(s)s 个，投票代表 %(n)s 名。")
        % {"c": len(candidates), "s": vote.seats, "n": len(deputy_ids)},
    )
    outbox.enqueue("votes.tasks.notify_electorate", vote_id=vote.pk, event="opened")
    return vote


@transaction.atomic
def close_voting(vote, *, by, now=None):
    """End the voting window now (before its set closing time)."""
    now = now or timezone.now()
    check_manage(vote, by)
    vote = lock_vote(vote)
    require_status(vote, VoteStatus.VOTING)
    if vote.window_state(now) == "closed":
        raise TransitionNotAllowed(_("投票已经截止。"))
    if vote.opens_at > now:
        vote.opens_at = now
    vote.closes_at = now
    vote.save(update_fields=["opens_at", "closes_at", "updated_at"])
    record_event(vote, "closed", by=by, note=_("工作人员提前结束投票。"))
    return vote


@transaction.atomic
def publish_results(vote, *, by, now=None):
    """Count and publish (公布结果). Refused while the window is open or paper ballots are not
    all entered twice in agreement. Mixes the ballots a last time, stores the SHA-256 digest of
    the canonical ballot list and marks the elected candidates."""
    from votes.services.ballots import mix_ballots, vote_result

    now = now or timezone.now()
    check_manage(vote, by)
    vote = lock_vote(vote)
    require_status(vote, VoteStatus.VOTING, message=_("只有投票阶段的票决可以公布结果。"))
    if vote.window_state(now) != "closed":
        raise TransitionNotAllowed(_("投票尚未截止，不能公布结果。可以先“结束投票”。"))
    unfinished = vote.paper_slips.exclude(status=PaperSlip.Status.COUNTED).count()
    if unfinished:
        raise TransitionNotAllowed(
            _("还有 %(n)s 张纸质选票未完成两人一致录入，请先处理。") % {"n": unfinished}
        )
    mix_ballots(vote, locked=True)
    result, lines = vote_result(vote, with_lines=True)
    vote.result_digest = tally.digest(lines)
    vote.published_at = now
    ranks = {row.candidate_id: row.rank for row in result.rows}
    for candidate in vote.candidates.all():
        candidate.elected = candidate.pk in result.elected_ids
        candidate.rank = ranks.get(candidate.pk)
        candidate.save(update_fields=["elected", "rank"])
    previous = vote.status
    vote.status = VoteStatus.PUBLISHED
    vote.save(update_fields=["result_digest", "published_at", "status", "updated_at"])
    note = _("投票 %(cast)s 张（应投 %(eligible)s），当选 %(elected)s 个项目。") % {
        "cast": result.cast, "eligible": result.eligible, "elected": len(result.elected_ids)
    }
    if result.has_tie:
        note += _("另有 %(n)s 个项目票数相同争夺最后 %(seats)s 个名额，需再次投票。") % {
            "n": len(result.runoff_ids), "seats": result.runoff_seats
        }
    record_event(vote, VoteStatus.PUBLISHED, by=by, from_status=previous, to_status=vote.status, note=note)
    outbox.enqueue("votes.tasks.notify_electorate", vote_id=vote.pk, event="published")
    return vote


@transaction.atomic
def create_runoff(vote, *, by, opens_at=None, closes_at=None):
    """A run-off among the candidates tied at the last seat, for the seats left (再次投票)."""
    from votes.services.ballots import vote_result

    check_manage(vote, by)
    vote = lock_vote(vote)
    require_status(vote, VoteStatus.PUBLISHED, VoteStatus.IMPLEMENTING)
    result = vote_result(vote)
    if not result.has_tie:
        raise TransitionNotAllowed(_("本次票决没有并列的项目，不需要再次投票。"))
    if vote.runoffs.exists():
        raise TransitionNotAllowed(_("已经为本次票决创建过再次投票。"))
    runoff = ProjectVote.objects.create(
        title=_("%(title)s（再次投票）") % {"title": vote.title},
        year=vote.year, congress=vote.congress, term=vote.term,
        session=vote.session, description=vote.description, seats=result.runoff_seats,
        min_extra_candidates=1, min_candidate_ratio=1, threshold_basis=vote.threshold_basis,
        threshold_ratio=vote.threshold_ratio, secret=vote.secret, opens_at=opens_at,
        closes_at=closes_at, status=VoteStatus.SCREENING, runoff_of=vote,
    )
    tied = vote.candidates.filter(pk__in=result.runoff_ids).order_by("number")
    for number, candidate in enumerate(tied, start=1):
        Candidate.objects.create(
            vote=runoff, number=number, proposal=candidate.proposal, title=candidate.title,
            summary=candidate.summary, location=candidate.location,
            responsible_unit=candidate.responsible_unit, budget=candidate.budget,
            planned_completion=candidate.planned_completion,
        )
    record_event(runoff, "created", by=by, to_status=runoff.status,
                 note=_("由“%(title)s”最后名额票数相同产生。") % {"title": vote.title})
    record_event(vote, "runoff", by=by, note=_("已创建再次投票：%(title)s") % {"title": runoff.title})
    return runoff


@transaction.atomic
def start_implementation(vote, *, by, today=None):
    """Hand the elected projects to their responsible units (组织实施)."""
    today = today or timezone.localdate()
    check_manage(vote, by)
    elected = vote.candidates.elected()
    missing = [c.title for c in elected if c.responsible_unit_id is None]
    if missing:
        raise TransitionNotAllowed(
            _("以下当选项目还没有责任单位：%(titles)s") % {"titles": "、".join(missing)}
        )
    vote = _move(vote, VoteStatus.IMPLEMENTING, by=by)
    elected.filter(implementation_started_on__isnull=True).update(implementation_started_on=today)
    outbox.enqueue("votes.tasks.notify_project_units", vote_id=vote.pk)
    return vote


@transaction.atomic
def open_evaluation(vote, *, by, now=None):
    """Open the year-end evaluation (测评) of the elected projects to the deputies."""
    check_manage(vote, by)
    vote = lock_vote(vote)
    require_status(vote, VoteStatus.IMPLEMENTING, message=_("项目实施阶段才能开展年终测评。"))
    if vote.evaluation_opened_at:
        raise TransitionNotAllowed(_("年终测评已经开始。"))
    vote.evaluation_opened_at = now or timezone.now()
    vote.save(update_fields=["evaluation_opened_at", "updated_at"])
    record_event(vote, "evaluation_opened", by=by)
    outbox.enqueue("votes.tasks.notify_electorate", vote_id=vote.pk, event="evaluation")
    return vote


@transaction.atomic
def finish_evaluation(vote, *, by, note=""):
    """Close the evaluation; the per-project summary is final (已测评)."""
    check_manage(vote, by)
    vote = lock_vote(vote)
    if not vote.evaluation_opened_at:
        raise TransitionNotAllowed(_("请先开始年终测评。"))
    rated = (
        vote.candidates.elected()
        .annotate(n=Count("evaluations"))
        .filter(n=0)
        .values_list("title", flat=True)
    )
    if rated and not note:
        raise TransitionNotAllowed(
            _("以下项目还没有代表测评：%(titles)s。如确需结束，请填写说明。")
            % {"titles": "、".join(rated)}
        )
    return _move(vote, VoteStatus.EVALUATED, by=by, note=note)


NOTICES = {
    "opened": notices.OPENED,
    "closing": notices.CLOSING,
    "published": notices.PUBLISHED,
    "evaluation": notices.EVALUATION,
}


def notify_electorate(vote, event):
    """Tell every deputy of the vote's electorate about `event` (once each: keyed by vote, event
    and user), all in one batch. Says nothing about any ballot."""
    from notifications.services import notify_many

    kind = NOTICES[event]
    params = {"vote": vote.title}
    if event == "opened":
        params.update(opens_at=vote.opens_at, closes_at=vote.closes_at)
    elif event == "closing":
        params["closes_at"] = vote.closes_at
    url = f"/projects/votes/{vote.pk}/" if event == "published" else f"/votes/{vote.pk}/"
    records = vote.voters.select_related("deputy__user").filter(deputy__user__isnull=False)
    recipients = [
        (record.deputy.user, f"votes-{event}:{vote.pk}:{record.deputy.user_id}") for record in records
    ]
    return len(notify_many(recipients, kind=kind, params=params, url=url))


def send_closing_reminders(now=None):
    """Hourly: remind the electorate of every vote closing within VOTES_CLOSING_REMINDER_HOURS
    (once per vote and deputy, to every deputy alike: nothing tells who has voted).
    Returns how many reminders were new."""
    now = now or timezone.now()
    soon = now + timedelta(hours=settings.VOTES_CLOSING_REMINDER_HOURS)
    votes = ProjectVote.objects.filter(status=VoteStatus.VOTING, closes_at__gt=now, closes_at__lte=soon)
    return sum(notify_electorate(vote, "closing") for vote in votes)


def notify_project_units(vote):
    """Tell each responsible unit's users which elected projects they now carry out."""
    from notifications.services import notify

    sent = 0
    for project in vote.candidates.elected().select_related("responsible_unit").prefetch_related(
        "responsible_unit__users"
    ):
        for user in project.responsible_unit.users.all():
            note = notify(
                user, key=f"votes-project-assigned:{project.pk}:{user.pk}", kind=notices.PROJECT_ASSIGNED,
                params={"project": project.title}, url=f"/votes/projects/{project.pk}/",
            )
            sent += note is not None
    return sent
