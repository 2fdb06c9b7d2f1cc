"""The Celery application. Tasks live in each app's tasks.py; schedules in settings."""

import os

from celery import Celery, Task
from django.db import InterfaceError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")

# A task that lost the database is tried again after this many seconds, doubling up to 5 minutes,
# at most DATABASE_RETRIES times (about half an hour in all with the defaults).
DATABASE_RETRY_SECONDS = float(os.environ.get("TASK_DATABASE_RETRY_SECONDS", 10))
DATABASE_RETRIES = 10


class DatabaseRetryTask(Task):
    """The base of every task: when PostgreSQL is unreachable (restarting, a network cut) the task
    is retried later instead of failing, so a reminder run or an outbox message that meets an
    outage is not lost. Tasks are idempotent, so running again what had been half done is safe."""

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            if self.request.is_eager or self.request.called_directly:
                raise
            countdown = min(DATABASE_RETRY_SECONDS * 2 ** self.request.retries, 300)
            raise self.retry(exc=exc, countdown=countdown, max_retries=DATABASE_RETRIES) from exc


app = Celery("congress", task_cls=DatabaseRetryTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# Queues by kind, so that a long annual report never delays a reminder: every task is published
# to `<CELERY_QUEUE>` (default), `<CELERY_QUEUE>.notifications` or `<CELERY_QUEUE>.reports`.
# docker-compose.yml runs one worker per queue; a worker started without -Q consumes all three
# (settings.CELERY_TASK_QUEUES). Names are matched with fnmatch; the first match wins.
QUEUE_KINDS = ("notifications", "reports")
TASK_KINDS = (
    ("reports.tasks.*", "reports"),
    ("notifications.tasks.*", "notifications"),
    ("opinions.tasks.announce_new_opinion", "notifications"),
    ("*.tasks.send_*", "notifications"),
    ("*.tasks.notify_*", "notifications"),
)


def queue_names(default):
    """The default queue and the queues of each kind: what a worker for everything consumes."""
    return [default, *(f"{default}.{kind}" for kind in QUEUE_KINDS)]


def task_kind(name):
    from fnmatch import fnmatchcase

    for pattern, kind in TASK_KINDS:
        if fnmatchcase(name, pattern):
            return kind
    return None


def route_task(name, args, kwargs, options, task=None, **kw):
    """settings.CELERY_TASK_ROUTES: the queue of a task's kind, named after the default queue as
    it is when the task is sent (tests move the default queue to a private one)."""
    kind = task_kind(name)
    if kind is None:
        return None
    return {"queue": f"{app.conf.task_default_queue}.{kind}"}
