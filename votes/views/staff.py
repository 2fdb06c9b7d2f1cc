"""Staff pages: running the yearly cycle of a vote."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from core.http import query_without_page
from votes import selectors, services
from votes.forms import (
    CandidateForm,
    FeasibilityRequestForm,
    MergeForm,
    PaperEntryForm,
    RejectForm,
    TransitionForm,
    VoteForm,
)
from votes.models import (
    Candidate,
    PaperSlip,
    ProjectVote,
    ProposalSource,
    ProposalStatus,
    VoterRecord,
    VoteStatus,
)
from votes.permissions import manage_votes
from votes.views import attempt, status_for
from votes.views.results import result_context

STEPS = [VoteStatus.COLLECTING, VoteStatus.SCREENING, VoteStatus.VOTING, VoteStatus.PUBLISHED,
         VoteStatus.IMPLEMENTING, VoteStatus.EVALUATED]


# name: (service, button label, what happens, takes a note)
ACTIONS = {
    "screen": (services.start_screening, gettext_lazy("结束征集，开始筛选"),
               gettext_lazy("停止接收群众、代表和部门的项目建议，进入筛选初定。"), True),
    "reopen": (services.reopen_collection, gettext_lazy("重新开放征集"),
               gettext_lazy("回到征集阶段，继续接收项目建议。"), True),
    "open": (services.open_voting, gettext_lazy("开始投票"),
             gettext_lazy("候选项目和投票设置将被锁定，在任代表名单随即冻结为投票代表名单，并通知每位代表。此操作不可撤销。"), False),
    "close": (services.close_voting, gettext_lazy("立即结束投票"),
              gettext_lazy("投票窗口立即关闭，此后不再接受网上投票。"), False),
    "publish": (services.publish_results, gettext_lazy("计票并公布结果"),
                gettext_lazy("统计全部选票，生成选票清单摘要（SHA-256），在公开页面公布结果并通知代表。此操作不可撤销。"), False),
    "runoff": (services.create_runoff, gettext_lazy("创建再次投票"),
               gettext_lazy("为最后名额票数相同的项目创建一次再次投票（进入筛选阶段，需另设投票时间）。"), False),
    "implement": (services.start_implementation, gettext_lazy("开始组织实施"),
                  gettext_lazy("当选项目交由责任单位实施，责任单位开始按月报送进展。"), False),
    "evaluate": (services.open_evaluation, gettext_lazy("开始年终测评"),
                 gettext_lazy("请代表对每个当选项目作出满意、基本满意或不满意的测评。"), False),
    "finish": (services.finish_evaluation, gettext_lazy("结束测评"),
               gettext_lazy("测评结果定稿，票决进入“已测评”。"), True),
}


def available_actions(vote, now=None):
    """The transitions a staff member may take now, by status (and window)."""
    window = vote.window_state(now)
    return {
        VoteStatus.COLLECTING: ["screen"],
        VoteStatus.SCREENING: ["reopen", "open"],
        VoteStatus.VOTING: ["close"] if window in ("before", "open") else ["publish"],
        VoteStatus.PUBLISHED: ["implement", "runoff"],
        VoteStatus.IMPLEMENTING: ["finish"] if vote.evaluation_opened_at else ["evaluate"],
        VoteStatus.EVALUATED: [],
    }[vote.status]


@role_required(manage_votes)
def vote_list(request):
    votes = selectors.votes_for_list(ProjectVote.objects.managed_by(request.user))
    page = Paginator(votes, 20).get_page(request.GET.get("page"))
    return render(request, "votes/vote_list.html", {"page_obj": page, "votes": page.object_list})


@role_required(manage_votes)
def vote_create(request):
    form = VoteForm(request.POST or None, user=request.user, initial={
        "year": timezone.localdate().year + 1, "term": 18, "seats": 10})
    if request.method == "POST" and form.is_valid():
        vote = attempt(form, lambda: services.create_vote(by=request.user, **form.cleaned_data))
        if vote:
            messages.success(request, _("已创建“%(title)s”，现在可以征集项目建议。") % {"title": vote.title})
            return redirect("votes:manage", pk=vote.pk)
    return render(request, "votes/vote_form.html", {"form": form}, status=status_for(form))


@role_required(manage_votes)
def vote_update(request, pk):
    vote = selectors.managed_vote(request.user, pk)
    form = VoteForm(request.POST or None, instance=vote, user=request.user)
    if request.method == "POST" and form.is_valid():
        fresh = ProjectVote.objects.get(pk=pk)
        if attempt(form, lambda: services.update_vote(fresh, by=request.user, **form.cleaned_data)):
            messages.success(request, _("已保存。"))
            return redirect("votes:manage", pk=pk)
    return render(request, "votes/vote_form.html", {"form": form, "vote": vote}, status=status_for(form))


@role_required(manage_votes)
def vote_manage(request, pk):
    vote = selectors.managed_vote(request.user, pk)
    candidates = selectors.ballot_candidates(vote)
    by_status = dict(vote.proposals.values_list("status").annotate(n=Count("pk")))
    by_source = dict(vote.proposals.values_list("source").annotate(n=Count("pk")))
    context = {
        "vote": vote,
        "steps": [(step, step == vote.status) for step in STEPS],
        "actions": [(name, ACTIONS[name][1]) for name in available_actions(vote)],
        "candidates": candidates,
        "proposal_counts": [(s.label, by_status.get(s.value, 0), s.value) for s in ProposalStatus],
        "source_counts": [(s.label, by_source.get(s.value, 0)) for s in ProposalSource],
        "proposal_total": sum(by_status.values()),
        "events": vote.events.select_related("by"),
        "window": vote.window_state(),
        "runoffs": list(vote.runoffs.all()),
    }
    if vote.status == VoteStatus.VOTING:
        context["turnout"] = services.turnout(vote)
    return render(request, "votes/vote_manage.html", context)


@role_required(manage_votes)
def vote_transition(request, pk, action):
    vote = selectors.managed_vote(request.user, pk)
    if action not in ACTIONS:
        raise Http404("unknown action")
    service, label, explanation, takes_note = ACTIONS[action]
    form = TransitionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        kwargs = {"note": form.cleaned_data["note"]} if takes_note else {}
        result = attempt(form, lambda: service(vote, by=request.user, **kwargs))
        if result is not None:
            messages.success(request, _("已完成：%(label)s。") % {"label": label})
            target = result if isinstance(result, ProjectVote) else vote
            return redirect("votes:manage", pk=target.pk)
    return render(
        request, "votes/transition_confirm.html",
        {"vote": vote, "form": form, "label": label, "explanation": explanation,
         "takes_note": takes_note, "action": action},
        status=status_for(form),
    )


@role_required(manage_votes)
def proposal_list(request, pk):
    vote = selectors.managed_vote(request.user, pk)
    status, source = request.GET.get("status", ""), request.GET.get("source", "")
    search = request.GET.get("q", "").strip()
    queryset = selectors.proposals_for_staff(vote, status=status, source=source, search=search)
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    return render(request, "votes/proposal_list.html", {
        "vote": vote, "page_obj": page, "proposals": page.object_list, "query": query_without_page(request),
        "statuses": ProposalStatus.choices, "sources": ProposalSource.choices,
        "status": status, "source": source, "q": search,
    })


def _proposal_page(request, vote, proposal, *, status=200, **forms):
    answered = [r for r in proposal.feasibility_requests.all() if r.is_answered and r.feasible]
    advice = answered[0] if answered else None
    context = {
        "vote": vote, "proposal": proposal,
        "merge_form": forms.get("merge_form") or MergeForm(target=proposal),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "feasibility_form": forms.get("feasibility_form") or FeasibilityRequestForm(),
        "candidate_form": forms.get("candidate_form") or CandidateForm(initial={
            "title": proposal.title, "summary": proposal.description, "location": proposal.location,
            "responsible_unit": advice.responsible_unit_id if advice else None,
            "budget": advice.cost_estimate if advice else None,
        }),
        "screening": vote.status in (VoteStatus.COLLECTING, VoteStatus.SCREENING),
    }
    return render(request, "votes/proposal_detail.html", context, status=status)


@role_required(manage_votes)
def proposal_detail(request, pk, proposal_pk):
    vote = selectors.managed_vote(request.user, pk)
    return _proposal_page(request, vote, selectors.proposal_detail(vote, proposal_pk))


def _proposal_action(form_name, form_class, run, done_message):
    """A POST on a proposal: validate the form, run the service, or show the page with errors."""

    @role_required(manage_votes)
    @require_POST
    def view(request, pk, proposal_pk):
        vote = selectors.managed_vote(request.user, pk)
        proposal = selectors.proposal_detail(vote, proposal_pk)
        kwargs = {"target": proposal} if form_class is MergeForm else {}
        form = form_class(request.POST, **kwargs)
        if form.is_valid() and attempt(form, lambda: run(request, vote, proposal, form.cleaned_data)):
            messages.success(request, done_message)
            return redirect("votes:proposal", pk=pk, proposal_pk=proposal_pk)
        return _proposal_page(request, vote, proposal, status=status_for(form), **{form_name: form})

    return view


proposal_merge = _proposal_action(
    "merge_form", MergeForm,
    lambda request, vote, proposal, data: services.merge_proposals(
        proposal, duplicates=data["duplicates"], by=request.user),
    _("已合并重复建议。"),
)
proposal_reject = _proposal_action(
    "reject_form", RejectForm,
    lambda request, vote, proposal, data: services.reject_proposal(
        proposal, by=request.user, reason=data["reason"]),
    _("已标记为未采纳。"),
)
proposal_feasibility = _proposal_action(
    "feasibility_form", FeasibilityRequestForm,
    lambda request, vote, proposal, data: services.request_feasibility(proposal, by=request.user, **data),
    _("已请承办单位进行可行性论证，对方会收到通知。"),
)
proposal_adopt = _proposal_action(
    "candidate_form", CandidateForm,
    lambda request, vote, proposal, data: services.add_candidate(
        vote, by=request.user, proposal=proposal, **data),
    _("已列为候选项目。"),
)


@role_required(manage_votes)
def candidate_create(request, pk):
    vote = selectors.managed_vote(request.user, pk)
    form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if attempt(form, lambda: services.add_candidate(vote, by=request.user, **form.cleaned_data)):
            messages.success(request, _("已添加候选项目。"))
            return redirect("votes:manage", pk=pk)
    return render(request, "votes/candidate_form.html", {"vote": vote, "form": form}, status=status_for(form))


def _managed_candidate(request, candidate_pk):
    candidate = get_object_or_404(Candidate.objects.select_related("vote"), pk=candidate_pk)
    selectors.managed_vote(request.user, candidate.vote_id)
    return candidate


@role_required(manage_votes)
def candidate_update(request, candidate_pk):
    candidate = _managed_candidate(request, candidate_pk)
    vote = candidate.vote
    form = CandidateForm(request.POST or None, instance=candidate)
    if request.method == "POST" and form.is_valid():
        fresh = Candidate.objects.select_related("vote").get(pk=candidate_pk)
        if attempt(form, lambda: services.update_candidate(fresh, by=request.user, **form.cleaned_data)):
            messages.success(request, _("已保存。"))
            return redirect("votes:manage", pk=vote.pk)
    return render(request, "votes/candidate_form.html",
                  {"vote": vote, "form": form, "candidate": candidate}, status=status_for(form))


@role_required(manage_votes)
@require_POST
def candidate_remove(request, candidate_pk):
    candidate = _managed_candidate(request, candidate_pk)
    services.remove_candidate(candidate, by=request.user)
    messages.success(request, _("已从候选项目中移除“%(title)s”。") % {"title": candidate.title})
    return redirect("votes:manage", pk=candidate.vote_id)


@role_required(manage_votes)
def voters(request, pk):
    vote = selectors.managed_vote(request.user, pk)
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("deputy") if v.isdigit()]
        if not ids:
            messages.error(request, _("请先勾选代表。"))
        else:
            paper = request.POST.get("mode") != "online"
            changed = services.mark_paper_voters(vote, deputy_ids=ids, by=request.user, paper=paper)
            messages.success(request, (_("%(n)s 名代表已登记为纸质投票。") if paper
                                       else _("%(n)s 名代表已改回网上投票。")) % {"n": changed})
        return redirect(request.get_full_path())
    channel, voted = request.GET.get("channel", ""), request.GET.get("voted", "")
    search = request.GET.get("q", "").strip()
    queryset = selectors.voters_for_staff(vote, channel=channel, voted=voted, search=search)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "votes/voters.html", {
        "vote": vote, "page_obj": page, "records": page.object_list, "query": query_without_page(request),
        "turnout": services.turnout(vote) if vote.status != VoteStatus.COLLECTING else None,
        "channels": VoterRecord.Channel.choices, "channel": channel, "voted": voted, "q": search,
        "can_mark": vote.status == VoteStatus.VOTING,
    })


@role_required(manage_votes)
def paper_ballots(request, pk):
    vote = selectors.managed_vote(request.user, pk)
    candidates = selectors.ballot_candidates(vote)
    paper_voters = vote.voters.filter(channel=VoterRecord.Channel.PAPER, voted=False).select_related("deputy")
    from deputies.models import Deputy

    voter_choices = Deputy.objects.filter(pk__in=paper_voters.values("deputy_id"))
    form = PaperEntryForm(request.POST or None, vote=vote, candidates=candidates, paper_voters=voter_choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        slip = attempt(form, lambda: services.enter_paper_ballot(
            vote, number=data["number"], by=request.user, line=data["line"],
            invalid=data["invalid"], voter=data.get("voter")))
        if slip is not None:
            messages.success(request, {
                PaperSlip.Status.PENDING: _("第 %(n)s 号选票已录入，等待另一名工作人员录入核对。"),
                PaperSlip.Status.CONFLICT: _("第 %(n)s 号选票两次录入不一致，请核对纸质选票后更正。"),
                PaperSlip.Status.COUNTED: _("第 %(n)s 号选票两人录入一致，已计入。"),
            }[slip.status] % {"n": slip.number})
            return redirect("votes:paper", pk=pk)
    slips = vote.paper_slips.prefetch_related("entries__entered_by", "entries__voter")
    return render(request, "votes/paper.html", {
        "vote": vote, "form": form, "candidates": candidates, "slips": slips,
        "turnout": services.turnout(vote), "can_enter": vote.status == VoteStatus.VOTING,
    }, status=status_for(form))


@role_required(manage_votes)
def results(request, pk):
    vote = selectors.managed_vote(request.user, pk)
    visibility = services.results_visible_to(vote, request.user)
    if visibility is None:
        raise Http404("no results")
    context = {"vote": vote, "visibility": visibility, "turnout": services.turnout(vote)}
    if visibility == "full":
        context.update(result_context(vote))
        if not vote.secret:  # 记名投票: who voted what is on record
            context["recorded"] = (
                vote.ballots.filter(voter__isnull=False).select_related("voter", "voter__township")
                .order_by("voter__township__sort_order", "voter__search_keys")
            )
    return render(request, "votes/results.html", context)


@role_required(manage_votes)
def evaluation_summary(request, pk):
    vote = selectors.managed_vote(request.user, pk)
    if vote.status not in (VoteStatus.IMPLEMENTING, VoteStatus.EVALUATED):
        raise Http404("no evaluation yet")
    rows = services.evaluation_summary(vote)
    return render(request, "votes/evaluation_summary.html", {"vote": vote, "rows": rows})


@role_required(manage_votes)
def late_projects(request):
    today = timezone.localdate()
    managed = ProjectVote.objects.managed_by(request.user)
    projects = (
        Candidate.objects.late(today).filter(vote__in=managed).for_list()
        .order_by("planned_completion", "vote__year", "rank")
    )
    page = Paginator(projects, 30).get_page(request.GET.get("page"))
    return render(request, "votes/late_projects.html",
                  {"page_obj": page, "projects": page.object_list, "today": today})
