"""The portal's real processes under faults: gunicorn, Celery workers and beats started per test
against the test database, a private Redis the test stops and starts, and a TCP proxy in front of
PostgreSQL that the test cuts. The machine's own PostgreSQL and Redis are never stopped.

Every process is started in its own session and ended by its id when the test finishes."""

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import uuid
from pathlib import Path

import pytest
import redis
import requests
from django.db import connection

from congress.celery import queue_names
from tests.conftest import require_or_skip
from tests.services.conftest import ROOT, database_url, redis_available, wait_for

SECRET_KEY = "fault-tests-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-0123456789"
HEALTHZ_TOKEN = "fault-tests-monitoring-token-0123456789"  # /healthz/deep


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    """Processes of the portal as docker-compose.yml runs them (production settings, DEBUG off),
    each with its own log file under the test's tmp_path."""

    def __init__(self, tmp_path, *, database_url, redis_url):
        self.tmp_path = tmp_path
        self.queue = f"faults-{uuid.uuid4().hex[:8]}"
        self.env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        self.env.update(
            DJANGO_SETTINGS_MODULE="tests.faults.stack_settings",
            DEBUG="0",
            SECRET_KEY=SECRET_KEY,
            HEALTHZ_TOKEN=HEALTHZ_TOKEN,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="0",
            SESSION_COOKIE_SECURE="0",
            CSRF_COOKIE_SECURE="0",
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            CELERY_QUEUE=self.queue,
            CACHE_KEY_PREFIX=self.queue,
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            LOG_LEVEL="WARNING",
            LOG_JSON="0",
        )
        self.processes = {}
        self.started = set()
        self._logs = {}

    def start(self, name, args, **env):
        log = self._logs.setdefault(name, open(self.tmp_path / f"{name}.log", "a"))
        process = subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env={**self.env, **env}, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.processes[name] = process
        self.started.add(name)
        return process

    def web(self, name="web", *, workers=2, **env):
        """gunicorn on a free port; returns its base URL once it answers."""
        port = free_port()
        self.start(
            name,
            ["-m", "gunicorn", "congress.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--timeout", "30", "--graceful-timeout", "2"],
            **env,
        )
        base = f"http://127.0.0.1:{port}"

        def answers():
            if self.processes[name].poll() is not None:
                pytest.fail(f"gunicorn exited:\n{self.log(name)}")
            try:
                return requests.get(base + "/healthz", timeout=5).status_code in (200, 503)
            except requests.RequestException:
                return False

        assert wait_for(answers, timeout=30), self.log(name)
        return base

    def worker(self, name="worker", *args, **env):
        return self.start(
            name,
            ["-m", "celery", "-A", "congress", "worker", "-l", "WARNING", "--without-gossip",
             "--without-mingle", "-n", f"{name}-{self.queue}@%h", *(args or ("--pool=solo",))],
            **env,
        )

    def beat(self, name="beat", *args, **env):
        if getattr(self, "direct_database_url", None):
            # Beat's scheduler lock is a session advisory lock: never through transaction pooling.
            env = {"DATABASE_URL": self.direct_database_url, "DISABLE_SERVER_SIDE_CURSORS": "0", **env}
        return self.start(
            name,
            ["-m", "celery", "-A", "congress", "beat", "-l", "INFO", "--pidfile", str(self.tmp_path / f"{name}.pid"),
             *args],
            **env,
        )

    bouncer = None

    def settle(self, timeout=10):
        """After the database is back: through PgBouncer (FAULTS_PGBOUNCER=1), wait until it
        serves again. After a failed server login pgbouncer refuses clients at once until its
        next attempt (about every third of a second) succeeds; without it, nothing to wait for."""
        if self.bouncer is None:
            return
        import psycopg2

        def serves():
            # A query, not only a login: pgbouncer accepts a client's login without a server
            # connection, then fails its first query while its server login is being retried.
            try:
                with psycopg2.connect(self.env["DATABASE_URL"], connect_timeout=2) as conn:
                    with conn.cursor() as cursor:
                        cursor.execute("SELECT 1")
                conn.close()
                return True
            except psycopg2.Error:
                return False

        assert wait_for(serves, timeout=timeout), self.bouncer.log()[-3000:]

    def kill(self, name, sig=signal.SIGKILL):
        process = self.processes.pop(name)
        process.send_signal(sig)
        process.wait(timeout=15)

    def stop(self, name):
        process = self.processes.pop(name)
        _end(process)

    def close(self):
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            _end(process)
        self.processes.clear()
        for log in self._logs.values():
            log.close()

    def log(self, name):
        path = self.tmp_path / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def logs(self):
        return "\n".join(f"--- {p.stem}\n{p.read_text(errors='replace')[-4000:]}" for p in sorted(self.tmp_path.glob("*.log")))


def _end(process, timeout=15):
    """SIGTERM, then SIGKILL for the process and anything left in its session (gunicorn's or
    prefork's children)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def require_postgres_and_redis(settings):
    if connection.vendor != "postgresql":
        require_or_skip("the fault tests need PostgreSQL (set DATABASE_URL)")
    if not settings.REDIS_URL or not redis_available(settings.REDIS_URL):
        require_or_skip("the fault tests need Redis (set REDIS_URL)")


@pytest.fixture
def stack_factory(transactional_db, settings, tmp_path):
    """Make a Stack (database and Redis URLs may be replaced, e.g. by a proxy's or a private
    Redis's); every process it started is ended after the test."""
    require_postgres_and_redis(settings)
    stacks = []

    bouncers = []

    def make(*, database=None, redis=None):
        direct = database or database_url()
        if os.environ.get("FAULTS_PGBOUNCER") == "1":
            # Opt-in: the web processes and workers go through a PgBouncer of the test's own in
            # transaction pooling (as docker-compose.yml runs them); beat keeps a direct connection.
            if shutil.which("pgbouncer") is None:
                require_or_skip("FAULTS_PGBOUNCER=1 needs pgbouncer (apt-get install pgbouncer)")
            bouncer = PrivatePgBouncer(direct)
            bouncer.start()
            stack = Stack(tmp_path, database_url=bouncer.url, redis_url=redis or settings.REDIS_URL)
            stack.env["DISABLE_SERVER_SIDE_CURSORS"] = "1"
            stack.direct_database_url = direct
            stack.bouncer = bouncer
            bouncers.append((bouncer, stack))
        else:
            stack = Stack(tmp_path, database_url=direct, redis_url=redis or settings.REDIS_URL)
        stacks.append(stack)
        return stack

    yield make
    for stack in stacks:
        stack.close()
        # Messages nobody consumed (no worker in the test) are not left in the shared Redis.
        redis.Redis.from_url(settings.REDIS_URL).delete(*queue_names(stack.queue))
    for bouncer, stack in bouncers:
        log = bouncer.log()
        bouncer.stop()
        if stack.started - {name for name in stack.started if name.startswith("beat")}:
            assert "login attempt" in log, log  # the web processes and workers did go through it


class PrivatePgBouncer:
    """pgbouncer on a free port in transaction pooling, in front of the PostgreSQL of `target`
    (a postgres:// URL, possibly the TcpProxy's). Started as `postgres` when the tests run as root
    (pgbouncer refuses root), its files in a folder that user can read."""

    def __init__(self, target):
        from urllib.parse import urlsplit

        parts = urlsplit(target)
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
        self.dir.chmod(0o755)
        user = parts.username or "postgres"
        (self.dir / "userlist.txt").write_text(f'"{user}" "{parts.password or ""}"\n')
        (self.dir / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"* = host={parts.hostname} port={parts.port or 5432}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            f"auth_type = {'plain' if parts.password else 'trust'}\nauth_file = {self.dir / 'userlist.txt'}\n"
            "pool_mode = transaction\nmax_client_conn = 200\ndefault_pool_size = 20\n"
            # After a failed server login pgbouncer fails every client at once for
            # server_login_retry (default 15 s): kept short, so that the portal serves again as
            # soon as PostgreSQL is back (as without PgBouncer). A client waits at most 10 s.
            "server_login_retry = 0.2\nquery_wait_timeout = 10\n"
        )
        for path in self.dir.iterdir():
            path.chmod(0o644)
        self.url = f"postgres://{parts.netloc.rsplit('@', 1)[0]}@127.0.0.1:{self.port}{parts.path}"
        self.process = None

    def start(self):
        args = ["pgbouncer", *(["-u", "postgres"] if os.geteuid() == 0 else []), str(self.dir / "pgbouncer.ini")]
        self._log = open(self.dir / "log", "w")
        self.process = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)

        def listening():
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            except OSError:
                return False

        assert wait_for(listening, timeout=10), self.log()

    def log(self):
        return (self.dir / "log").read_text(errors="replace")

    def stop(self):
        if self.process is not None:
            _end(self.process)
            self.process = None
            self._log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    """A redis-server of the test's own on a free port, without persistence: the machine's Redis
    (which other work uses) is never stopped."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.dir = tmp_path / "redis"
        self.dir.mkdir(exist_ok=True)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        assert wait_for(lambda: redis_available(self.url), timeout=10), "private redis did not start"

    def stop(self):
        if self.process is not None:
            _end(self.process)
            self.process = None


@pytest.fixture
def private_redis(tmp_path):
    if shutil.which("redis-server") is None:
        require_or_skip("the Redis outage test needs redis-server")
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class TcpProxy:
    """A TCP proxy on a free loopback port in front of `target` (PostgreSQL), run by an asyncio
    loop in a thread. `cut()` resets every connection and every new one (counted in `refused`),
    as a restarting database server does; `restore()` accepts again. `cut_on(pattern)` cuts at
    the moment a client sends bytes containing `pattern`, before they are forwarded (e.g. in the
    middle of a transaction)."""

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.port = free_port()
        self.cut_off = False
        self.refused = 0  # connections tried while cut off
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server = None
        self.transports = set()
        self.trigger = None
        self.triggered = threading.Event()

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=10)

    def start(self):
        self.thread.start()
        self.restore()

    def restore(self):
        self._run(self._listen())

    def cut(self):
        self._run(self._cut())

    def cut_on(self, pattern):
        self.triggered.clear()
        self.trigger = pattern

    def close(self):
        self.cut()
        self._run(self._shutdown())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()

    async def _shutdown(self):
        if self.server is not None:
            self.server.close()
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _listen(self):
        self.cut_off = False
        if self.server is None:
            self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def _cut(self):
        self.cut_off = True
        for transport in list(self.transports):
            transport.abort()
        self.transports.clear()

    async def _handle(self, reader, writer):
        if self.cut_off:  # accepted and reset at once: the client fails as fast as on a closed port
            self.refused += 1
            writer.transport.abort()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.transports |= {writer.transport, upstream_writer.transport}
        await asyncio.gather(
            self._pipe(reader, upstream_writer, upstream=True), self._pipe(upstream_reader, writer)
        )

    async def _pipe(self, reader, writer, upstream=False):
        try:
            while data := await reader.read(65536):
                if upstream and self.trigger is not None and self.trigger in data:
                    self.trigger = None
                    await self._cut()
                    self.triggered.set()
                    return
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()


@pytest.fixture
def database_proxy(transactional_db, settings):
    require_postgres_and_redis(settings)
    db = connection.settings_dict
    proxy = TcpProxy(db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432))
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.close()


def proxied_database_url(proxy):
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    auth = f"{user}:{db['PASSWORD']}" if db.get("PASSWORD") else user
    return f"postgres://{auth}@127.0.0.1:{proxy.port}/{db['NAME']}"


def wait_until(predicate, timeout=30, message=""):
    assert wait_for(predicate, timeout=timeout), message() if callable(message) else message

