"""The production processes for a benchmark on loopback: the environment (DEBUG off, PostgreSQL,
Redis, the public limits raised), the database, static files, gunicorn and a Celery worker.

Shared by bench/http_bench.py (wrk), bench/load.py (locust) and the load test's short CI version
(tests/services/test_load.py). Nothing here imports Django: the processes it starts do.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def production_env(*, database_url, redis_url, static_root, media_root, **extra):
    """The environment of a production-like server (DEBUG=0, plain HTTP on loopback): the
    project's own settings, persistent database connections, Redis for the cache, the rate
    limits and Celery. The public limits (submissions per hour, look-ups per minute) are
    raised so that the benchmark measures the pages and not the 429; the counters are still
    written to Redis on every request."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DB_CONN_MAX_AGE": "600",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(media_root),
        "LOG_LEVEL": "WARNING",
        "PUBLIC_SUBMISSIONS_PER_HOUR": "100000000",
        "PUBLIC_LOOKUPS_PER_MINUTE": "100000000",
        "OPINION_SMS": "0",
        **{key: str(value) for key, value in extra.items()},
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)  # congress.settings, as in production
    return env


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, text=True, **kwargs)


def manage(env, *args, **kwargs):
    return run([PYTHON, "manage.py", *args], env, **kwargs)


def ensure_database(url):
    """Create the PostgreSQL database if it does not exist (through psql on the same server)."""
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    exists = subprocess.run(
        ["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(["psql", admin, "-c", f'CREATE DATABASE "{name}"'], check=True, capture_output=True)


def postgres_version(url):
    out = subprocess.run(["psql", url, "-tAc", "SHOW server_version"], capture_output=True, text=True)
    return out.stdout.strip().split(" ")[0]


COLLECT_WITHOUT_COMPRESSION = """
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings
manifest_only = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": manifest_only}):
    call_command("collectstatic", interactive=False, verbosity=0)
"""


def collectstatic(env, compress=True):
    """DEBUG off serves hashed static files from STATIC_ROOT's manifest. `compress=False` writes
    the same files and manifest without their gzip/Brotli copies (WhiteNoise then serves the
    plain file): the pages are the same, and a short test that fetches no static file saves the
    minutes Brotli takes over the API docs' bundles on a busy machine."""
    if compress:
        manage(env, "collectstatic", "--noinput", "-v", "0")
    else:
        manage(env, "shell", "-v", "0", "-c", COLLECT_WITHOUT_COMPRESSION)


def start_gunicorn(env, port, workers, log_path, timeout=180, wait=True):
    """gunicorn with sync workers on 127.0.0.1:`port`, returned once /ping answers (or at once
    with `wait=False`: then call wait_for_gunicorn)."""
    with open(log_path, "w") as log:  # the child keeps its own descriptor
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"), "congress.wsgi:application",
                "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "sync",
                "--backlog", "2048", "--timeout", "60", "--log-level", "warning",
            ],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    process.port, process.log_path = port, log_path
    return wait_for_gunicorn(process, timeout) if wait else process


def wait_for_gunicorn(process, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{process.port}/ping", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
        if process.poll() is not None:
            break
    stop(process)
    raise RuntimeError(f"gunicorn did not answer /ping within {timeout} s:\n{Path(process.log_path).read_text()[-3000:]}")


def start_celery_worker(env, log_path, concurrency=2, timeout=60, wait=True):
    """A Celery worker (prefork, as docker-compose.yml runs it) on env's CELERY_QUEUE, returned
    once it logs that it is ready (or at once with `wait=False`: then call wait_for_worker)."""
    name = f"{env.get('CELERY_QUEUE', 'lianxin')}-{os.getpid()}@%h"
    with open(log_path, "w") as log:  # the child keeps its own descriptor
        process = subprocess.Popen(
            [
                str(BIN / "celery"), "-A", "congress", "worker", "--loglevel", "INFO",
                "--concurrency", str(concurrency), "--without-gossip", "--without-mingle", "-n", name,
            ],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    process.log_path = log_path
    return wait_for_worker(process, timeout) if wait else process


def wait_for_worker(process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if " ready." in Path(process.log_path).read_text():
            return process
        if process.poll() is not None:
            break
        time.sleep(0.3)
    stop(process)
    raise RuntimeError(f"the Celery worker was not ready within {timeout} s:\n{Path(process.log_path).read_text()[-3000:]}")


def stop(process, timeout=20):
    """SIGTERM to the process group started with start_new_session, SIGKILL if it lingers."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
