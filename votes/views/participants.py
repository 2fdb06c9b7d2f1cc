"""Pages for deputies (ballot, proposals, evaluation) and departments (feasibility answers)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import role_required
from votes import selectors, services, tally
from votes.forms import BallotForm, EvaluationForm, FeasibilityAnswerForm, ProposalForm
from votes.models import Evaluation, VoteStatus
from votes.permissions import cast_ballots, manage_votes, propose_projects, view_votes, work_on_projects
from votes.views import attempt, status_for
from votes.views.staff import vote_list


@role_required(view_votes)
def home(request):
    """民生实事票决: the staff list, a deputy's votes, or a department's tasks."""
    user = request.user
    if manage_votes.has(user):
        return vote_list(request)
    if user.role == Role.UNIT:
        return render(request, "votes/unit_home.html", {
            "requests": selectors.feasibility_for_unit(user),
            "projects": selectors.projects_of_unit(user),
            "collecting": selectors.collecting_votes(),
        })
    deputy = services.deputy_of(user)
    votes = selectors.deputy_votes(deputy) if deputy else []
    now = timezone.now()
    for vote in votes:
        vote.refusal = tally.refusal(status=vote.status, window=vote.window_state(now), record=vote.my_record)
    # The collecting votes of the congresses the deputy sits in.
    collecting = selectors.collecting_votes(deputy.township_id if deputy else None).filter(
        congress__in=deputy.congresses() if deputy else []
    )
    return render(request, "votes/deputy_home.html", {
        "deputy": deputy, "votes": votes, "collecting": collecting,
    })


@role_required(view_votes)
def vote_overview(request, pk):
    """A vote as a deputy or a department sees it (staff are sent to their dashboard)."""
    if manage_votes.has(request.user):
        return redirect("votes:manage", pk=pk)
    vote = selectors.visible_vote(request.user, pk)
    record = services.voter_record(vote, request.user)
    context = {
        "vote": vote, "record": record,
        "refusal": tally.refusal(status=vote.status, window=vote.window_state(), record=record),
        "candidates": selectors.ballot_candidates(vote) if vote.status != VoteStatus.COLLECTING else [],
        "can_evaluate": bool(record and vote.status == VoteStatus.IMPLEMENTING and vote.evaluation_opened_at),
    }
    return render(request, "votes/vote_overview.html", context)


@role_required(cast_ballots)
def ballot(request, pk):
    """The ballot on a phone: mark every candidate, confirm, cast (final)."""
    vote = selectors.visible_vote(request.user, pk)
    record = services.voter_record(vote, request.user)
    refusal = tally.refusal(status=vote.status, window=vote.window_state(), record=record)
    candidates = selectors.ballot_candidates(vote)
    if refusal:
        return render(request, "votes/ballot.html", {"vote": vote, "refusal": refusal[1]},
                      status=200 if request.method == "GET" else 409)
    form = BallotForm(request.POST or None, vote=vote, candidates=candidates)
    step = request.POST.get("confirm")
    if request.method == "POST" and form.is_valid() and step != "0":  # "0": back to editing
        if step != "1":
            rows = [(c, form.marks()[c.pk]) for c in candidates]
            return render(request, "votes/ballot_confirm.html", {
                "vote": vote, "form": form, "rows": rows, "approved": len(form.approve),
            })
        if attempt(form, lambda: services.cast_ballot(
                vote, by=request.user, approve=form.approve, abstain=form.abstain)):
            messages.success(request, _("投票成功。您的选票已经记录，不能修改。感谢您履行代表职责！"))
            return redirect("votes:overview", pk=pk)
    return render(request, "votes/ballot.html", {
        "vote": vote, "form": form, "candidates": candidates,
    }, status=status_for(form))


@role_required(cast_ballots)
def evaluate(request, pk):
    """The deputy's year-end rating of every elected project."""
    vote = selectors.visible_vote(request.user, pk)
    record = services.voter_record(vote, request.user)
    if record is None:
        raise PermissionDenied(_("您不是本次票决的代表。"))
    open_now = vote.status == VoteStatus.IMPLEMENTING and vote.evaluation_opened_at
    projects = list(vote.candidates.elected().select_related("responsible_unit").order_by("rank", "number"))
    mine = {e.candidate_id: e for e in Evaluation.objects.filter(candidate__in=projects, deputy=record.deputy)}
    initial = {}
    for pk_, evaluation in mine.items():
        initial[f"r{pk_}"], initial[f"m{pk_}"] = evaluation.rating, evaluation.comment
    form = EvaluationForm(request.POST or None, projects=projects, initial=initial)
    if request.method == "POST" and open_now and form.is_valid():
        def save_all():
            for project, rating, comment in form.ratings():
                services.evaluate_project(project, by=request.user, rating=rating, comment=comment)
            return True

        if attempt(form, save_all):
            messages.success(request, _("测评已提交，结束测评前可以修改。"))
            return redirect("votes:overview", pk=pk)
    return render(request, "votes/evaluate.html", {
        "vote": vote, "form": form, "open_now": open_now, "done": bool(mine),
    }, status=status_for(form))


def _propose(request, vote, *, done, next_url):
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if attempt(form, lambda: services.submit_proposal(vote, by=request.user, **form.cleaned_data)):
            messages.success(request, done)
            return redirect(next_url)
    return render(request, "votes/proposal_form.html", {"vote": vote, "form": form}, status=status_for(form))


@role_required(propose_projects)
def propose(request, pk):
    """A deputy or a department proposes a project from their account."""
    return _propose(request, selectors.visible_vote(request.user, pk), next_url=reverse("votes:home"),
                    done=_("项目建议已提交，工作人员筛选后会列入候选项目或说明理由。"))


@role_required(manage_votes)
def staff_propose(request, pk):
    """Staff type in a proposal collected offline (at a station, in a letter)."""
    return _propose(request, selectors.managed_vote(request.user, pk),
                    next_url=reverse("votes:proposals", args=[pk]), done=_("已录入项目建议。"))


@role_required(work_on_projects)
def feasibility_answer(request, request_pk):
    item = get_object_or_404(selectors.feasibility_for_unit(request.user), pk=request_pk)
    form = FeasibilityAnswerForm(request.POST or None)
    if request.method == "POST" and not item.is_answered and form.is_valid():
        if attempt(form, lambda: services.answer_feasibility(item, by=request.user, **form.cleaned_data)):
            messages.success(request, _("论证意见已提交。"))
            return redirect("votes:home")
    return render(request, "votes/feasibility_answer.html", {"item": item, "form": form},
                  status=status_for(form))

