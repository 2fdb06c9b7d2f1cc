"""A worker killed (SIGKILL) in the middle of the daily duty reminders: after the restart every
reminder goes out exactly once. Tasks are acknowledged late (CELERY_TASK_ACKS_LATE), so the
killed run's message is delivered again, and each reminder has a unique notification key, so the
second run skips what the first one committed."""

import os
import signal
import warnings
from datetime import timedelta

import pytest
from celery.exceptions import AlwaysEagerIgnored
from django.utils import timezone

from congress.celery import app as celery_app
from notifications.models import Delivery, Notification
from stations.models import DutyAssignment
from stations.services import reminder_key
from tests.factories import StationFactory, TownshipFactory
from tests.faults.conftest import wait_until
from tests.stations.conftest import make_deputy_with_account, make_shift

pytestmark = pytest.mark.services

DEPUTIES = 30
PAUSE_AT = 10


def tomorrows_roster(count=DEPUTIES):
    """`count` deputies with accounts and e-mail addresses on duty tomorrow, two per shift.
    The test names the day to the task (`reminder_run`): a worker left to work out "tomorrow" by
    its own clock reminds nobody when the run crosses midnight (seen in CI at 00:00:00)."""
    township = TownshipFactory(name="城关镇")
    tomorrow = timezone.localdate() + timedelta(days=1)
    deputies = [
        make_deputy_with_account(township, f"代表{n:02d}", email=f"deputy{n}@example.cn") for n in range(count)
    ]
    for n in range(0, count, 2):
        make_shift(StationFactory(township=township), tomorrow, deputies[n:n + 2])
    return deputies, tomorrow


def reminder_run(stack, day):
    """Publish the reminder run for `day`'s shifts to the stack's worker, as beat does at 08:00."""
    with warnings.catch_warnings():  # tests.settings run tasks eagerly; send_task always publishes
        warnings.simplefilter("ignore", AlwaysEagerIgnored)
        celery_app.send_task("stations.tasks.send_duty_reminders", kwargs={"day": day.isoformat()}, queue=stack.queue)


@pytest.mark.parametrize(
    "pool",
    [
        # The whole worker dies (a container or machine lost): its unacknowledged message comes
        # back after Redis's visibility timeout, shortened here from an hour to 2 seconds.
        "solo",
        # A pool process dies (out of memory): the worker requeues its message at once
        # (CELERY_TASK_REJECT_ON_WORKER_LOST).
        "prefork",
    ],
)
def test_a_reminder_run_killed_midway_sends_every_reminder_once_after_restart(stack_factory, tmp_path, pool):
    deputies, day = tomorrows_roster()
    stack = stack_factory()
    marker = tmp_path / "paused"
    options = {"FAULTS_VISIBILITY_TIMEOUT": "2"} if pool == "solo" else {}
    stack.worker(
        "worker1", f"--pool={pool}", "--concurrency=1", "--include=tests.faults.worker_hooks",
        FAULTS_PAUSE_AT_NOTIFICATION=str(PAUSE_AT), FAULTS_MARKER=str(marker), **options,
    )
    reminder_run(stack, day)

    first = stack.processes["worker1"]
    wait_until(lambda: marker.exists() or first.poll() is not None, timeout=90)
    assert marker.exists(), stack.logs()
    os.kill(int(marker.read_text()), signal.SIGKILL)
    # Killed inside the 10th reminder's transaction: nine are stored, the tenth was rolled back.
    wait_until(
        lambda: Notification.objects.filter(kind="duty_reminder").count() == PAUSE_AT - 1, timeout=10,
        message=lambda: f"{Notification.objects.count()} notifications",
    )
    if pool == "solo":
        stack.processes.pop("worker1").wait(timeout=10)
        stack.worker("worker2", **options)

    wait_until(
        lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == DEPUTIES,
        timeout=90, message=stack.logs,
    )
    expected = {reminder_key(a) for a in DutyAssignment.objects.select_related("shift", "deputy")}
    reminders = Notification.objects.filter(kind="duty_reminder")
    assert set(reminders.values_list("key", flat=True)) == expected
    assert reminders.count() == DEPUTIES
    assert sorted(reminders.values_list("recipient_id", flat=True)) == sorted(d.user_id for d in deputies)
    assert Delivery.objects.count() == DEPUTIES  # one e-mail each, sent once
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}
