"""When deliveries go: quiet hours, the daily SMS limit, the retry schedule, a worker that died
mid-send, and configuration that is missing (the message waits, nothing is lost). The clock is
frozen (time-machine) at chosen local times."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from notifications.models import Delivery
from notifications.providers.log import MemoryProvider
from notifications.services import attempt, notify, send_due
from tests.notifications import standin as standins

SHANGHAI = ZoneInfo("Asia/Shanghai")
PARAMS = {"date": date(2026, 11, 25), "station": "城关镇人大代表之家", "time": "09:00–17:00", "address": "人民路1号"}


def local(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def remind(user, capture, key):
    with capture(execute=True):
        return notify(user, key=key, kind="duty_reminder", params=PARAMS)


def cancel_notice(user, capture, key):
    with capture(execute=True):
        return notify(user, key=key, kind="activity_cancelled",
                      params={"activity": "专题调研", "starts_at": timezone.now(), "reason": "因天气原因"})


def test_no_sms_at_night_the_reminder_waits_until_seven(person, today, django_capture_on_commit_callbacks):
    person.email = "wjg@example.cn"
    person.save()
    with time_machine.travel(local(today, 23, 15), tick=False):
        note = remind(person, django_capture_on_commit_callbacks, "night")
        sms = Delivery.objects.get(notification=note, channel="sms")
        assert (sms.status, sms.held, sms.attempts) == ("pending", "quiet_hours", 0)
        assert sms.next_attempt_at == local(today + timedelta(days=1), 7)
        # E-mail is not held; SMS is not sent at night.
        assert Delivery.objects.get(notification=note, channel="email").status == "sent" and len(mail.outbox) == 1
        assert MemoryProvider.outbox == []
    with time_machine.travel(local(today + timedelta(days=1), 6, 59), tick=False):
        assert send_due() == 0
    with time_machine.travel(local(today + timedelta(days=1), 7, 0), tick=False):
        assert send_due() == 1
    sms.refresh_from_db()
    assert (sms.status, sms.held, sms.attempts) == ("sent", "", 1) and len(MemoryProvider.outbox) == 1


def test_an_urgent_kind_goes_at_night_too(person, today, django_capture_on_commit_callbacks):
    with time_machine.travel(local(today, 23, 30), tick=False):
        note = cancel_notice(person, django_capture_on_commit_callbacks, "urgent")
    assert Delivery.objects.get(notification=note, channel="sms").status == "sent"
    assert MemoryProvider.outbox[0][1] == "activity_cancelled"


def test_early_morning_is_quiet_too(person, today, django_capture_on_commit_callbacks):
    with time_machine.travel(local(today, 5, 0), tick=False):
        sms = Delivery.objects.get(notification=remind(person, django_capture_on_commit_callbacks, "dawn"), channel="sms")
    assert sms.held == "quiet_hours" and sms.next_attempt_at == local(today, 7)


def test_at_most_the_daily_limit_to_one_number_the_rest_the_next_morning(person, today, settings,
                                                                         django_capture_on_commit_callbacks):
    settings.SMS_DAILY_LIMIT = 2
    with time_machine.travel(local(today, 10), tick=False):
        notes = [remind(person, django_capture_on_commit_callbacks, f"cap-{n}") for n in range(3)]
    statuses = [Delivery.objects.get(notification=n, channel="sms") for n in notes]
    assert [d.status for d in statuses] == ["sent", "sent", "pending"]
    held = statuses[2]
    assert held.held == "daily_limit" and held.next_attempt_at == local(today + timedelta(days=1), 7)
    assert len(MemoryProvider.outbox) == 2
    with time_machine.travel(local(today + timedelta(days=1), 7, 1), tick=False):
        assert send_due() == 1
    held.refresh_from_db()
    assert held.status == "sent"


def test_a_refused_send_does_not_use_up_the_days_limit(aliyun, template, person, settings,
                                                       django_capture_on_commit_callbacks):
    settings.SMS_DAILY_LIMIT = 1
    template("duty_reminder", "aliyun", [("station", "station")])
    aliyun.answer = standins.aliyun_template_error
    remind(person, django_capture_on_commit_callbacks, "refused")
    aliyun.answer = standins.aliyun_ok
    note = remind(person, django_capture_on_commit_callbacks, "accepted")
    assert Delivery.objects.get(notification=note, channel="sms").status == "sent"


def test_retries_after_1_5_30_and_120_minutes_then_failed(aliyun, template, person, today,
                                                          django_capture_on_commit_callbacks):
    template("duty_reminder", "aliyun", [("station", "station")])
    aliyun.answer = standins.aliyun_throttled
    moment = local(today, 9, 0)
    with time_machine.travel(moment, tick=False):
        delivery = Delivery.objects.get(notification=remind(person, django_capture_on_commit_callbacks, "r"), channel="sms")
    waits = []
    while delivery.status == "pending":
        waits.append(delivery.next_attempt_at - moment)
        moment = delivery.next_attempt_at
        with time_machine.travel(moment - timedelta(seconds=1), tick=False):
            assert send_due() == 0  # not a second early
        with time_machine.travel(moment, tick=False):
            send_due()
        delivery.refresh_from_db()
    assert waits == [timedelta(minutes=m) for m in (1, 5, 30, 120)]
    assert (delivery.status, delivery.attempts, delivery.error_code) == ("failed", 5, "Throttling.User")
    assert len(aliyun.requests) == 5


def test_a_delivery_claimed_by_a_worker_is_not_sent_by_another(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        note = notify(person, key="claimed", kind="duty_reminder", params=PARAMS)
    sms = Delivery.objects.get(notification=note, channel="sms")
    Delivery.objects.filter(pk=sms.pk).update(claimed_until=timezone.now() + timedelta(minutes=4), attempts=1)
    assert attempt(sms.pk) is None and send_due() == 0
    assert MemoryProvider.outbox == []


def test_a_worker_that_died_mid_send_leaves_a_failed_delivery_never_a_second_sms(person,
                                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        note = notify(person, key="crashed", kind="duty_reminder", params=PARAMS)
    sms = Delivery.objects.get(notification=note, channel="sms")
    Delivery.objects.filter(pk=sms.pk).update(claimed_until=timezone.now() - timedelta(seconds=1), attempts=1)
    send_due()
    sms.refresh_from_db()
    assert (sms.status, sms.error_code) == ("failed", "INTERRUPTED") and "核实" in sms.error
    assert MemoryProvider.outbox == []


def test_a_missing_template_keeps_the_sms_waiting_until_it_is_added(aliyun, template, person,
                                                                    django_capture_on_commit_callbacks):
    note = remind(person, django_capture_on_commit_callbacks, "no-template")
    sms = Delivery.objects.get(notification=note, channel="sms")
    assert (sms.status, sms.held, sms.attempts, sms.error_code) == ("pending", "configuration", 0, "CONFIGURATION")
    assert "值班提醒" in sms.error and "duty_reminder" in sms.error
    assert aliyun.requests == []
    template("duty_reminder", "aliyun", [("station", "station")])
    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=1)):
        assert send_due() == 1
    sms.refresh_from_db()
    assert (sms.status, sms.held, sms.attempts) == ("sent", "", 1)


@pytest.mark.parametrize("change, message", [
    ({"SMS_PROVIDER": "sms-king"}, "未知的短信服务商"),
    ({"SMS_ACCESS_KEY_SECRET": ""}, "SMS_ACCESS_KEY_SECRET"),
    ({"SMS_SIGN_NAME": ""}, "SMS_SIGN_NAME"),
])
def test_bad_configuration_keeps_the_sms_waiting(aliyun, template, person, settings, change, message,
                                                 django_capture_on_commit_callbacks):
    template("duty_reminder", "aliyun", [("station", "station")])
    for name, value in change.items():
        setattr(settings, name, value)
    sms = Delivery.objects.get(notification=remind(person, django_capture_on_commit_callbacks, "bad"), channel="sms")
    assert (sms.status, sms.held) == ("pending", "configuration") and message in sms.error
    assert aliyun.requests == []


@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_the_same_delivery_send_it_once(person):
    from django.db import connection

    from tests.conftest import require_or_skip
    from tests.threads import at_once

    if connection.vendor != "postgresql":
        require_or_skip("concurrent workers need PostgreSQL (set DATABASE_URL)")
    note = notify(person, key="race", kind="duty_reminder", params=PARAMS)  # autocommit: published at once
    Delivery.objects.filter(notification=note).update(status="pending", attempts=0, sent_at=None)
    MemoryProvider.outbox.clear()
    sms = Delivery.objects.get(notification=note, channel="sms")
    assert not at_once(lambda: attempt(sms.pk))
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == ("sent", 1) and len(MemoryProvider.outbox) == 1
