"""Celery tasks: thin, idempotent wrappers around the vote services. Each has a management
command (votes_mix_ballots, votes_progress_reminders, votes_notify) for cron and tests."""

from datetime import date

from celery import shared_task

from votes import services
from votes.models import ProjectVote
from votes.services.cycle import notify_electorate as _notify_electorate
from votes.services.cycle import notify_project_units as _notify_project_units


@shared_task(acks_late=True)
def mix_ballots():
    """Mix the ballots of open votes that changed since their last mix (every minute)."""
    return services.mix_pending_ballots()


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_progress_reminders(day=None):
    """Remind units of projects without this month's progress report (on the 25th); once each."""
    return services.send_progress_reminders(today=date.fromisoformat(day) if day else None)


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_closing_reminders():
    """Remind the electorate of votes closing within a day (hourly); once per vote and deputy."""
    return services.send_closing_reminders()


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def notify_electorate(vote_id, event):
    """Tell a vote's deputies it opened, was published or is being evaluated; once each."""
    vote = ProjectVote.objects.filter(pk=vote_id).first()
    return _notify_electorate(vote, event) if vote else 0


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def notify_project_units(vote_id):
    """Tell responsible units about the elected projects they implement; once each."""
    vote = ProjectVote.objects.filter(pk=vote_id).first()
    return _notify_project_units(vote) if vote else 0
