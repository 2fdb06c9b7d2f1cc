import os
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from accounts.models import Role
from tests.factories import DeputyFactory, HandlingUnitFactory, TownshipFactory, UserFactory

# Generating inputs can take a second on a busy CI machine (two cores, three lanes of tests):
# that is the machine, not the strategy. Each property test keeps its own example counts.
hypothesis_settings.register_profile("lianxin", suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("lianxin")

PASSWORD = "correct-horse-9"

# The day the suite runs on, whatever the machine's date: a test that passed yesterday passes
# today. CI also runs the date-sensitive tests (marked `calendar`) on days chosen to break them
# (tests/suite.sh passes `--today`).
DEFAULT_TODAY = "2026-11-24"
# Tests that share the clock with other processes (a browser, gunicorn, a Celery worker, a
# PostgreSQL server's now()) run on the machine's clock; they work out every date they use
# from the day they run, never assume one.
REAL_CLOCK_DIRS = {"e2e", "services", "faults", "security"}
TESTS = Path(__file__).resolve().parent


def pytest_addoption(parser):
    parser.addoption(
        "--today", default=os.environ.get("LIANXIN_TEST_TODAY", DEFAULT_TODAY),
        help=f"the date (YYYY-MM-DD) the suite's clock is frozen at (default {DEFAULT_TODAY})",
    )
    parser.addoption(
        "--calendar-days", default="",
        help="comma-separated dates: run each test marked `calendar` once on each of them",
    )


def pytest_generate_tests(metafunc):
    days = metafunc.config.getoption("calendar_days")
    if days and metafunc.definition.get_closest_marker("calendar") and "today" in metafunc.fixturenames:
        days = [day.strip() for day in days.split(",") if day.strip()]
        # Function scope: grouping the tests by day would run transactional tests (which empty
        # the database) between the database tests of the next day.
        metafunc.parametrize("today", [date.fromisoformat(day) for day in days], ids=days, indirect=True,
                             scope="function")


def on_the_real_clock(item):
    relative = Path(str(item.path)).resolve().relative_to(TESTS)
    return relative.parts[0] in REAL_CLOCK_DIRS or item.get_closest_marker("browser") is not None


@pytest.fixture(scope="session")
def today(request, pytestconfig):
    """The suite's today (`--today`, or one of `--calendar-days` for a `calendar` test): data
    built "up to today" takes its date from here."""
    return getattr(request, "param", None) or date.fromisoformat(pytestconfig.getoption("today"))


@pytest.fixture(autouse=True)
def frozen_clock(request, today):
    """Every test runs at 10:00 (Asia/Shanghai) on `today`; the clock ticks on from there, so
    code that waits or measures time still works. time_machine.travel inside a test nests."""
    if on_the_real_clock(request.node):
        yield None
        return
    with time_machine.travel(datetime.combine(today, time(10), tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield today


def require_or_skip(reason):
    """Skip a test whose service is missing, except in CI (REQUIRE_SERVICES=1), where it fails."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def township(db):
    return TownshipFactory(name="城关镇")


@pytest.fixture
def other_township(db):
    return TownshipFactory(name="青山镇")


@pytest.fixture
def make_user(db):
    def make(role=Role.STAFF, **fields):
        return UserFactory(role=role, **fields)

    return make


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, username="admin1", is_staff=True)


@pytest.fixture
def staff(make_user):
    return make_user(Role.STAFF, username="staff1")


@pytest.fixture
def township_staff(make_user, other_township):
    return make_user(Role.STAFF, username="staff_qs", region=other_township)


@pytest.fixture
def deputy_user(make_user, township):
    user = make_user(Role.DEPUTY, username="deputy1")
    DeputyFactory(name="张三丽", township=township, user=user)
    return user


@pytest.fixture
def unit_user(make_user):
    return make_user(Role.UNIT, username="unit1", handling_unit=HandlingUnitFactory(name="县交通运输局"))


@pytest.fixture
def manager_user(make_user):
    return make_user(Role.STATION_MANAGER, username="manager1")


@pytest.fixture
def login():
    """A Django test client signed in as `user`."""

    def client_for(user):
        client = Client()
        client.force_login(user)
        return client

    return client_for
