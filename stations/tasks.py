"""Celery tasks: thin, idempotent wrappers around the duty services. Each has a management
command (schedule_duty, send_duty_reminders, close_duty_shifts) for cron and tests."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from stations import scheduler, services


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def schedule_duty(month=None):
    """Build a month's duty roster (default: the current month). Runs at 01:00 on the 1st."""
    year, number = scheduler.parse_month(month) if month else (timezone.localdate().year, timezone.localdate().month)
    result = scheduler.schedule_month(year, number)
    return {"shifts": result.shifts, "assignments": result.assignments}


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_duty_reminders(day=None):
    """Remind tomorrow's deputies (08:00 daily); each reminder is sent once."""
    return services.send_duty_reminders(day=date.fromisoformat(day) if day else None)


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_activity_reminders(day=None):
    """Remind the deputies signed up for tomorrow's activities (08:00 daily); each once."""
    return services.send_activity_reminders(day=date.fromisoformat(day) if day else None)


@shared_task(acks_late=True)
def close_past_shifts():
    """Mark past shifts nobody attended as missed (00:30 daily)."""
    return services.close_past_shifts()
