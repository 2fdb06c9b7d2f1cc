"""Collecting (广泛征集) and screening (筛选初定): proposals from the public, stations, deputies and
departments; merging duplicates; feasibility requests to departments; the candidate list."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from core import abuse
from core.exceptions import DomainError, TransitionNotAllowed
from notifications.services import notify
from votes import notices
from votes.models import (
    Candidate,
    FeasibilityRequest,
    Proposal,
    ProposalSource,
    ProposalStatus,
    VoteStatus,
)
from votes.permissions import work_on_projects
from votes.services.common import check_manage, deputy_of, lock_vote, record_event, require_status

PUBLIC_SCOPE = "project-proposal"
PROPOSAL_FIELDS = ("title", "description", "location", "beneficiaries")
SCREENING_STATUSES = (VoteStatus.COLLECTING, VoteStatus.SCREENING)


def _source_for(by, station_code):
    """Where a proposal comes from, decided by who submits it (never by the form)."""
    if by is None or not by.is_authenticated:
        return (ProposalSource.STATION if station_code else ProposalSource.PUBLIC), {}
    if by.role == Role.DEPUTY:
        deputy = deputy_of(by)
        if deputy is None:
            raise PermissionDenied(_("您的账号没有关联代表信息，请联系工作人员。"))
        return ProposalSource.DEPUTY, {"deputy": deputy}
    if by.role == Role.UNIT:
        return ProposalSource.DEPARTMENT, {"handling_unit_id": by.handling_unit_id}
    return (ProposalSource.STATION if station_code else ProposalSource.STAFF), {}


@transaction.atomic
def submit_proposal(vote, *, by=None, station_code="", station_name="", contact_name="",
                    contact_phone="", **fields):
    """Record a proposed project. The public, deputies and departments propose while the vote is
    collecting; staff may also enter proposals gathered offline during screening."""
    staff = by is not None and by.is_authenticated and by.role in (Role.ADMIN, Role.STAFF)
    if staff:
        check_manage(vote, by)
    allowed = SCREENING_STATUSES if staff else (VoteStatus.COLLECTING,)
    require_status(vote, *allowed, message=_("本次民生实事项目征集已经结束。"))
    source, links = _source_for(by, station_code)
    proposal = Proposal(
        vote=vote, source=source, station_code=station_code, station_name=station_name,
        contact_name=contact_name, contact_phone=contact_phone,
        submitted_by=by if by is not None and by.is_authenticated else None,
        **links, **{name: fields.get(name, "") for name in PROPOSAL_FIELDS},
    )
    proposal.full_clean()
    proposal.save()
    return proposal


def submit_public_proposal(request, vote, *, data, station_code="", station_name=""):
    """A proposal from the public page (or a station's page), after the same anti-abuse checks
    as public opinions: honeypot, submissions per IP per hour, the same text within 24 hours.
    A refused submission saves nothing."""
    abuse.check_honeypot(request.POST)
    require_status(vote, VoteStatus.COLLECTING, message=_("本次民生实事项目征集已经结束。"))
    abuse.check_submission_rate(request, PUBLIC_SCOPE)
    text = f"{data.get('title', '')}\n{data.get('description', '')}"
    abuse.check_duplicate(request, PUBLIC_SCOPE, text)
    try:
        return submit_proposal(
            vote, by=None, station_code=station_code, station_name=station_name,
            contact_name=data.get("contact_name", ""), contact_phone=data.get("contact_phone", ""),
            **{name: data.get(name, "") for name in PROPOSAL_FIELDS},
        )
    except Exception:
        abuse.forget_duplicate(request, PUBLIC_SCOPE, text)
        raise


@transaction.atomic
def merge_proposals(target, *, duplicates, by):
    """Fold duplicate proposals into `target` (合并重复); they stay on record as merged."""
    vote = target.vote
    check_manage(vote, by)
    require_status(vote, *SCREENING_STATUSES)
    if target.status in (ProposalStatus.MERGED, ProposalStatus.REJECTED):
        raise TransitionNotAllowed(_("不能合并到已合并或未采纳的建议。"))
    merged = []
    for proposal in duplicates:
        if proposal.pk == target.pk or proposal.vote_id != vote.pk:
            continue
        if proposal.status != ProposalStatus.NEW:
            raise TransitionNotAllowed(
                _("“%(title)s”已经处理过，不能再合并。") % {"title": proposal.title}
            )
        proposal.status = ProposalStatus.MERGED
        proposal.merged_into = target
        proposal.status_reason = _("与“%(title)s”重复，已合并。") % {"title": target.title}
        proposal.save(update_fields=["status", "merged_into", "status_reason"])
        merged.append(proposal)
    if not merged:
        raise DomainError(_("请选择要合并的重复建议。"))
    record_event(vote, "merged", by=by, note=_("%(n)s 条建议合并到“%(title)s”。") % {
        "n": len(merged), "title": target.title})
    return merged


@transaction.atomic
def reject_proposal(proposal, *, by, reason):
    """Set a proposal aside with a reason (未采纳)."""
    check_manage(proposal.vote, by)
    require_status(proposal.vote, *SCREENING_STATUSES)
    if proposal.status != ProposalStatus.NEW:
        raise TransitionNotAllowed(_("这条建议已经处理过。"))
    if not (reason or "").strip():
        raise DomainError(_("请填写不予采纳的理由。"))
    proposal.status = ProposalStatus.REJECTED
    proposal.status_reason = reason.strip()
    proposal.save(update_fields=["status", "status_reason"])
    return proposal


@transaction.atomic
def request_feasibility(proposal, *, unit, due_date, question="", by, today=None):
    """Ask a department to check a proposal's feasibility, cost and timeline (可行性论证)."""
    today = today or timezone.localdate()
    check_manage(proposal.vote, by)
    require_status(proposal.vote, *SCREENING_STATUSES)
    if proposal.status in (ProposalStatus.MERGED, ProposalStatus.REJECTED):
        raise TransitionNotAllowed(_("已合并或未采纳的建议不需要论证。"))
    if due_date < today:
        raise DomainError(_("答复期限不能早于今天。"))
    if proposal.feasibility_requests.filter(unit=unit, answered_at__isnull=True).exists():
        raise TransitionNotAllowed(_("已经请%(unit)s论证，正在等待答复。") % {"unit": unit.name})
    request = FeasibilityRequest.objects.create(
        proposal=proposal, unit=unit, due_date=due_date, question=question, requested_by=by
    )
    for user in unit.users.filter(is_active=True, role=Role.UNIT):
        notify(
            user, key=f"votes-feasibility:{request.pk}:{user.pk}", kind=notices.FEASIBILITY_REQUESTED,
            params={"project": proposal.title, "due": due_date}, url=f"/votes/feasibility/{request.pk}/",
        )
    return request


@transaction.atomic
def answer_feasibility(request, *, by, feasible, cost_estimate=None, responsible_unit=None,
                       timeline="", opinion="", now=None):
    """The department's answer: feasible or not, estimated cost, responsible unit, timeline."""
    work_on_projects.check(by)
    request = FeasibilityRequest.objects.select_for_update().get(pk=request.pk)
    if by.handling_unit_id != request.unit_id:
        raise PermissionDenied(_("这项论证不是请贵单位答复的。"))
    if request.is_answered:
        raise TransitionNotAllowed(_("这项论证已经答复过了。"))
    if feasible and cost_estimate is None:
        raise DomainError(_("认为可行时请填写估算投资。"))
    request.feasible = feasible
    request.cost_estimate = cost_estimate
    request.responsible_unit = responsible_unit
    request.timeline = timeline
    request.opinion = opinion
    request.answered_by = by
    request.answered_at = now or timezone.now()
    request.save()
    notify(
        request.requested_by, key=f"votes-feasibility-answered:{request.pk}", kind=notices.FEASIBILITY_ANSWERED,
        params={"unit": request.unit.name, "project": request.proposal.title},
        url=f"/votes/{request.proposal.vote_id}/proposals/{request.proposal_id}/",
    )
    return request


def _next_number(vote):
    return (vote.candidates.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def add_candidate(vote, *, by, proposal=None, **fields):
    """Put a project on the candidate list (fixing the list, 确定候选项目)."""
    check_manage(vote, by)
    vote = lock_vote(vote)
    require_status(vote, *SCREENING_STATUSES, message=_("投票开始后候选项目不能再变动。"))
    if proposal is not None:
        if proposal.vote_id != vote.pk:
            raise DomainError(_("这条建议不属于本次票决。"))
        if proposal.status != ProposalStatus.NEW:
            raise TransitionNotAllowed(_("这条建议已经处理过。"))
    candidate = Candidate(vote=vote, number=_next_number(vote), proposal=proposal, **fields)
    candidate.full_clean()
    candidate.save()
    if proposal is not None:
        proposal.status = ProposalStatus.CANDIDATE
        proposal.save(update_fields=["status"])
    return candidate


@transaction.atomic
def update_candidate(candidate, *, by, **fields):
    """Edit a candidate while the list is still open."""
    check_manage(candidate.vote, by)
    require_status(candidate.vote, *SCREENING_STATUSES, message=_("投票开始后候选项目不能再变动。"))
    for name, value in fields.items():
        setattr(candidate, name, value)
    candidate.full_clean()
    candidate.save()
    return candidate


@transaction.atomic
def remove_candidate(candidate, *, by):
    """Take a project off the candidate list before voting; its proposal returns to screening
    and the remaining candidates are renumbered."""
    vote = candidate.vote
    check_manage(vote, by)
    vote = lock_vote(vote)
    require_status(vote, *SCREENING_STATUSES, message=_("投票开始后候选项目不能再变动。"))
    if candidate.proposal_id:
        Proposal.objects.filter(pk=candidate.proposal_id).update(status=ProposalStatus.NEW)
    candidate.delete()
    for number, other in enumerate(vote.candidates.order_by("number"), start=1):
        if other.number != number:
            other.number = number
            other.save(update_fields=["number"])
    return vote
