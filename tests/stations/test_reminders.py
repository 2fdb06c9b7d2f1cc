"""Duty reminders go out exactly once; past shifts nobody attended become missed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from notifications.models import Delivery, Notification
from notifications.providers.log import MemoryProvider
from stations import services, tasks
from stations.models import DutyAssignment
from tests.conftest import require_or_skip
from tests.threads import at_once
from tests.stations.conftest import make_deputy_with_account, make_shift

pytestmark = pytest.mark.calendar


@pytest.fixture
def tomorrow_shift(station, township):
    first = make_deputy_with_account(township, "王建国", email="wjg@example.cn", phone="13911112222")
    first.user.phone = "13911112222"
    first.user.save(update_fields=["phone"])
    second = make_deputy_with_account(township, "李秀英")
    return make_shift(station, timezone.localdate() + timedelta(days=1), [first, second])


def test_every_deputy_on_duty_tomorrow_is_reminded_once(tomorrow_shift, django_capture_on_commit_callbacks):
    MemoryProvider.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_duty_reminders() == 2
    assert services.send_duty_reminders() == 0
    tasks.send_duty_reminders.delay()
    call_command("send_duty_reminders", verbosity=0)
    notes = Notification.objects.filter(kind="duty_reminder")
    assert notes.count() == 2
    note = notes.get(recipient__name="王建国")
    assert note.key == f"duty-reminder:shift-{tomorrow_shift.pk}:deputy-{note.recipient.deputy.pk}"
    assert "明天" in note.title and tomorrow_shift.station.name in note.title
    # In-app always; e-mail when known; SMS (DUTY_REMINDER_SMS) when the account has a number.
    assert set(Delivery.objects.filter(notification=note).values_list("channel", flat=True)) == {"email", "sms"}
    assert len(mail.outbox) == 1 and len(MemoryProvider.outbox) == 1


def test_sms_can_be_switched_off(tomorrow_shift, settings):
    settings.DUTY_REMINDER_SMS = False
    services.send_duty_reminders()
    assert not Delivery.objects.filter(channel="sms").exists()


def test_no_reminder_for_other_days_or_inactive_stations(tomorrow_shift, station):
    assert services.send_duty_reminders(day=timezone.localdate() + timedelta(days=2)) == 0
    station.is_active = False
    station.save()
    assert services.send_duty_reminders() == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_still_send_each_reminder_once(tomorrow_shift):
    if connection.vendor != "postgresql":
        require_or_skip("concurrent workers need PostgreSQL (set DATABASE_URL)")
    assert not at_once(services.send_duty_reminders)
    assert Notification.objects.filter(kind="duty_reminder").count() == 2


def test_past_unattended_shifts_become_missed(station, deputy, member):
    shift = make_shift(station, timezone.localdate() - timedelta(days=1), [deputy])
    assert services.close_past_shifts() == 1
    assert services.close_past_shifts() == 0
    assignment = DutyAssignment.objects.get(shift=shift)
    assert assignment.attendance == DutyAssignment.Attendance.ABSENT
    assert list(DutyAssignment.objects.missed()) == [assignment]
