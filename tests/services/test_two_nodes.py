"""Two web nodes without a shared disk (issue 20): two gunicorn processes, each with a media folder
of its own, and Celery workers per queue, all on the test database, Redis and a local
S3-compatible server (moto in server mode, tests/objectstore.py) holding the private bucket.

A deputy's visit photo uploaded through node A is downloaded through node B; an annual report
asked for on node A is built by the worker of the reports queue and downloaded through node B;
node B's deep health check sees the database, Redis, the bucket and a worker on every queue,
and says 503 once the reports worker is gone."""

import io
import os
import signal
import subprocess
import sys
import uuid
from urllib.parse import urlsplit

import pytest
import requests
from django.db import connection
from PIL import Image

from accounts.models import Role
from congress.celery import queue_names
from tests.conftest import require_or_skip
from tests.factories import StationFactory, TownshipFactory, UserFactory, VisitFactory
from tests.faults.conftest import SECRET_KEY, _end, free_port
from tests.objectstore import object_store  # noqa: F401 (fixture)
from tests.points.conftest import YEAR, Records
from tests.reports.test_figures import build_year
from tests.services.conftest import ROOT, database_url, redis_available, wait_for
from tests.services.portal import PASSWORD, sign_in
from tests.stations.conftest import jpeg_bytes

pytestmark = pytest.mark.services

HEALTH_TOKEN = "two-nodes-monitoring-token-0123456789"


class Nodes:
    def __init__(self, tmp_path, env):
        self.tmp_path = tmp_path
        self.env = env
        self.processes = {}

    def start(self, name, args, **env):
        with open(self.tmp_path / f"{name}.log", "w") as log:
            self.processes[name] = subprocess.Popen(
                [sys.executable, *args], cwd=ROOT, env={**self.env, **env}, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )

    def web(self, name):
        port = free_port()
        media = self.tmp_path / name
        self.start(name, ["-m", "gunicorn", "congress.wsgi:application", "--bind", f"127.0.0.1:{port}",
                          "--workers", "1", "--timeout", "60"],
                   MEDIA_ROOT=str(media / "media"), REPORTS_ROOT=str(media / "reports"))
        return f"http://127.0.0.1:{port}"

    def worker(self, name, queues):
        media = self.tmp_path / name
        self.start(name, ["-m", "celery", "-A", "congress", "worker", "--pool=solo", "-Q", ",".join(queues),
                          "-l", "WARNING", "--without-gossip", "--without-mingle", "-n", f"{name}-{uuid.uuid4().hex[:6]}@%h"],
                   MEDIA_ROOT=str(media / "media"), REPORTS_ROOT=str(media / "reports"))

    def stop(self, name):
        _end(self.processes.pop(name))

    def close(self):
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            _end(process)

    def logs(self):
        return "\n".join(f"--- {p.stem}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(self.tmp_path.glob("*.log")))


@pytest.fixture
def nodes(transactional_db, settings, tmp_path, object_store):  # noqa: F811
    if connection.vendor != "postgresql":
        require_or_skip("two web nodes need a shared PostgreSQL database (set DATABASE_URL)")
    if not settings.REDIS_URL or not redis_available(settings.REDIS_URL):
        require_or_skip("two web nodes need Redis (set REDIS_URL)")
    queue = f"nodes-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.faults.stack_settings", DEBUG="0", SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost", SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0", DATABASE_URL=database_url(), DB_CONN_MAX_AGE="0", REDIS_URL=settings.REDIS_URL,
        CELERY_QUEUE=queue, CACHE_KEY_PREFIX=queue, HEALTHZ_TOKEN=HEALTH_TOKEN, LOG_LEVEL="WARNING", LOG_JSON="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", SMS_QUIET_HOURS="off",
        **object_store.env(object_store.make_bucket()),
    )
    stack = Nodes(tmp_path, env)
    stack.queue = queue
    stack.store = object_store
    try:
        stack.a, stack.b = stack.web("node-a"), stack.web("node-b")
        stack.worker("worker-reports", [f"{queue}.reports"])
        stack.worker("worker-rest", [queue, f"{queue}.notifications"])
        for base in (stack.a, stack.b):
            assert wait_for(lambda base=base: _answers(base), timeout=40), stack.logs()
        yield stack
    finally:
        stack.close()
        import redis

        redis.Redis.from_url(settings.REDIS_URL).delete(*queue_names(queue))


def _answers(base):
    try:
        return requests.get(base + "/healthz", timeout=5).status_code == 200
    except requests.RequestException:
        return False


def _deep(base):
    response = requests.get(base + "/healthz/deep", headers={"Authorization": f"Bearer {HEALTH_TOKEN}"}, timeout=20)
    return response.status_code, response.json()


def _token(base, username):
    response = requests.post(base + "/api/v1/auth/token/", json={"username": username, "password": PASSWORD}, timeout=20)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Token {response.json()['token']}"}


def _no_file_under(folder):
    return not [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else True


def test_a_photo_and_a_report_travel_between_nodes_through_the_bucket(nodes):
    township = TownshipFactory(name="城关镇")
    deputy = UserFactory(role=Role.DEPUTY, username="deputy-a")
    from tests.factories import DeputyFactory

    visit = VisitFactory(deputy=DeputyFactory(township=township, user=deputy), station=StationFactory(township=township))
    UserFactory(role=Role.ADMIN, username="admin-a")
    build_year(Records(), size=1)

    # Every queue has its worker: node B's deep check is all green.
    assert wait_for(lambda: _deep(nodes.b)[0] == 200, timeout=20), (_deep(nodes.b), nodes.logs())
    status, body = _deep(nodes.b)
    assert body["storage"] == "ok" and body["redis"] == "ok" and body["database"] == "ok"
    assert body["queues"] == {name: 1 for name in queue_names(nodes.queue)}

    # A visit photo uploaded through node A ...
    auth = _token(nodes.a, "deputy-a")
    uploaded = requests.post(
        f"{nodes.a}/api/v1/visits/{visit.pk}/photos/", headers=auth,
        files={"photos": ("reception.jpg", jpeg_bytes(), "image/jpeg")}, timeout=30,
    )
    assert uploaded.status_code == 201, uploaded.text
    path = urlsplit(uploaded.json()["photos"][0]).path
    assert path.startswith("/media/visits/")
    # ... is downloaded through node B (signed in there: sessions live in the shared database):
    # a redirect to a short-lived signed URL of the bucket.
    deputy_b = sign_in(nodes.b, "deputy-a")
    redirect = deputy_b.get(nodes.b + path, allow_redirects=False, timeout=20)
    assert redirect.status_code == 302, redirect.text[:500]
    assert redirect.headers["Location"].startswith(nodes.store.endpoint + "/")
    assert "X-Amz-Signature=" in redirect.headers["Location"]
    photo = deputy_b.get(nodes.b + path, timeout=20)
    assert photo.status_code == 200
    assert Image.open(io.BytesIO(photo.content)).size == Image.open(io.BytesIO(jpeg_bytes())).size  # re-encoded on upload
    assert photo.headers["Content-Type"] == "image/jpeg"
    # Nobody else gets it, and no node kept it on its own disk.
    assert requests.get(nodes.b + path, allow_redirects=False, timeout=20).status_code == 404
    assert _no_file_under(nodes.tmp_path / "node-a" / "media") and _no_file_under(nodes.tmp_path / "node-b" / "media")

    # The annual report, asked for on node A, built by the reports queue's worker ...
    admin = _token(nodes.a, "admin-a")
    queued = requests.post(f"{nodes.a}/api/v1/reports/annual/", headers=admin, json={"year": YEAR}, timeout=30)
    assert queued.status_code == 202, queued.text
    report_url = f"{nodes.b}/api/v1/reports/annual/{queued.json()['id']}/"

    def done():
        return requests.get(report_url, headers=admin, timeout=20).json()["status"] in {"done", "failed"}

    assert wait_for(done, timeout=40), nodes.logs()
    report = requests.get(report_url, headers=admin, timeout=20).json()
    assert report["status"] == "done", (report, nodes.logs())
    # ... and downloaded through node B (a signed redirect, as an attachment).
    session = sign_in(nodes.b, "admin-a")
    docx = session.get(nodes.b + urlsplit(report["docx_url"]).path, allow_redirects=False, timeout=20)
    assert docx.status_code == 302, docx.text[:500]
    assert "response-content-disposition=attachment" in docx.headers["Location"]
    document = requests.get(docx.headers["Location"], timeout=20)
    assert document.status_code == 200 and document.content[:2] == b"PK"
    assert _no_file_under(nodes.tmp_path / "worker-reports" / "reports")

    # Without the reports worker the deep check says which queue has none (503).
    nodes.stop("worker-reports")
    status, body = _deep(nodes.b)
    assert status == 503
    assert body["workers"] == f"error: no worker for {nodes.queue}.reports"
    assert requests.get(nodes.b + "/healthz", timeout=20).status_code == 200  # the balancer keeps the node
