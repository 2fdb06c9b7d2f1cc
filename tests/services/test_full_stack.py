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
import requests
from django.db import connection

from core.models import OutboxMessage
from notifications.models import Delivery, Notification
from opinions.models import Opinion
from tests.factories import CategoryFactory, UserFactory
from tests.services.conftest import ROOT, database_url, redis_available, wait_for
from tests.services.portal import station_with_members, submit_opinion_form
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
             "--scheduler", "core.beat:LeaderScheduler", "--pidfile", str(tmp_path / "beat.pid")],
            cwd=ROOT, env=env, stdout=logs["beat"], stderr=subprocess.STDOUT,
        ),
    }
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: _get(base + "/healthz") is not None, timeout=90), (tmp_path / "web.log").read_text()
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
    notification = Notification.objects.create(recipient=user, key="stack", kind="duty_reminder", title="测试")
    Delivery.objects.create(notification=notification, channel=Delivery.Channel.EMAIL, address=user.email)
    OutboxMessage.objects.create(task_name="notifications.tasks.send_deliveries", kwargs={"notification_id": notification.pk})
    assert wait_for(
        lambda: Delivery.objects.filter(status=Delivery.Status.SENT).exists(), timeout=40
    ), (logs / "beat.log").read_text() + (logs / "worker.log").read_text()
    assert OutboxMessage.objects.get().sent_at is not None

    # A citizen's opinion, over HTTP on the station page and on the public API: the worker tells
    # each of the station's deputies once.
    station, members = station_with_members(2)
    category = CategoryFactory(name="交通出行")
    page = submit_opinion_form(base, station, "村口的路灯坏了一个多月，晚上出行很不安全", category=category)
    assert page.status_code == 302, page.text[:1000]
    api = requests.post(
        base + "/api/v1/public/opinions/",
        json={"station": station.code, "category": "交通出行", "content": "公交站台没有遮雨棚，希望加装"},
        timeout=20,
    )
    assert api.status_code == 201, api.text
    opinions = list(Opinion.objects.order_by("pk"))
    assert [o.tracking_code for o in opinions][1] == api.json()["tracking_code"]
    assert page.headers["Location"].endswith(f"/{opinions[0].tracking_code}/submitted/")
    expected = {f"opinion-new:{o.pk}:{u.pk}" for o in opinions for u in members}
    assert wait_for(
        lambda: set(Notification.objects.filter(kind="opinion_new").values_list("key", flat=True)) == expected,
        timeout=30,
    ), (logs / "worker.log").read_text()
    assert Notification.objects.filter(kind="opinion_new").count() == 4
