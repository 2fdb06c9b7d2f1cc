"""Implementation (组织实施) and evaluation (监督评议) of the elected projects: plans and
milestones, the responsible unit's monthly progress with a monthly reminder, deputies'
inspections, and the year-end rating with its summary."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from core.exceptions import DomainError, TransitionNotAllowed
from notifications.services import notify
from votes import notices
from votes.models import (
    Candidate,
    Evaluation,
    Inspection,
    Milestone,
    ProgressReport,
    ProjectPhoto,
    Rating,
    VoterRecord,
    VoteStatus,
)
from votes.permissions import cast_ballots, inspect_projects, work_on_projects
from votes.services.common import check_manage, deputy_of, require_status

PLAN_STATUSES = (VoteStatus.PUBLISHED, VoteStatus.IMPLEMENTING)


def _fresh(candidate):
    """The candidate and its vote as stored now (the caller's copy may be stale)."""
    return Candidate.objects.select_related("vote").get(pk=candidate.pk)


def _require_elected(candidate):
    if not candidate.elected:
        raise TransitionNotAllowed(_("只有当选项目才有实施安排。"))


@transaction.atomic
def update_project_plan(candidate, *, by, responsible_unit, budget, planned_completion=None):
    """Staff set an elected project's responsible unit, budget and planned completion date."""
    candidate = _fresh(candidate)
    check_manage(candidate.vote, by)
    _require_elected(candidate)
    require_status(candidate.vote, *PLAN_STATUSES, message=_("项目已完成测评，实施安排不能再修改。"))
    candidate.responsible_unit = responsible_unit
    candidate.budget = budget
    candidate.planned_completion = planned_completion
    candidate.full_clean()
    candidate.save(update_fields=["responsible_unit", "budget", "planned_completion"])
    return candidate


@transaction.atomic
def add_milestone(candidate, *, by, title, due_date):
    candidate = _fresh(candidate)
    check_manage(candidate.vote, by)
    _require_elected(candidate)
    require_status(candidate.vote, *PLAN_STATUSES)
    milestone = Milestone(candidate=candidate, title=title, due_date=due_date)
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def complete_milestone(milestone, *, by, done_on=None):
    """Mark a milestone reached: staff, or the project's responsible unit."""
    candidate = milestone.candidate
    if not (by.role == Role.UNIT and by.handling_unit_id == candidate.responsible_unit_id):
        check_manage(candidate.vote, by)
    require_status(candidate.vote, *PLAN_STATUSES)
    if milestone.done_on:
        raise TransitionNotAllowed(_("这个节点已经完成。"))
    milestone.done_on = done_on or timezone.localdate()
    milestone.save(update_fields=["done_on"])
    return milestone


@transaction.atomic
def report_progress(candidate, *, by, text, percent, photos=(), today=None):
    """The responsible unit's progress for this month: revising this month's report if it was
    already sent (one report a month, 一月一督促). 100% marks the project completed."""
    candidate = _fresh(candidate)
    today = today or timezone.localdate()
    work_on_projects.check(by)
    if by.handling_unit_id != candidate.responsible_unit_id or not candidate.elected:
        raise PermissionDenied(_("这个项目不由贵单位负责。"))
    require_status(candidate.vote, VoteStatus.IMPLEMENTING, message=_("项目尚未进入实施阶段或已结束。"))
    if not 0 <= percent <= 100:
        raise DomainError(_("完成进度应在 0 到 100 之间。"))
    report, _created = ProgressReport.objects.update_or_create(
        candidate=candidate, month=today.replace(day=1),
        defaults={"text": text, "percent": percent, "reported_by": by},
    )
    for photo in photos:
        ProjectPhoto.objects.create(candidate=candidate, report=report, image=photo)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    candidate.progress_percent = percent
    candidate.completed_on = (candidate.completed_on or today) if percent == 100 else None
    candidate.save(update_fields=["progress_percent", "completed_on"])
    return report


def _electorate_deputy(vote, user):
    deputy = deputy_of(user)
    if deputy is None or not deputy.is_active:
        raise PermissionDenied(_("只有本次票决的代表可以参加。"))
    if not VoterRecord.objects.filter(vote=vote, deputy=deputy).exists():
        raise PermissionDenied(_("您不是本次票决的代表。"))
    return deputy


@transaction.atomic
def add_inspection(candidate, *, by, visited_on, note, photos=(), today=None):
    """A deputy's inspection note on an elected project (代表视察)."""
    candidate = _fresh(candidate)
    inspect_projects.check(by)
    _require_elected(candidate)
    require_status(candidate.vote, VoteStatus.IMPLEMENTING, message=_("项目实施阶段才能记录视察。"))
    deputy = _electorate_deputy(candidate.vote, by)
    if visited_on > (today or timezone.localdate()):
        raise DomainError(_("视察日期不能晚于今天。"))
    inspection = Inspection.objects.create(
        candidate=candidate, deputy=deputy, visited_on=visited_on, note=note
    )
    for photo in photos:
        ProjectPhoto.objects.create(candidate=candidate, inspection=inspection, image=photo)
    return inspection


def send_progress_reminders(today=None):
    """Remind each responsible unit's users of every project without this month's progress
    report. Once a month each: the notification key carries project, month and user."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    projects = (
        Candidate.objects.filter(
            elected=True, vote__status=VoteStatus.IMPLEMENTING, completed_on__isnull=True,
            responsible_unit__isnull=False,
        )
        .exclude(progress_reports__month=month)
        .select_related("responsible_unit")
        .prefetch_related("responsible_unit__users")
    )
    sent = 0
    for project in projects:
        for user in project.responsible_unit.users.all():
            if user.role != Role.UNIT:
                continue
            note = notify(
                user, key=f"votes-progress:{project.pk}:{month:%Y-%m}:{user.pk}", kind=notices.PROGRESS_DUE,
                params={"project": project.title, "month": f"{month.year}年{month.month}月"},
                url=f"/votes/projects/{project.pk}/",
            )
            sent += note is not None
    return sent


@transaction.atomic
def evaluate_project(candidate, *, by, rating, comment=""):
    """A deputy's year-end rating of an elected project (满意/基本满意/不满意); may be changed
    until staff close the evaluation."""
    candidate = _fresh(candidate)
    cast_ballots.check(by)
    vote = candidate.vote
    _require_elected(candidate)
    if vote.status != VoteStatus.IMPLEMENTING or not vote.evaluation_opened_at:
        raise TransitionNotAllowed(_("年终测评尚未开始或已经结束。"))
    if rating not in Rating.values:
        raise DomainError(_("请选择满意、基本满意或不满意。"))
    deputy = _electorate_deputy(vote, by)
    evaluation, _created = Evaluation.objects.update_or_create(
        candidate=candidate, deputy=deputy, defaults={"rating": rating, "comment": comment}
    )
    return evaluation


def evaluation_summary(vote):
    """Per elected project: ratings by kind, total and 满意率 ((满意+基本满意)/total), from one
    aggregate query."""
    rows = (
        vote.candidates.elected()
        .select_related("responsible_unit")
        .annotate(
            satisfied=Count("evaluations", filter=Q(evaluations__rating=Rating.SATISFIED)),
            basic=Count("evaluations", filter=Q(evaluations__rating=Rating.BASIC)),
            unsatisfied=Count("evaluations", filter=Q(evaluations__rating=Rating.UNSATISFIED)),
        )
        .order_by("rank", "number")
    )
    summary = []
    for row in rows:
        total = row.satisfied + row.basic + row.unsatisfied
        row.rated = total
        row.satisfaction = round(100 * (row.satisfied + row.basic) / total, 1) if total else None
        summary.append(row)
    return summary

