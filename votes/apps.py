from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotesConfig(AppConfig):
    """民生实事票决: livelihood projects collected, screened, voted on and implemented."""

    name = "votes"
    verbose_name = _("民生实事票决")

    def ready(self):
        from audit.registry import register
        from votes.models import (
            Candidate,
            FeasibilityRequest,
            Inspection,
            Milestone,
            PaperEntry,
            ProgressReport,
            ProjectVote,
            Proposal,
        )

        # Ballots, their contents and who-voted records are never audited: an audit entry is a
        # timestamped row written in the ballot's transaction, exactly the link secrecy forbids.
        register(ProjectVote, exclude=["mixed_ballot_count"])
        # The proposer's name and number stay out of the audit log (erasable on request).
        register(Proposal, exclude=["contact_name", "contact_phone"])
        register(FeasibilityRequest)
        register(Candidate)
        register(Milestone)
        register(ProgressReport)
        register(Inspection)
        register(PaperEntry)

        from core.security import register_media
        from votes.models import ProjectPhoto

        # Progress and inspection photos: for whoever may see the project's vote.
        register_media("votes/", lambda request, name: ProjectPhoto.objects.filter(
            image=name, candidate__vote__in=ProjectVote.objects.visible_to(request.user)).exists())

        # The 推荐民生实事项目 panel on each station's public page (/s/<code>/).
        try:
            from stations.public import register_panel
        except ImportError:
            return
        from votes.views.public import station_panel

        # The cached station pages show the collecting votes: any change to a vote refreshes them.
        register_panel("project_proposals", order=50, render=station_panel, invalidated_by=[ProjectVote])
