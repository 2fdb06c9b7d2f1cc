import os

import pytest
from django.test import Client

from accounts.models import Role
from tests.factories import DeputyFactory, HandlingUnitFactory, TownshipFactory, UserFactory

PASSWORD = "correct-horse-9"


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
    return make_user(Role.STAFF, username="staff_qs", township=other_township)


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
