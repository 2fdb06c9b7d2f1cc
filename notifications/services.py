"""Sending notifications: in-app always; e-mail, SMS and WeChat as each person chose, each
delivery exactly once, with retries, quiet hours and a daily SMS limit (notifications.rules)."""

import logging
import uuid
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.registry import log
from core import outbox
from core.links import absolute_url
from core.exceptions import Conflict, DomainError
from core.privacy import mask_phone
from notifications import kinds, permissions, rules, wechat
from notifications.models import Channel, ChannelSettings, Delivery, Notification
from notifications.providers import (
    ConfigurationError, OutgoingMessage, ProviderAnswer, ProviderError, provider_for, template_for,
)

logger = logging.getLogger(__name__)

# A worker holds a delivery this long while the provider answers (the SDKs time out well before).
CLAIM_LEASE = timedelta(minutes=5)
# A delivery waiting for configuration (a template, credentials) is looked at again this often.
CONFIGURATION_RECHECK = timedelta(minutes=5)


# --- Creating notifications ---------------------------------------------------------------


def channel_settings(user):
    """The user's channel choices (defaults when never saved: every channel on)."""
    found = ChannelSettings.objects.filter(user=user).first()
    return found or ChannelSettings(user=user)


def _channels(recipient, kind, *, push=None, choice=None):
    """[(channel, address)] a notice of `kind` goes to besides in-app (`choice`: the recipient's
    ChannelSettings when the caller has them already)."""
    choice = choice or channel_settings(recipient)
    out = []
    if recipient.email and choice.email:
        out.append((Channel.EMAIL, recipient.email))
    if kind.pushes() if push is None else push:
        if recipient.phone and choice.sms:
            out.append((Channel.SMS, recipient.phone))
        if choice.wechat and choice.wechat_openid and wechat.configured():
            out.append((Channel.WECHAT, choice.wechat_openid))
    return out


def _create(*, recipient, key, kind, params, url, township_id=None):
    kind = kinds.get(kind)
    params = params or {}
    kind.check(params)
    title, body = kind.render(params)
    try:
        with transaction.atomic():
            return kind, Notification.objects.create(
                recipient=recipient, key=key, kind=kind.code, params=kind.to_json(params),
                title=title[:200], body=body, url=url, township_id=township_id,
            )
    except IntegrityError:
        return kind, None


def _schedule(notification, addresses, *, enqueue=True):
    if not addresses:
        return
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(notification=notification, channel=channel, address=address, next_attempt_at=now)
        for channel, address in addresses
    )
    if enqueue:
        outbox.enqueue("notifications.tasks.send_deliveries", notification_id=notification.pk)


# One outbox message (one task) sends this many notifications' deliveries.
SEND_BATCH = 200


def notify(recipient, *, key, kind, params=None, url=""):
    """Send `recipient` a message of `kind` (a MessageKind or its code) once: in-app always,
    by e-mail when the user has an address, by SMS and WeChat when the kind goes out that way
    (`kind.pushes()`), the user has a number or a bound WeChat, and has not switched the
    channel off. `params` are the kind's parameters, each of its type.

    Returns the new Notification, or None when a notification with this key already exists
    (the caller ran twice, retried, or raced another worker)."""
    if recipient is None or not recipient.is_active:
        kinds.get(kind).check(params or {})
        return None
    kind, notification = _create(recipient=recipient, key=key, kind=kind, params=params, url=url)
    if notification is not None:
        _schedule(notification, _channels(recipient, kind))
    return notification


def notify_many(recipients, *, kind, params=None, url=""):
    """`notify` for many people at once with the same message (a vote opening for its whole
    electorate): `recipients` is [(user, key)]. A constant number of statements whatever their
    number: the notifications, their deliveries and one outbox message per SEND_BATCH
    notifications. Inactive or missing users and keys already sent are skipped, as by `notify`.

    Returns the new Notifications."""
    kind = kinds.get(kind)
    params = params or {}
    kind.check(params)
    wanted = {key: user for user, key in recipients if user is not None and user.is_active}
    if not wanted:
        return []
    sent_before = set(Notification.objects.filter(key__in=wanted).values_list("key", flat=True))
    wanted = {key: user for key, user in wanted.items() if key not in sent_before}
    title, body = kind.render(params)
    stored = kind.to_json(params)
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(
                Notification(recipient=user, key=key, kind=kind.code, params=stored, title=title[:200],
                             body=body, url=url)
                for key, user in wanted.items()
            )
    except IntegrityError:
        # Another worker sent some of them meanwhile: one at a time, each exactly once.
        made = (notify(user, key=key, kind=kind, params=params, url=url) for key, user in wanted.items())
        return [notification for notification in made if notification is not None]
    choices = {c.user_id: c for c in ChannelSettings.objects.filter(user__in=wanted.values())}
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(notification=notification, channel=channel, address=address, next_attempt_at=now)
        for notification in created
        for channel, address in _channels(
            notification.recipient, kind,
            choice=choices.get(notification.recipient.pk) or ChannelSettings(user=notification.recipient),
        )
    )
    with_deliveries = list(
        Delivery.objects.filter(notification__in=created).values_list("notification_id", flat=True).distinct()
    )
    for start in range(0, len(with_deliveries), SEND_BATCH):
        outbox.enqueue("notifications.tasks.send_many_deliveries",
                       notification_ids=sorted(with_deliveries[start:start + SEND_BATCH]))
    return created


def notify_number(number, *, key, kind, params=None, url="", township_id=None):
    """Send an SMS of `kind` to a member of the public who left `number` (no account), once
    per key. The number is kept only until the SMS is sent; `township` counts it in the
    monthly SMS figures (`township_id`). Returns the Notification, or None (no number, or sent before)."""
    number = (number or "").strip()
    kind_obj = kinds.get(kind)
    kind_obj.check(params or {})
    if not number or not kind_obj.pushes():
        return None
    kind_obj, notification = _create(recipient=None, key=key, kind=kind_obj, params=params, url=url,
                                     township_id=township_id)
    if notification is not None:
        _schedule(notification, [(Channel.SMS, number)])
    return notification


def send_test_message(number, *, kind, params):
    """`manage.py send_test_message`: one message of `kind` to `number` by SMS now, whatever
    the hour or the day's count, and to the number's account (if any) by e-mail and WeChat as it
    chose. Recorded like any other delivery. Returns (notification, [delivery with .answer])."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(phone=number, is_active=True).first()
    kind, notification = _create(recipient=user, key=f"test:{uuid.uuid4().hex}", kind=kind, params=params,
                                 url=reverse("notifications:inbox"))
    addresses = [a for a in (_channels(user, kind, push=True) if user else []) if a[0] != Channel.SMS]
    _schedule(notification, [(Channel.SMS, number), *addresses], enqueue=False)
    results = []
    for delivery in notification.deliveries.order_by("channel"):
        done = attempt(delivery.pk, ignore_holds=True)
        if done is None:
            done = Delivery.objects.get(pk=delivery.pk)
            done.answer = None
        results.append(done)
    return notification, results


# --- Sending ------------------------------------------------------------------------------


def _absolute(url):
    return absolute_url(url)


def _message(delivery, kind):
    note = delivery.notification
    params = kind.from_json(note.params or {})
    return OutgoingMessage(
        key=delivery.key, channel=delivery.channel, address=delivery.address, kind=kind,
        text_values=kind.text_values(params), title=note.title, body=note.body, url=_absolute(note.url),
    )


def _hold(delivery, reason, until, error=""):
    delivery.held, delivery.next_attempt_at = reason, until
    fields = ["held", "next_attempt_at"]
    if error:
        delivery.error_code, delivery.error = "CONFIGURATION", error
        fields += ["error_code", "error"]
    delivery.save(update_fields=fields)
    delivery.answer = None
    return delivery


def _prepare(delivery, *, now, ignore_holds):
    """Inside the claiming transaction: the provider and message, or a hold (returns None)."""
    try:
        kind = kinds.get(delivery.notification.kind)
    except kinds.KindError:
        _finish(delivery, ProviderError("UNKNOWN_KIND", _("未知的消息类别：%(kind)s") % {"kind": delivery.notification.kind},
                                        retry=False), now)
        return None
    try:
        provider = provider_for(delivery.channel)
        if getattr(provider, "needs_template", False):
            template_for(kind, provider.name)
    except ConfigurationError as exc:
        _hold(delivery, Delivery.Held.CONFIGURATION, now + CONFIGURATION_RECHECK, str(exc))
        return None
    if delivery.channel == Channel.SMS and not ignore_holds:
        until = None if kind.urgent else rules.quiet_until(now)
        if until is not None:
            _hold(delivery, Delivery.Held.QUIET_HOURS, until)
            return None
        if not rules.take_daily_slot(delivery.address, now):
            _hold(delivery, Delivery.Held.DAILY_LIMIT, rules.next_morning(now))
            return None
    return provider, _message(delivery, kind)


def attempt(delivery_id, *, ignore_holds=False):
    """Try one delivery now, if it is due. Claims it in its own committed transaction, calls
    the provider outside any transaction, then records the answer: sent, another try later
    (NOTIFY_RETRY_MINUTES), or 失败. Returns the delivery (with `.answer`: the provider's
    answer or error) or None when there was nothing to do.

    `ignore_holds` (the test command) sends at once, whatever the hour or the day's count."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification")
            .filter(pk=delivery_id, status=Delivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return None
        if delivery.claimed_until is not None:
            if delivery.claimed_until > now:
                return None  # another worker is sending it
            # The worker that claimed it died while the provider was answering: it may have
            # arrived. Never sent again by itself; an admin checks and resends.
            return _finish(delivery, ProviderError(
                "INTERRUPTED", _("发送过程中断，无法确认是否送达，请核实后重发。"), retry=False), now)
        if not ignore_holds and delivery.next_attempt_at and delivery.next_attempt_at > now:
            return None
        prepared = _prepare(delivery, now=now, ignore_holds=ignore_holds)
        if prepared is None:
            return delivery
        provider, message = prepared
        delivery.attempts += 1
        delivery.claimed_until = now + CLAIM_LEASE
        delivery.provider = provider.name
        delivery.held = ""
        delivery.save(update_fields=["attempts", "claimed_until", "provider", "held"])
    try:
        outcome = provider.send(message)
    except ProviderError as exc:
        outcome = exc
    except ConfigurationError as exc:  # the template was switched off a moment ago
        outcome = ProviderError("CONFIGURATION", str(exc), retry=True)
    except Exception as exc:  # an SDK's surprise: logged, and tried again later
        logger.exception("%s delivery %s failed", delivery.channel, delivery.pk)
        outcome = ProviderError(type(exc).__name__, str(exc)[:500], retry=True)
    if isinstance(outcome, ProviderError) and delivery.channel == Channel.SMS and not ignore_holds:
        rules.give_back_daily_slot(delivery.address, now)
    return _finish(delivery, outcome, timezone.now())


def _finish(delivery, outcome, now):
    fields = {"claimed_until": None}
    if isinstance(outcome, ProviderAnswer):
        fields.update(status=Delivery.Status.SENT, sent_at=now, next_attempt_at=None,
                      request_id=outcome.request_id[:100], error_code="", error="", held="")
        if delivery.notification.recipient_id is None and delivery.channel == Channel.SMS:
            fields["address"] = mask_phone(delivery.address)  # a citizen's number is not kept
    else:
        delays = rules.retry_delays()
        fields.update(request_id=outcome.request_id[:100], error_code=outcome.code,
                      error=(outcome.message or str(outcome))[:2000])
        if outcome.retry and delivery.attempts <= len(delays):
            fields["next_attempt_at"] = now + delays[max(delivery.attempts, 1) - 1]
        else:
            fields.update(status=Delivery.Status.FAILED, next_attempt_at=None)
        logger.warning("%s delivery %s: %s (try %s)", delivery.channel, delivery.pk, outcome, delivery.attempts)
    Delivery.objects.filter(pk=delivery.pk).update(**fields)
    for name, value in fields.items():
        setattr(delivery, name, value)
    delivery.answer = outcome
    return delivery


def send_deliveries(notification_id):
    """Send a notification's due deliveries. Returns how many were sent."""
    return send_many_deliveries([notification_id])


def send_many_deliveries(notification_ids):
    """Send the due deliveries of these notifications. Returns how many were sent."""
    ids = list(
        Delivery.objects.filter(notification_id__in=notification_ids, status=Delivery.Status.PENDING)
        .order_by("pk").values_list("pk", flat=True)
    )
    return sum(1 for pk in ids if _sent(attempt(pk)))


def _sent(delivery):
    return delivery is not None and delivery.status == Delivery.Status.SENT


def send_due(*, limit=500):
    """Every minute (beat `notifications-send-due`, `manage.py send_due_messages`): send the
    deliveries whose time has come: retries, SMS held overnight or over the daily limit, and
    those that waited for configuration; and close claims left by a worker that died.
    Returns how many were sent."""
    now = timezone.now()
    ids = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING)
        .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = sum(1 for pk in ids if _sent(attempt(pk)))
    from notifications.models import SmsDailyCount

    SmsDailyCount.objects.filter(day__lt=timezone.localdate() - timedelta(days=7)).delete()
    return sent


def resend(deliveries, *, by):
    """An admin sends failed (or waiting) deliveries again, now, with a fresh set of tries.
    Sent ones are not sent twice. Returns how many were queued."""
    permissions.manage_deliveries.check(by)
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update()
            .filter(pk__in=[d.pk for d in deliveries], status__in=[Delivery.Status.FAILED, Delivery.Status.PENDING])
            .exclude(claimed_until__gt=now)
        )
        for row in rows:
            previous = row.status
            Delivery.objects.filter(pk=row.pk).update(
                status=Delivery.Status.PENDING, attempts=0, next_attempt_at=now, claimed_until=None,
                held="", error_code="", error="",
            )
            log("update", row, actor=by, changes={"status": [previous, Delivery.Status.PENDING], "resend": True})
        for notification_id in sorted({row.notification_id for row in rows}):
            outbox.enqueue("notifications.tasks.send_deliveries", notification_id=notification_id)
    return len(rows)


def erase_numbers(keys):
    """Forget the public's numbers kept for deliveries of these notification keys (the
    opinion's personal data is being erased)."""
    return sum(
        Delivery.objects.filter(pk=pk).update(address=mask_phone(address))
        for pk, address in Delivery.objects.filter(
            notification__key__in=list(keys), notification__recipient__isnull=True, channel=Channel.SMS
        ).values_list("pk", "address")
        if "*" not in address
    )


# --- Each person's channels and WeChat binding -----------------------------------------------


def save_channels(user, *, email, sms, wechat):
    """The user's choice of channels (in-app is always on)."""
    permissions.choose_channels.check(user)
    choice, _created = ChannelSettings.objects.get_or_create(user=user)
    choice.email, choice.sms, choice.wechat = bool(email), bool(sms), bool(wechat)
    choice.save(update_fields=["email", "sms", "wechat"])
    return choice


@transaction.atomic
def bind_wechat(user, *, openid):
    """Bind the WeChat user `openid` (from OAuth) to `user`. A WeChat bound to another account
    is refused (409): unbind it there first."""
    permissions.choose_channels.check(user)
    openid = (openid or "").strip()
    if not openid:
        raise DomainError(_("没有取得微信身份，请重新打开绑定页面。"))
    taken = ChannelSettings.objects.filter(wechat_openid=openid).exclude(user=user).exists()
    if taken:
        raise Conflict(_("这个微信号已绑定其他账号，请先在那个账号中解除绑定。"))
    choice, _created = ChannelSettings.objects.select_for_update().get_or_create(user=user)
    choice.wechat_openid, choice.wechat_bound_at, choice.wechat = openid, timezone.now(), True
    try:
        with transaction.atomic():
            choice.save(update_fields=["wechat_openid", "wechat_bound_at", "wechat"])
    except IntegrityError:  # bound to another account a moment ago
        raise Conflict(_("这个微信号已绑定其他账号，请先在那个账号中解除绑定。")) from None
    return choice


@transaction.atomic
def unbind_wechat(user):
    """Remove the user's WeChat binding; waiting WeChat deliveries to it are dropped as 失败."""
    permissions.choose_channels.check(user)
    choice = ChannelSettings.objects.select_for_update().filter(user=user).first()
    if choice is None or not choice.wechat_openid:
        return choice
    Delivery.objects.filter(
        notification__recipient=user, channel=Channel.WECHAT, status=Delivery.Status.PENDING,
        claimed_until__isnull=True,
    ).update(status=Delivery.Status.FAILED, error_code="UNBOUND", error=_("用户已解除微信绑定。"), next_attempt_at=None)
    choice.wechat_openid, choice.wechat_bound_at = None, None
    choice.save(update_fields=["wechat_openid", "wechat_bound_at"])
    return choice


def mark_read(user, notification_ids=None):
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())

