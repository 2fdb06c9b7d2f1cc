"""Celery tasks of the points app (each also a management command)."""

from celery import shared_task

from points import services


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_group_summaries():
    """The quarterly group summaries (beat: points-quarterly-group-summary, 1 Jan/Apr/Jul/Oct
    08:00). Each group gets its summary once; a second run sends nothing."""
    return services.send_group_summaries()
