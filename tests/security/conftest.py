import pytest
from django.core.management import call_command
from pytest_django.live_server_helper import LiveServer

from tests.security import world as world_module


def asks_for_a_database(item):
    return item.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    )


@pytest.fixture(scope="session")
def test_database(request, django_db_setup, django_db_blocker):
    """pytest-django creates the test database only when some collected test asks for it; when
    only these tests run (they use no `db` fixture), none does, so create it here."""
    if any(asks_for_a_database(item) for item in request.session.items):
        yield
        return
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        created = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        teardown_databases(created, verbosity=0)


@pytest.fixture(scope="package")
def seeded_world(test_database, django_db_blocker):
    """The demo county, seeded once and committed (the API tests fuzz it through a live server);
    emptied again when the last test of tests/security is done, so tests elsewhere never see it.
    Tests that use it open the database with `django_db_blocker` (no `db` fixture: pytest-django
    runs them after the database tests, and no transaction wraps them)."""
    with django_db_blocker.unblock():
        world_module.seed()
        world = world_module.build()
    yield world
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        world_module.put_back_migration_data()


@pytest.fixture(scope="package")
def world_server(seeded_world, django_db_blocker):
    """A live server on the seeded world. Not pytest-django's live_server, which would empty the
    database after each test."""
    with django_db_blocker.unblock():
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        yield server
        server._live_server_modified_settings.disable()
        server.stop()


@pytest.fixture
def world(seeded_world, django_db_blocker):
    with django_db_blocker.unblock():
        yield seeded_world
