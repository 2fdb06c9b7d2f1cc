"""An elected project's working page: the plan and milestones (staff), monthly progress (the
responsible unit) and inspection notes (deputies)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from votes import selectors, services
from votes.forms import InspectionForm, MilestoneForm, PlanForm, ProgressForm
from votes.models import Candidate, Milestone, ProjectVote, VoterRecord, VoteStatus
from votes.permissions import manage_votes, view_votes
from votes.views import attempt, status_for


def _roles(user, project):
    """What `user` may do on `project`'s page."""
    staff = manage_votes.has(user) and ProjectVote.objects.managed_by(user).filter(pk=project.vote_id).exists()
    unit = user.role == Role.UNIT and user.handling_unit_id == project.responsible_unit_id
    deputy = services.deputy_of(user)
    inspector = bool(deputy) and VoterRecord.objects.filter(vote_id=project.vote_id, deputy=deputy).exists()
    return {"staff": staff, "unit": unit, "inspector": inspector}


def _project(request, pk):
    project = selectors.project_detail(Candidate.objects.filter(elected=True), pk)
    roles = _roles(request.user, project)
    if not (any(roles.values()) or project.vote.is_public):
        raise Http404("project not visible")
    return project, roles


def _page(request, project, roles, *, status=200, **forms):
    implementing = project.vote.status == VoteStatus.IMPLEMENTING
    context = {
        "project": project, "vote": project.vote, "roles": roles, "implementing": implementing,
        "plan_form": forms.get("plan_form") or PlanForm(instance=project),
        "milestone_form": forms.get("milestone_form") or MilestoneForm(),
        "progress_form": forms.get("progress_form") or ProgressForm(
            initial={"percent": project.progress_percent}),
        "inspection_form": forms.get("inspection_form") or InspectionForm(),
        "can_plan": roles["staff"] and project.vote.status in services.projects.PLAN_STATUSES,
        "can_complete": (roles["staff"] or roles["unit"]) and project.vote.status in services.projects.PLAN_STATUSES,
        "today": timezone.localdate(),
    }
    return render(request, "votes/project_manage.html", context, status=status)


@role_required(view_votes)
def project_page(request, pk):
    project, roles = _project(request, pk)
    return _page(request, project, roles)


def _project_action(form_name, form_class, allowed, run, done):
    @role_required(view_votes)
    @require_POST
    def view(request, pk):
        project, roles = _project(request, pk)
        if not roles[allowed]:
            raise Http404("not allowed here")
        form = form_class(request.POST, request.FILES, **({"instance": project} if form_class is PlanForm else {}))
        if form.is_valid() and attempt(form, lambda: run(request, project, form.cleaned_data)) is not None:
            messages.success(request, done)
            return redirect("votes:project", pk=pk)
        project, roles = _project(request, pk)
        return _page(request, project, roles, status=status_for(form), **{form_name: form})

    return view


project_plan = _project_action(
    "plan_form", PlanForm, "staff",
    lambda request, project, data: services.update_project_plan(
        Candidate.objects.select_related("vote").get(pk=project.pk), by=request.user, **data),
    _("实施安排已保存。"),
)
milestone_add = _project_action(
    "milestone_form", MilestoneForm, "staff",
    lambda request, project, data: services.add_milestone(project, by=request.user, **data),
    _("已添加实施节点。"),
)
progress_report = _project_action(
    "progress_form", ProgressForm, "unit",
    lambda request, project, data: services.report_progress(project, by=request.user, **data),
    _("本月进展已报送。"),
)
inspection_add = _project_action(
    "inspection_form", InspectionForm, "inspector",
    lambda request, project, data: services.add_inspection(project, by=request.user, **data),
    _("视察记录已保存。"),
)


@role_required(view_votes)
@require_POST
def milestone_done(request, pk, milestone_pk):
    project, roles = _project(request, pk)
    if not (roles["staff"] or roles["unit"]):
        raise Http404("not allowed here")
    milestone = get_object_or_404(Milestone.objects.select_related("candidate__vote"), pk=milestone_pk, candidate=project)
    services.complete_milestone(milestone, by=request.user)
    messages.success(request, _("节点“%(title)s”已完成。") % {"title": milestone.title})
    return redirect("votes:project", pk=pk)
