"""The sending rules a county may change: quiet hours, the daily SMS limit per number and the
retry schedule. Each is read through one function here, with today's setting as the value, so
that per-congress rules can replace them in one place."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.privacy import keyed_digest


def parse_quiet_hours(text):
    """"22:00-07:00" → (time(22), time(7)); "" or "off" → None."""
    text = (text or "").strip().lower()
    if text in {"", "off", "0", "none"}:
        return None
    start, end = (datetime.time.fromisoformat(part.strip()) for part in text.split("-", 1))
    return start, end


def sms_quiet_hours():
    """No SMS between these local times (default 22:00–07:00), unless the kind is urgent."""
    return parse_quiet_hours(settings.SMS_QUIET_HOURS)


def sms_daily_limit():
    """At most this many SMS a day to one number (0: no limit)."""
    return settings.SMS_DAILY_LIMIT


def retry_delays():
    """Minutes to wait after each failed try (default 1, 5, 30, 120); after the last, 失败."""
    return [datetime.timedelta(minutes=m) for m in settings.NOTIFY_RETRY_MINUTES]


def quiet_until(now):
    """When `now` falls in the quiet hours, the moment they end (local time); else None."""
    window = sms_quiet_hours()
    if window is None:
        return None
    start, end = window
    local = timezone.localtime(now)
    clock = local.time()
    if start <= end:
        inside = start <= clock < end
    else:  # the window crosses midnight (22:00–07:00)
        inside = clock >= start or clock < end
    if not inside:
        return None
    day = local.date() if clock < end else local.date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, end, tzinfo=local.tzinfo)


def next_morning(now):
    """The start of tomorrow's sending day (the end of tonight's quiet hours, or midnight)."""
    local = timezone.localtime(now)
    tomorrow = local.date() + datetime.timedelta(days=1)
    window = sms_quiet_hours()
    start_of_day = window[1] if window else datetime.time(0)
    return datetime.datetime.combine(tomorrow, start_of_day, tzinfo=local.tzinfo)


def number_digest(number):
    """A keyed hash of a phone number: the daily count is kept without the number itself."""
    return keyed_digest(number)


def take_daily_slot(number, now):
    """Count one SMS to `number` today if it is under the limit. True when it may be sent.
    A conditional UPDATE decides, so two workers cannot both take the last slot."""
    from notifications.models import SmsDailyCount

    limit = sms_daily_limit()
    if not limit:
        return True
    digest, day = number_digest(number), timezone.localtime(now).date()
    try:
        with transaction.atomic():
            SmsDailyCount.objects.get_or_create(number_digest=digest, day=day)
    except IntegrityError:  # created by another worker at the same moment
        pass
    return bool(
        SmsDailyCount.objects.filter(number_digest=digest, day=day, count__lt=limit).update(count=F("count") + 1)
    )


def give_back_daily_slot(number, when):
    """A try the provider refused does not count towards the number's daily limit."""
    from notifications.models import SmsDailyCount

    if not sms_daily_limit():
        return
    SmsDailyCount.objects.filter(
        number_digest=number_digest(number), day=timezone.localtime(when).date(), count__gt=0
    ).update(count=F("count") - 1)
