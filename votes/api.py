"""The votes API:

- GET  /api/v1/votes/                 votes the caller may see (the public: published ones)
- GET  /api/v1/votes/<id>/            with status, seats and the candidates (each with its id)
- POST /api/v1/votes/<id>/ballots/    {"approve": [candidate ids], "abstain": [ids]} → 201;
                                      a second ballot → 409; too many approvals → 400
- GET  /api/v1/votes/<id>/results/    404 until published, except to the staff running it
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from votes import services, tally
from divisions.api import RegionCodeField
from votes.models import Candidate, ProjectVote, VoteLevel, VoteStatus
from votes.permissions import cast_ballots, manage_votes

HIDDEN_CANDIDATE_STATUSES = (VoteStatus.COLLECTING, VoteStatus.SCREENING)


class CandidateSerializer(serializers.ModelSerializer):
    responsible_unit = serializers.CharField(source="responsible_unit.name", default=None, read_only=True)

    class Meta:
        model = Candidate
        fields = ["id", "number", "title", "summary", "location", "responsible_unit", "budget",
                  "elected", "progress_percent"]


class VoteSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    level = serializers.ChoiceField(choices=VoteLevel.choices, read_only=True, help_text="哪一级人大的票决")
    level_display = serializers.SerializerMethodField()
    township = serializers.CharField(source="township.name", default=None, read_only=True, allow_null=True)
    congress = serializers.CharField(source="congress.name", read_only=True)
    region = RegionCodeField(source="congress.region", help_text="票决所属人大的区划代码")
    session = serializers.CharField(source="session.name", default=None, read_only=True, allow_null=True)
    candidates = serializers.SerializerMethodField()
    my_ballot = serializers.SerializerMethodField()

    class Meta:
        model = ProjectVote
        fields = ["id", "title", "year", "level", "level_display", "congress", "region", "township", "term", "session",
                  "status", "status_display", "seats", "secret", "opens_at", "closes_at",
                  "eligible_count", "published_at", "result_digest", "candidates", "my_ballot"]

    def get_level_display(self, vote) -> str:
        return str(VoteLevel(vote.level).label)

    @extend_schema_field(CandidateSerializer(many=True))
    def get_candidates(self, vote):
        user = self.context["request"].user
        if vote.status in HIDDEN_CANDIDATE_STATUSES and not manage_votes.has(user):
            return []
        return CandidateSerializer(vote.candidates.all(), many=True).data

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_my_ballot(self, vote):
        """For a deputy: whether they are in the electorate, have voted, and may vote now."""
        records = self.context.get("records")
        if records is None:
            return None
        record = records.get(vote.pk)
        problem = tally.refusal(status=vote.status, window=vote.window_state(), record=record)
        return {
            "eligible": record is not None,
            "voted": bool(record and record.voted),
            "channel": record.channel if record else None,
            "can_vote": problem is None,
            "reason": problem[1] if problem else "",
        }


class BallotSerializer(serializers.Serializer):
    approve = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
    abstain = serializers.ListField(child=serializers.IntegerField(), allow_empty=True, required=False, default=list)


class BallotCastSerializer(serializers.Serializer):
    """What a 201 says: the counts of the ballot just cast, never an id."""

    detail = serializers.CharField()
    vote = serializers.IntegerField()
    approved = serializers.IntegerField()
    abstained = serializers.IntegerField()
    against = serializers.IntegerField()


class ProjectVoteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """民生实事项目票决. Deputies cast their ballot with POST …/ballots/."""

    serializer_class = VoteSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return (
            ProjectVote.objects.visible_to(self.request.user)
            .select_related("congress__region", "session")
            .prefetch_related(Prefetch("candidates", Candidate.objects.select_related("responsible_unit").order_by("number")))
            .order_by("-year", "-id")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        deputy = services.deputy_of(self.request.user)
        if deputy is not None:
            context["records"] = {r.vote_id: r for r in deputy.vote_records.all()}
        return context

    @extend_schema(request=BallotSerializer, responses={201: BallotCastSerializer})
    @action(detail=True, methods=["post"], permission_classes=[cast_ballots.drf])
    def ballots(self, request, pk=None):
        """Cast the signed-in deputy's ballot (final once cast)."""
        vote = get_object_or_404(ProjectVote, pk=pk)
        serializer = BallotSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        line = services.cast_ballot(vote, by=request.user, **serializer.validated_data)
        return Response(
            {"detail": _("投票成功。选票一经提交即为最终结果。"), "vote": vote.pk,
             "approved": line.count(tally.APPROVE), "abstained": line.count(tally.ABSTAIN),
             "against": line.count(tally.AGAINST)},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """The count: public once published; staff running the vote see it once voting has
        closed (turnout only while it is open)."""
        vote = ProjectVote.objects.filter(pk=pk).select_related("congress__region").first()
        visibility = services.results_visible_to(vote, request.user) if vote else None
        if visibility is None:
            raise NotFound(_("结果尚未公布。"))
        turnout = services.turnout(vote)
        payload = {"vote": vote.pk, "status": vote.status, "seats": vote.seats,
                   "eligible": turnout["eligible"], "cast": turnout["cast"],
                   "turnout_percent": turnout["percent"], "counted": visibility == "full"}
        if visibility != "full":
            payload["detail"] = _("投票截止后才能查看计票结果。")
            return Response(payload)
        return Response({**payload, **result_payload(vote)})


def result_payload(vote):
    result, lines = services.vote_result(vote, with_lines=True)
    titles = dict(vote.candidates.values_list("pk", "title"))
    digest = tally.digest(lines)
    return {
        "eligible": result.eligible, "cast": result.cast, "invalid": result.invalid,
        "valid": result.valid, "turnout_percent": result.turnout_percent,
        "threshold": {"basis": vote.threshold_basis, "ratio": str(vote.threshold_ratio),
                      "base": result.threshold_base, "min_approvals": result.min_approvals},
        "candidates": [
            {"id": r.candidate_id, "number": r.number, "title": titles[r.candidate_id],
             "approve": r.approve, "against": r.against, "abstain": r.abstain, "rank": r.rank,
             "passes": r.passes, "elected": r.elected, "tied": r.tied}
            for r in result.rows
        ],
        "elected": list(result.elected_ids),
        "runoff": {"candidates": list(result.runoff_ids), "seats": result.runoff_seats} if result.has_tie else None,
        "digest": digest,
        "published_digest": vote.result_digest or None,
        "ballots_url": f"/projects/votes/{vote.pk}/ballots.txt",
    }
