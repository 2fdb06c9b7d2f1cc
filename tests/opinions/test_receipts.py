"""A person who leaves a mobile number (with consent) gets an SMS receipt with the tracking code
and another when the opinion is answered; the number is not kept once sent, and is erased with
the opinion's personal data if the SMS never went."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from notifications.models import Delivery, Notification
from notifications.providers.log import MemoryProvider
from notifications.selectors import sms_cost
from opinions import services


def submit(world, capture, phone="13912345678"):
    with capture(execute=True):
        return services.submit_opinion(
            station=world.station, category=world.category, content="村口路灯坏了很久，晚上很黑，老人出门不方便。",
            name="王大妈" if phone else "", phone=phone, consent=bool(phone),
        )


def test_receipt_and_answer_by_sms_to_the_person(world, django_capture_on_commit_callbacks, today):
    MemoryProvider.outbox.clear()
    opinion = submit(world, django_capture_on_commit_callbacks)
    receipt = Notification.objects.get(kind="opinion_receipt")
    assert receipt.recipient is None and opinion.tracking_code in receipt.title
    assert receipt.url == f"/track/{opinion.tracking_code}/"
    assert ("13912345678", "opinion_receipt") in [sent[:2] for sent in MemoryProvider.outbox]
    assert Delivery.objects.get(notification=receipt).address == "139****5678"  # not kept once sent
    services.adopt(opinion, by=world.deputy_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(opinion, by=world.deputy_user, reply="已联系供电所，明天修好。")
    answered = Notification.objects.get(kind="opinion_answered")
    assert opinion.tracking_code in answered.title and "已答复" in answered.title
    assert {(r["kind"], r["township"]) for r in sms_cost(today)} >= {
        ("opinion_receipt", "城关镇"), ("opinion_answered", "城关镇")}


def test_no_number_no_receipt(world, django_capture_on_commit_callbacks):
    submit(world, django_capture_on_commit_callbacks, phone="")
    assert not Notification.objects.filter(kind="opinion_receipt").exists()


def test_an_unsent_receipts_number_is_erased_with_the_opinion(world, settings, django_capture_on_commit_callbacks):
    settings.SMS_PROVIDER = "sms-king"  # misconfigured: the receipt waits
    opinion = submit(world, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(notification__kind="opinion_receipt")
    assert delivery.status == "pending" and delivery.address == "13912345678"
    services.adopt(opinion, by=world.deputy_user)
    services.answer(opinion, by=world.deputy_user, reply="已处理。")
    with time_machine.travel(timezone.now() + timedelta(days=settings.OPINION_RETENTION_DAYS + 1)):
        assert services.erase_expired_personal_data() == 1
    delivery.refresh_from_db()
    assert delivery.address == "139****5678"
