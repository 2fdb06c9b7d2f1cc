import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import outbox
from notifications.models import Delivery, Notification
from notifications.sms import get_backend

logger = logging.getLogger(__name__)


def notify(recipient, *, key, kind, title, body="", url="", sms=False):
    """Send `recipient` a message once: in-app always, by e-mail when the user has an address,
    by SMS when `sms` is set and the user has a phone number.

    Returns the new Notification, or None when a notification with this key already exists
    (the caller ran twice, retried, or raced another worker)."""
    if recipient is None or not recipient.is_active:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, key=key, kind=kind, title=title, body=body, url=url
            )
    except IntegrityError:
        return None
    deliveries = []
    if recipient.email:
        deliveries.append(
            Delivery(notification=notification, channel=Delivery.Channel.EMAIL, address=recipient.email)
        )
    if sms and recipient.phone:
        deliveries.append(
            Delivery(notification=notification, channel=Delivery.Channel.SMS, address=recipient.phone)
        )
    if deliveries:
        Delivery.objects.bulk_create(deliveries)
        outbox.enqueue("notifications.tasks.send_deliveries", notification_id=notification.pk)
    return notification


def _absolute(url):
    return f"{settings.PUBLIC_BASE_URL}{url}" if url.startswith("/") else url


def send_deliveries(notification_id):
    """Send a notification's pending e-mail/SMS deliveries. Each is locked while it is sent and
    marked sent afterwards, so a retried or duplicated task sends nothing twice."""
    sent = 0
    pending_ids = list(
        Delivery.objects.filter(
            notification_id=notification_id, status=Delivery.Status.PENDING
        ).values_list("pk", flat=True)
    )
    for delivery_id in pending_ids:
        with transaction.atomic():
            delivery = (
                Delivery.objects.select_for_update(skip_locked=True)
                .select_related("notification")
                .filter(pk=delivery_id, status=Delivery.Status.PENDING)
                .first()
            )
            if delivery is None:
                continue
            note = delivery.notification
            delivery.attempts += 1
            try:
                if delivery.channel == Delivery.Channel.EMAIL:
                    text = note.body + (f"\n\n{_absolute(note.url)}" if note.url else "")
                    send_mail(note.title, text, None, [delivery.address])
                else:
                    get_backend().send(delivery.address, f"{note.title}。{note.body}"[:300])
            except Exception as exc:
                logger.warning("%s delivery failed: %s", delivery.channel, exc)
                delivery.error = str(exc)[:2000]
                if delivery.attempts >= 5:
                    delivery.status = Delivery.Status.FAILED
                delivery.save(update_fields=["attempts", "error", "status"])
                continue
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.save(update_fields=["attempts", "status", "sent_at"])
            sent += 1
    return sent


def mark_read(user, notification_ids=None):
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
