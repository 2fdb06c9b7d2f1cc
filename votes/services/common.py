"""Helpers shared by the vote services: scope checks, the timeline, locking."""

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils.translation import gettext as _

from accounts.models import Role
from core.exceptions import TransitionNotAllowed
from divisions.scope import covers, scope_label
from votes.models import ProjectVote, VoteEvent, VoterRecord
from votes.permissions import manage_votes


def check_manage(vote, by):
    """Staff run votes; staff limited to a region run only the votes of its congresses."""
    manage_votes.check(by)
    if not covers(by, vote.congress.region):
        raise PermissionDenied(_("您只能管理%(scope)s的民生实事票决。") % {"scope": scope_label(by)})


def deputy_of(user):
    """The registry entry of a signed-in deputy, or None."""
    if user is None or not user.is_authenticated or user.role != Role.DEPUTY:
        return None
    return getattr(user, "deputy", None)


def voter_record(vote, user):
    """A deputy's place in the vote's frozen electorate, or None."""
    deputy = deputy_of(user)
    if deputy is None:
        return None
    return VoterRecord.objects.filter(vote=vote, deputy=deputy).first()


def record_event(vote, action, *, by, note="", from_status="", to_status=""):
    return VoteEvent.objects.create(
        vote=vote, action=action, by=by, note=note, from_status=from_status, to_status=to_status
    )


def lock_vote(vote):
    """The vote row, locked against concurrent state changes and ballots (select_for_update)."""
    return ProjectVote.objects.select_for_update().get(pk=vote.pk)


def share_vote(vote):
    """The vote row under a shared lock: ballots hold it while they are written, so closing,
    mixing and publishing (which take the row exclusively) wait for ballots in flight and every
    later ballot sees the new state. SQLite serializes write transactions anyway."""
    if connection.vendor == "postgresql":
        table = ProjectVote._meta.db_table
        # The model's own table name, never input; the id goes as a parameter.
        return ProjectVote.objects.raw(f"SELECT * FROM {table} WHERE id = %s FOR SHARE", [vote.pk])[0]  # noqa: S608
    return ProjectVote.objects.get(pk=vote.pk)


def require_status(vote, *statuses, message=None):
    if vote.status not in statuses:
        raise TransitionNotAllowed(
            message
            or _("当前状态为“%(status)s”，不能进行此操作。") % {"status": vote.get_status_display()}
        )
