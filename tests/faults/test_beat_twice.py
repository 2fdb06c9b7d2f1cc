"""Celery beat started twice: a scheduled task is sent once, and the second beat takes over when
the first is killed (core.beat.LeaderScheduler: a PostgreSQL advisory lock).

No worker runs here: the test reads the messages the beats put on the stack's queue in Redis."""

import json
import time
from datetime import timedelta

import pytest
import redis
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import ClockedSchedule, PeriodicTask

from core.beat import LOCK_KEY
from tests.faults.conftest import wait_until

pytestmark = pytest.mark.services

FIRST_TASK = "stations.tasks.close_past_shifts"
SECOND_TASK = "opinions.tasks.flag_overdue_opinions"


def beats_connected():
    """pid → whether it holds the scheduler lock, for every beat connected to the database."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT a.application_name, EXISTS (
                   SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory' AND l.granted
                   AND l.classid = %s AND l.objid = %s)
               FROM pg_stat_activity a
               WHERE a.datname = current_database() AND a.application_name LIKE 'lianxin beat %%'""",
            [LOCK_KEY >> 32, LOCK_KEY & 0xFFFFFFFF],
        )
        return {int(name.rsplit(":", 1)[1]): holds for name, holds in cursor.fetchall()}


def one_active_among(pids):
    """Exactly these beats are connected, and one of them holds the lock."""
    connected = beats_connected()
    return set(connected) == pids and sum(connected.values()) == 1


def run_once_soon(name, task, seconds=3):
    clocked = ClockedSchedule.objects.create(clocked_time=timezone.now() + timedelta(seconds=seconds))
    PeriodicTask.objects.create(name=name, task=task, clocked=clocked, one_off=True)


def test_two_beats_send_a_scheduled_task_once_and_the_standby_takes_over(stack_factory, settings):
    stack = stack_factory()
    broker = redis.Redis.from_url(settings.REDIS_URL)

    def sent(task):
        return sum(json.loads(m)["headers"]["task"] == task for m in broker.lrange(stack.queue, 0, -1))

    beats = {stack.beat(name, "--max-interval=1").pid: name for name in ("beat1", "beat2")}
    wait_until(lambda: one_active_among(set(beats)), timeout=60, message=stack.logs)

    run_once_soon("faults-once-1", FIRST_TASK)
    wait_until(lambda: sent(FIRST_TASK) >= 1, timeout=30, message=stack.logs)
    # Both beats tick every second: a duplicate would be on the queue within two.
    time.sleep(3)
    assert sent(FIRST_TASK) == 1

    # The active beat is killed: the standby takes the lock and sends the next task, once.
    leader = next(pid for pid, holds in beats_connected().items() if holds)
    stack.kill(beats[leader])
    wait_until(lambda: one_active_among(set(beats) - {leader}), timeout=30, message=stack.logs)
    run_once_soon("faults-once-2", SECOND_TASK)
    wait_until(lambda: sent(SECOND_TASK) >= 1, timeout=30, message=stack.logs)
    time.sleep(3)
    assert sent(SECOND_TASK) == 1 and sent(FIRST_TASK) == 1
