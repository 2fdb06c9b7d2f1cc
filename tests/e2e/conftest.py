import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from tests.demo_snapshot import load_demo

# Data that migrations create (RunPython), which a flush removes and seed_demo needs.
MIGRATION_DATA = [
    ("stations.migrations.0002_default_categories_and_duty_rule", "create"),
    ("suggestions.migrations.0002_default_categories", "add_defaults"),
]


def restore_migration_data():
    for module, function in MIGRATION_DATA:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The demo county (`seed_demo`, copied back from the process's first seeding by
    `tests.demo_snapshot`) served by a live server for a whole test module: the module's tests
    share one copy instead of loading (and flushing) one per test.
    Tests must leave it usable for the next test; the database is emptied afterwards.

    Mark the tests `django_db` (that sets the test database up). Their own ORM writes then stay
    in the test's transaction, unseen by the server: write through `tests.browser.in_thread`."""
    from pytest_django.live_server_helper import LiveServer

    from opinions.models import Opinion
    from stations.models import Station

    # Earlier tests' public submissions from 127.0.0.1 count against the per-address limits.
    cache.clear()
    with django_db_blocker.unblock():
        restore_migration_data()
        load_demo()
        station = Station.objects.active().filter(township__name="城关镇").order_by("pk").first()
        opinion = Opinion.objects.order_by("pk").first()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield SimpleNamespace(url=server.url, station_code=station.code, tracking_code=opinion.tracking_code)
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            restore_migration_data()
