"""The production processes run natively: gunicorn, a Celery worker and Celery beat (schedules in
the database) against the machine's PostgreSQL and Redis, as docker-compose.yml runs them."""

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
import uuid

import pytest
from django.db import connection

from core.models import OutboxMessage
from notifications.models import Delivery, Notification
from tests.factories import UserFactory
from tests.services.conftest import ROOT, database_url, redis_available, wait_for
from tests.conftest import require_or_skip

pytestmark = pytest.mark.services


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def full_stack(transactional_db, settings, tmp_path):
    if connection.vendor != "postgresql":
        require_or_skip("the full-stack smoke test needs PostgreSQL (set DATABASE_URL)")
    if not settings.REDIS_URL or not redis_available(settings.REDIS_URL):
        require_or_skip("the full-stack smoke test needs Redis (set REDIS_URL)")
    port = free_port()
    queue = f"stack-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="congress.settings",
        DEBUG="0",
        SECRET_KEY="full-stack-smoke-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        DATABASE_URL=database_url(),
        REDIS_URL=settings.REDIS_URL,
        CELERY_QUEUE=queue,
        CACHE_KEY_PREFIX=queue,
        OUTBOX_FLUSH_SECONDS="2",
        OUTBOX_FLUSH_GRACE_SECONDS="0",
        STATIC_ROOT=str(tmp_path / "static"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    logs = {name: open(tmp_path / f"{name}.log", "w") for name in ("web", "worker", "beat")}
    processes = {
        "web": subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "congress.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=ROOT, env=env, stdout=logs["web"], stderr=subprocess.STDOUT,
        ),
        "worker": subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "congress", "worker", "--pool=solo", "-l", "WARNING",
             "--without-gossip", "--without-mingle", "-n", f"{queue}@%h"],
            cwd=ROOT, env=env, stdout=logs["worker"], stderr=subprocess.STDOUT,
        ),
        "beat": subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "congress", "beat", "-l", "WARNING",
             "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler", "--pidfile", str(tmp_path / "beat.pid")],
            cwd=ROOT, env=env, stdout=logs["beat"], stderr=subprocess.STDOUT,
        ),
    }
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: _get(base + "/healthz") is not None, timeout=30), (tmp_path / "web.log").read_text()
        yield base, tmp_path
    finally:
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs.values():
            log.close()


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read() or b"{}")
    except Exception:
        return None


def test_gunicorn_worker_and_beat_work_together(full_stack):
    base, logs = full_stack
    status, body = _get(base + "/healthz")
    assert status == 200
    assert body == {"database": "ok", "redis": "ok", "status": "ok"}
    # A task left in the outbox (as if Redis had been down when it was written) is published
    # by beat's flush and run by the worker.
    user = UserFactory(email="deputy@example.cn")
    notification = Notification.objects.create(recipient=user, key="stack", kind="test", title="测试")
    Delivery.objects.create(notification=notification, channel=Delivery.Channel.EMAIL, address=user.email)
    OutboxMessage.objects.create(task_name="notifications.tasks.send_deliveries", kwargs={"notification_id": notification.pk})
    assert wait_for(
        lambda: Delivery.objects.filter(status=Delivery.Status.SENT).exists(), timeout=40
    ), (logs / "beat.log").read_text() + (logs / "worker.log").read_text()
    assert OutboxMessage.objects.get().sent_at is not None
