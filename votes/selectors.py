"""What the vote pages and the API read, with their joins decided here (constant queries)."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from divisions.scope import regions_around

from votes.models import (
    Candidate,
    FeasibilityRequest,
    Inspection,
    ProgressReport,
    ProjectPhoto,
    ProjectVote,
    Proposal,
    VoterRecord,
    VoteStatus,
)

VOTE_RELATED = ("congress__region", "session")


def votes_for_list(queryset):
    """Votes with their township, session and counts in one query."""
    return queryset.select_related(*VOTE_RELATED).annotate(
        candidate_count=Count("candidates", distinct=True),
        proposal_count=Count("proposals", distinct=True),
        elected_count=Count("candidates", filter=Q(candidates__elected=True), distinct=True),
    ).order_by("-year", "congress__region__path", "-id")


def managed_vote(user, pk):
    """A vote the staff member runs, or 404."""
    return get_object_or_404(ProjectVote.objects.managed_by(user).select_related(*VOTE_RELATED), pk=pk)


def visible_vote(user, pk):
    return get_object_or_404(ProjectVote.objects.visible_to(user).select_related(*VOTE_RELATED), pk=pk)


def public_vote(pk):
    return get_object_or_404(ProjectVote.objects.public().select_related(*VOTE_RELATED), pk=pk)


def collecting_votes(township_id=None):
    """Votes now collecting proposals: given a township, those of its congress and of the
    congresses above it (its county's, its city's); else every one."""
    votes = ProjectVote.objects.collecting()
    if township_id:
        votes = votes.filter(congress__region_id__in=regions_around([township_id]))
    return votes.select_related("congress__region").order_by(
        "congress__region__path"
    )


def ballot_candidates(vote):
    return list(vote.candidates.select_related("responsible_unit").order_by("number"))


def proposals_for_staff(vote, *, status="", source="", search=""):
    queryset = vote.proposals.for_list()
    if status:
        queryset = queryset.filter(status=status)
    if source:
        queryset = queryset.filter(source=source)
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(description__icontains=search))
    return queryset


def proposal_detail(vote, pk):
    return get_object_or_404(
        Proposal.objects.select_related("deputy", "handling_unit", "merged_into", "submitted_by")
        .prefetch_related(
            Prefetch("feasibility_requests",
                     FeasibilityRequest.objects.select_related("unit", "responsible_unit", "answered_by")),
            "merged",
        ),
        vote=vote, pk=pk,
    )


def voters_for_staff(vote, *, channel="", voted="", search=""):
    queryset = vote.voters.select_related("deputy", "deputy__township").order_by(
        "deputy__township__sort_order", "deputy__search_keys", "pk"
    )
    if channel:
        queryset = queryset.filter(channel=channel)
    if voted in ("yes", "no"):
        queryset = queryset.filter(voted=voted == "yes")
    if search:
        queryset = queryset.filter(
            Q(deputy__name__icontains=search) | Q(deputy__search_keys__contains=search.lower())
        )
    return queryset


def project_detail(queryset, pk):
    """An elected project with its milestones, progress (with photos) and inspections."""
    return get_object_or_404(
        queryset.select_related("vote", "vote__congress__region", "responsible_unit").prefetch_related(
            "milestones",
            Prefetch("progress_reports",
                     ProgressReport.objects.select_related("reported_by").prefetch_related(
                         Prefetch("photos", ProjectPhoto.objects.order_by("pk")))),
            Prefetch("inspections",
                     Inspection.objects.select_related("deputy").prefetch_related(
                         Prefetch("photos", ProjectPhoto.objects.order_by("pk")))),
        ),
        pk=pk,
    )


def public_projects():
    """Elected projects of published votes, for the public list."""
    return Candidate.objects.public().for_list().order_by("-vote__year", "vote_id", "rank", "number")


def projects_of_unit(user):
    return (
        Candidate.objects.filter(
            elected=True, responsible_unit_id=user.handling_unit_id,
            vote__status__in=(VoteStatus.PUBLISHED, VoteStatus.IMPLEMENTING, VoteStatus.EVALUATED),
        )
        .for_list()
        .annotate(
            reported_this_month=Count(
                "progress_reports",
                filter=Q(progress_reports__month=timezone.localdate().replace(day=1)),
            )
        )
        .order_by("-vote__year", "rank")
    )


def feasibility_for_unit(user):
    return (
        FeasibilityRequest.objects.filter(unit_id=user.handling_unit_id)
        .select_related("proposal", "proposal__vote", "responsible_unit")
        .order_by("answered_at", "due_date", "-id")
    )


def deputy_votes(deputy):
    """A deputy's votes: those whose electorate includes them, with their own record."""
    records = {
        r.vote_id: r for r in VoterRecord.objects.filter(deputy=deputy).only("vote_id", "voted", "channel")
    }
    votes = list(
        ProjectVote.objects.filter(pk__in=records).select_related(*VOTE_RELATED).order_by("-year", "-id")
    )
    for vote in votes:
        vote.my_record = records[vote.pk]
    return votes
