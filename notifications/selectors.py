"""Reading notifications and deliveries."""

import calendar
import datetime

from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.utils import timezone

from notifications import kinds
from notifications.models import Channel, Delivery


def month_bounds(month):
    """(start, end) aware datetimes of a month given as a date or "YYYY-MM"."""
    if isinstance(month, str):
        year, number = (int(part) for part in month.split("-", 1))
        month = datetime.date(year, number, 1)
    first = month.replace(day=1)
    last_day = calendar.monthrange(first.year, first.month)[1]
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(first.replace(day=last_day), datetime.time.min, tzinfo=tz) + datetime.timedelta(days=1)
    return first, start, end


def recipient_township():
    """The region a delivery is counted under: the staff or unit user's region, else the
    deputy's township, else (a citizen's receipt) the notice's own township."""
    return Coalesce(
        F("notification__recipient__region"),
        F("notification__recipient__deputy__township"),
        F("notification__township"),
    )


def sms_cost(month):
    """SMS sent in `month` (a date or "YYYY-MM"), counted per message kind and per township:
    [{"kind", "kind_label", "township_id", "township", "count"}], most first. Two queries
    (the counts, the townships' names) whatever the month holds."""
    _first, start, end = month_bounds(month)
    rows = (
        Delivery.objects.filter(channel=Channel.SMS, status=Delivery.Status.SENT, sent_at__gte=start, sent_at__lt=end)
        .annotate(township_id=recipient_township())
        .values("notification__kind", "township_id")
        .annotate(count=Count("pk"))
        .order_by("-count", "notification__kind", "township_id")
    )
    rows = list(rows)
    from divisions.models import Region

    names = dict(Region.objects.filter(pk__in={r["township_id"] for r in rows if r["township_id"]}).values_list("pk", "name"))
    return [
        {
            "kind": row["notification__kind"],
            "kind_label": kinds.label(row["notification__kind"]),
            "township_id": row["township_id"],
            "township": names.get(row["township_id"], ""),
            "count": row["count"],
        }
        for row in rows
    ]
