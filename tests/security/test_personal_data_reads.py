"""Issue 22, item 7: reading personal data leaves a trace. Every page or API answer that shows a
full phone number writes ONE audit entry (查阅: who, when, which kind of record, how many, from
where), and so does each look-up at /privacy/ and each export or downloaded report; a list pays
one INSERT for it, whatever its length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from tests.factories import DeputyFactory
from tests.opinions.conftest import World

VIEW = AuditEntry.Action.VIEW


@pytest.fixture
def world(db):
    return World()


def inserts(queries):
    return [q["sql"] for q in queries if q["sql"].startswith("INSERT") and "audit_auditentry" in q["sql"]]


def test_a_list_of_full_numbers_writes_one_entry_with_the_count(world, login):
    for n in range(3):
        world.opinion(phone=f"1391234567{n}")
    client = login(world.staff)
    client.get(reverse("opinion-list"))  # warm the per-process caches (content types, categories)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("opinion-list")).status_code == 200
    assert AuditEntry.objects.filter(action=VIEW).count() == 2  # one per request
    entry = AuditEntry.objects.filter(action=VIEW).latest("id")
    assert entry.actor == world.staff and entry.changes["count"] == 3
    assert entry.ip_address == "127.0.0.1" and "群众意见" in entry.object_repr
    assert len(inserts(few.captured_queries)) == 1
    for n in range(7):
        world.opinion(phone=f"1381234567{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("opinion-list"))
    # Ten rows cost the same queries as three: one INSERT for the whole list.
    assert len(many.captured_queries) == len(few.captured_queries)
    assert AuditEntry.objects.filter(action=VIEW).order_by("-id").first().changes["count"] == 10


def test_the_list_stays_within_its_query_budget(world, login, django_assert_max_num_queries):
    for n in range(5):
        world.opinion(phone=f"1391234567{n}")
    client = login(world.staff)
    client.get(reverse("opinions:list"))  # warm the per-process caches
    with django_assert_max_num_queries(15):
        client.get(reverse("opinion-list"))


def test_masked_numbers_leave_no_view_entry(world, login):
    world.opinion(phone="13912345678")
    login(world.deputy_user).get(reverse("opinion-list"))
    assert not AuditEntry.objects.filter(action=VIEW).exists()


def test_a_pages_full_number_writes_one_entry(world, login):
    opinion = world.opinion(phone="13912345678")
    login(world.staff).get(reverse("opinions:detail", args=[opinion.pk]))
    deputy = DeputyFactory(phone="13700001111", township=world.township)
    login(world.staff).get(reverse("deputies:detail", args=[deputy.pk]))
    assert AuditEntry.objects.filter(action=VIEW).count() == 2


def test_every_privacy_look_up_writes_an_entry_found_or_not(world, login):
    world.opinion(phone="13912345678")
    client = login(world.staff)
    client.get(reverse("privacy:person"), {"phone": "13912345678"})
    client.get(reverse("privacy:person"), {"phone": "13600000000"})
    counts = [e.changes["count"] for e in AuditEntry.objects.filter(action=VIEW).order_by("id")]
    assert counts == [1, 0]


def test_an_export_writes_a_view_entry(world, login):
    world.opinion(phone="13912345678")
    assert login(world.staff).get(reverse("opinions:export")).status_code == 200
    assert AuditEntry.objects.filter(action=VIEW).count() == 1


def test_the_audit_log_filters_by_viewing(world, login, admin):
    world.opinion(phone="13912345678")
    login(world.staff).get(reverse("opinion-list"))
    page = login(admin).get("/admin/audit/auditentry/", {"action__exact": "view"})
    assert page.status_code == 200 and "查阅" in page.content.decode()
    assert page.context["cl"].result_count == AuditEntry.objects.filter(action=VIEW).count() >= 1
