from celery import shared_task

from core import outbox


@shared_task(acks_late=True)
def flush_outbox():
    return outbox.flush()
