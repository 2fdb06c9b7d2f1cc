"""Celery queues by kind (congress/celery.py): a long annual report never delays a reminder."""

import pytest
from django.conf import settings

from congress.celery import app, queue_names, route_task


def queue_of(name):
    route = route_task(name, (), {}, {})
    return route["queue"] if route else app.conf.task_default_queue


@pytest.mark.parametrize(("task", "kind"), [
    ("reports.tasks.build_annual_report", "reports"),
    ("notifications.tasks.send_deliveries", "notifications"),
    ("notifications.tasks.send_due_deliveries", "notifications"),
    ("opinions.tasks.announce_new_opinion", "notifications"),
    ("stations.tasks.send_duty_reminders", "notifications"),
    ("suggestions.tasks.send_deadline_reminders", "notifications"),
    ("votes.tasks.notify_electorate", "notifications"),
    ("points.tasks.send_group_summaries", "notifications"),
    ("core.tasks.flush_outbox", None),
    ("stations.tasks.schedule_duty", None),
    ("votes.tasks.mix_ballots", None),
])
def test_each_task_goes_to_the_queue_of_its_kind(task, kind):
    default = app.conf.task_default_queue
    assert queue_of(task) == (f"{default}.{kind}" if kind else default)


def test_every_task_of_the_portal_goes_to_one_of_the_queues_a_full_worker_consumes():
    app.loader.import_default_modules()
    ours = [name for name in app.tasks if not name.startswith("celery.")]
    assert len(ours) >= 19
    consumed = set(queue_names(app.conf.task_default_queue))
    assert {queue_of(name) for name in ours} == consumed
    # A worker started without -Q consumes them all (the declared queues).
    assert {queue.name for queue in settings.CELERY_TASK_QUEUES} == set(queue_names(settings.CELERY_TASK_DEFAULT_QUEUE))


def test_the_queues_follow_the_default_queue_as_it_is_when_sent():
    # The tests' real workers move the default queue to a private one.
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = "test-abc"
    try:
        assert queue_of("reports.tasks.build_annual_report") == "test-abc.reports"
    finally:
        app.conf.task_default_queue = previous
