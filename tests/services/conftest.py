"""A real Celery worker process on Redis, sharing the test database (PostgreSQL)."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from congress.celery import app as celery_app
from congress.celery import queue_names
from tests.conftest import require_or_skip

ROOT = Path(__file__).resolve().parent.parent.parent


def database_url():
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    auth = f"{user}:{db['PASSWORD']}" if db.get("PASSWORD") else user
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


def redis_available(url):
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


@pytest.fixture
def celery_worker_process(transactional_db, settings):
    """Start `celery worker` on a private queue (and its queues by kind); tasks published in the
    test run there."""
    if connection.vendor != "postgresql":
        require_or_skip("a real Celery worker needs a shared PostgreSQL database (set DATABASE_URL)")
    if not settings.REDIS_URL or not redis_available(settings.REDIS_URL):
        require_or_skip("a real Celery worker needs Redis (set REDIS_URL)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(),
        DJANGO_SETTINGS_MODULE="tests.settings",
        CELERY_QUEUE=queue,
        DB_CONN_MAX_AGE="0",
        # The worker runs on the machine's clock: SMS must not wait for the morning in a night run.
        SMS_QUIET_HOURS="off",
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "congress", "worker", "--pool=solo", "-Q", ",".join(queue_names(queue)),
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING",
         "-n", f"{queue}@%h"],
        cwd=ROOT, env=env,
    )
    previous = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "task_default_queue": celery_app.conf.task_default_queue,
        "broker_url": celery_app.conf.broker_url,
    }
    celery_app.conf.update(task_always_eager=False, task_default_queue=queue, broker_url=settings.REDIS_URL)
    try:
        deadline = time.monotonic() + 90  # a loaded CI machine imports Django slowly
        while not celery_app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the Celery worker did not start")
        yield worker
    finally:
        celery_app.conf.update(**previous)
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()


def wait_for(predicate, timeout=20, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
