"""The transactional outbox: how services schedule background work.

`enqueue("stations.tasks.send_reminder", shift_id=3)` inside a transaction writes a row; after
the commit the task is published to Celery. If Redis is down, the row waits for `flush_outbox`.
Nothing a user did is lost because the broker was unavailable."""

import logging
import os
from datetime import timedelta
from functools import partial
from importlib import import_module

from celery import current_app
from django.db import transaction
from django.utils import timezone

from core.models import OutboxMessage

logger = logging.getLogger(__name__)

# Rows younger than this are left to their own on_commit publish (avoids double publishing).
FLUSH_GRACE = timedelta(seconds=int(os.environ.get("OUTBOX_FLUSH_GRACE_SECONDS", 30)))


def enqueue(task_name, **kwargs):
    """Schedule `task_name(**kwargs)` to run once the current transaction commits."""
    message = OutboxMessage.objects.create(task_name=task_name, kwargs=kwargs)
    transaction.on_commit(partial(_publish_after_commit, message.pk))
    return message


def _publish_after_commit(message_id):
    """Whatever fails after the commit (the database lost on the way to marking the row sent) is
    logged and left to flush_outbox: it must not turn a request whose data is saved into an error."""
    try:
        publish(message_id)
    except Exception as exc:
        logger.warning("outbox publish of message %s after commit failed: %s", message_id, exc)


def _task(name):
    """The registered task; importing its module registers it in processes that have not yet
    (a web process does not autodiscover tasks)."""
    if name not in current_app.tasks:
        import_module(name.rsplit(".", 1)[0])
    return current_app.tasks[name]


def _send(message):
    _task(message.task_name).apply_async(kwargs=message.kwargs)


def publish(message_id):
    """Publish one message; on failure record the error and leave it for the next flush."""
    message = OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).first()
    if message is None:
        return False
    try:
        _send(message)
    except Exception as exc:  # the broker or an eager task failed: keep the row for a retry
        logger.warning("outbox publish of %s failed: %s", message.task_name, exc)
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=message.attempts + 1, last_error=str(exc)[:2000]
        )
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        sent_at=timezone.now(), attempts=message.attempts + 1
    )
    return True


def flush(*, older_than=FLUSH_GRACE, limit=500):
    """Publish messages that were not sent right after their commit. Returns how many went out."""
    cutoff = timezone.now() - older_than
    sent = 0
    with transaction.atomic():
        pending = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, created_at__lte=cutoff)
            .order_by("created_at")[:limit]
        )
        for message in pending:
            try:
                _send(message)
            except Exception as exc:
                logger.warning("outbox flush stopped: %s", exc)
                OutboxMessage.objects.filter(pk=message.pk).update(
                    attempts=message.attempts + 1, last_error=str(exc)[:2000]
                )
                break
            message.sent_at = timezone.now()
            message.attempts += 1
            message.save(update_fields=["sent_at", "attempts"])
            sent += 1
    return sent
