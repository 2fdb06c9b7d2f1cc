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
