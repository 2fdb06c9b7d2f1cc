"""Celery tasks: thin, acknowledged late, idempotent (each delivery is claimed before it is sent).
`manage.py send_due_messages` runs the same as the beat task."""

from celery import shared_task

from notifications import services


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_deliveries(notification_id):
    """A new notification's e-mail, SMS and WeChat deliveries, right after its commit."""
    return services.send_deliveries(notification_id)


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_many_deliveries(notification_ids):
    """The deliveries of notifications made together (`services.notify_many`)."""
    return services.send_many_deliveries(notification_ids)


@shared_task(acks_late=True)
def send_due_deliveries():
    """Every minute: retries, SMS held for the night or the daily limit, deliveries that waited
    for configuration."""
    return services.send_due()
