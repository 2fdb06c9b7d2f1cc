from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import AuditEntry
from deputies.models import Deputy
from tests.conftest import PASSWORD


def test_create_and_update_are_logged_with_the_actor_and_masked_phone(staff, login, township):
    client = login(staff)
    client.post(
        "/deputies/new/",
        {"name": "王建国", "gender": "male", "ethnicity": "汉族", "level": "county", "term": 18,
         "township": township.pk, "sector": "farmer", "phone": "13912345678", "status": "active"},
    )
    deputy = Deputy.objects.get()
    created = AuditEntry.objects.get(action="create", object_id=str(deputy.pk), content_type__model="deputy")
    assert created.actor == staff
    assert created.changes["phone"] == [None, "139****5678"]

    client.post(
        f"/deputies/{deputy.pk}/edit/",
        {"name": "王建国", "gender": "male", "ethnicity": "汉族", "level": "county", "term": 18,
         "township": township.pk, "sector": "worker", "phone": "13912345678", "status": "active"},
    )
    updated = AuditEntry.objects.filter(
        action="update", object_id=str(deputy.pk), content_type__model="deputy"
    ).first()  # newest first
    assert updated.changes == {"sector": ["farmer", "worker"]}
    assert updated.actor == staff


def test_api_changes_are_attributed_to_the_token_user(client, staff, township):
    token = client.post("/api/v1/auth/token/", {"username": "staff1", "password": PASSWORD}, content_type="application/json").json()["token"]
    client.post(
        "/api/v1/deputies/",
        {"name": "刘海波", "gender": "male", "level": "county", "term": 18, "township": township.pk},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert AuditEntry.objects.get(action="create", content_type__model="deputy").actor == staff


def test_logins_and_failures_are_logged(client, staff):
    client.post("/accounts/login/", {"username": "staff1", "password": "bad"})
    client.post("/accounts/login/", {"username": "staff1", "password": PASSWORD})
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "login_failed" in actions and "login" in actions


def test_admins_read_the_log_and_nobody_edits_it(admin, staff, login, township):
    login(staff).post("/accounts/logout/")
    assert login(admin).get("/admin/audit/auditentry/").status_code == 200
    assert login(staff).get("/admin/audit/auditentry/").status_code == 302  # no admin site access
    entry = AuditEntry.objects.create(action="login", object_repr="x")
    assert login(admin).post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403


def test_pruning_keeps_at_least_180_days(staff, settings):
    now = timezone.now()
    old, recent = (AuditEntry.objects.create(action="login", actor=staff) for _ in range(2))
    AuditEntry.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=400))
    AuditEntry.objects.filter(pk=recent.pk).update(created_at=now - timedelta(days=179))
    with pytest.raises(CommandError, match="至少保留180天"):
        call_command("prune_audit", days=90)
    assert AuditEntry.objects.filter(pk__in=[old.pk, recent.pk]).count() == 2
    settings.AUDIT_RETENTION_DAYS = 365
    call_command("prune_audit")
    assert list(AuditEntry.objects.filter(pk__in=[old.pk, recent.pk]).values_list("pk", flat=True)) == [recent.pk]
