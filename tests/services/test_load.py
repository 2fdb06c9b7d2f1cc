"""The load test's scenario, short (bench/load.py runs it for minutes): locust's citizens,
deputies and staff (bench/locustfile.py) against gunicorn with production settings, PostgreSQL,
Redis and a Celery worker for about 20 seconds. No request may fail, and every submission
locust saw succeed is in the database, once."""

import uuid

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from accounts.models import Role
from bench import load, stack
from core.models import OutboxMessage
from opinions import services as opinion_services
from tests.conftest import require_or_skip
from tests.factories import (
    CategoryFactory, DeputyFactory, StationFactory, StationMembershipFactory, TownshipFactory, UserFactory,
)
from tests.services.conftest import database_url, redis_available, wait_for

pytestmark = pytest.mark.services
PASSWORD = "load-test-9"


def account(username, role):
    """A user whose password the server's production hashers accept (the test settings hash
    with MD5, which congress.settings does not list); few iterations, the login upgrades it."""
    user = UserFactory(username=username, role=role)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, uuid.uuid4().hex[:12], iterations=1000)
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def county(transactional_db):
    township = TownshipFactory(name="城关镇")
    stations = [StationFactory(township=township, name=f"城关镇第{i}代表联络站") for i in range(2)]
    category = CategoryFactory(name="道路交通")
    for i in range(2):
        deputy = DeputyFactory(township=township, user=account(f"1390000{i:04d}", Role.DEPUTY))
        StationMembershipFactory(station=stations[i], deputy=deputy)
    account("loadstaff", Role.STAFF)
    opinion_services.submit_opinion(station=stations[0], category=category, content="村口道路坑洼不平，希望尽快修补。")


@pytest.fixture
def stack_on_loopback(county, settings, tmp_path):
    """gunicorn (DEBUG=0, the public limits raised as bench/load.py raises them) and a Celery
    worker on the test database and Redis."""
    if connection.vendor != "postgresql":
        require_or_skip("the load test needs PostgreSQL (set DATABASE_URL)")
    if not settings.REDIS_URL or not redis_available(settings.REDIS_URL):
        require_or_skip("the load test needs Redis (set REDIS_URL)")
    queue = f"load-{uuid.uuid4().hex[:8]}"
    env = stack.production_env(
        database_url=database_url(), redis_url=settings.REDIS_URL, static_root=tmp_path / "static",
        media_root=tmp_path / "media", CELERY_QUEUE=queue, CACHE_KEY_PREFIX=queue,
    )
    stack.collectstatic(env, compress=False)  # no static file is fetched: the manifest is enough
    port = stack.free_port()
    worker = stack.start_celery_worker(env, tmp_path / "worker.log", concurrency=1, wait=False)
    server = stack.start_gunicorn(env, port, 2, tmp_path / "gunicorn.log", wait=False)
    try:
        stack.wait_for_worker(worker)
        stack.wait_for_gunicorn(server)
        yield f"http://127.0.0.1:{port}"
    finally:
        stack.stop(server)
        stack.stop(worker)


def test_mixed_load_has_no_error_and_every_submission_is_saved_once(stack_on_loopback, tmp_path):
    nonce = f"ci-{uuid.uuid4().hex[:8]}"
    plan = load.plan(nonce, password=PASSWORD, staff=("loadstaff",))
    assert len(plan["stations"]) == 2 and len(plan["deputies"]) == 2 and plan["staff"] == ["loadstaff"]

    result = load.run_locust(
        host=stack_on_loopback, plan_data=plan, users=12, warm_up=5, measure=15, workdir=tmp_path,
        spawn_seconds=3,
    )

    assert result["errors"] == {}
    stats = result["stats"]
    assert stats["Aggregated"]["requests"] > 50
    assert "GET /s/[code]/" in stats, sorted(stats)
    assert {"GET /suggestions/", "GET /opinions/", "GET /deputies/", "GET /stations/"} & set(stats), sorted(stats)
    submitted = result["submitted"]
    assert submitted.get("opinions", 0) > 0 and submitted.get("visits", 0) > 0, submitted
    found = load.rows(nonce)
    assert load.mismatches(submitted, found) == []
    assert (found["opinions"], found["visits"], found["receptions"]) == (
        submitted["opinions"], submitted["visits"], submitted["receptions"]
    )
    # What the submissions scheduled was handed to Redis for the worker, none left behind.
    assert wait_for(lambda: not OutboxMessage.objects.filter(sent_at__isnull=True).exists(), timeout=20)
