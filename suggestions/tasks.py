"""Scheduled work for suggestions; thin and idempotent (every notice has a unique key).
Each task has a management command of the same purpose, for cron and for people."""

from celery import shared_task

from suggestions import services


@shared_task(acks_late=True)
def send_deadline_reminders():
    sent, flagged = services.send_deadline_reminders()
    return {"reminders": sent, "overdue": flagged}


@shared_task(acks_late=True)
def send_progress_reminders():
    return services.send_progress_reminders()
