"""A deputy's duty shifts as an iCalendar (.ics) feed that phone calendars subscribe to.

Calendar apps cannot sign in, so the feed URL carries the deputy's random feed token
(`Deputy.feed_token`, 256 bits): nothing about it derives from the secret key, and resetting it
(`stations.services.reset_feed_token`) makes the old URL answer 404."""

from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.urls import reverse
from django.utils import timezone

from core.links import absolute_url, public_host


def feed_token(deputy):
    return deputy.feed_token


def deputy_from_token(token):
    """The serving deputy whose feed this token opens, or None."""
    from deputies.models import Deputy

    if not token or len(token) > 64:
        return None
    return Deputy.objects.filter(feed_token=token, status=Deputy.Status.ACTIVE).first()


def feed_url(deputy):
    return absolute_url(reverse("stations:duty_feed", args=[feed_token(deputy)]))


def _escape(text):
    return (
        str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r", "").replace("\n", "\\n")
    )


def _fold(line):
    """RFC 5545: lines longer than 75 octets continue on the next line after a space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(day, clock):
    local = timezone.make_aware(datetime.combine(day, clock))
    return local.astimezone(dt_timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def duty_calendar(assignments, *, name):
    """The assignments (with shift and station loaded) as iCalendar text."""
    host = public_host() or "lianxin"
    stamp = timezone.now().astimezone(dt_timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Lianxin//Duty//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
    ]
    for assignment in assignments:
        shift, station = assignment.shift, assignment.shift.station
        lines += [
            "BEGIN:VEVENT",
            f"UID:duty-{shift.pk}-{assignment.deputy_id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(shift.date, shift.start_time)}",
            f"DTEND:{_utc(shift.date, shift.end_time)}",
            f"SUMMARY:{_escape('进站值班：' + station.name)}",
            f"LOCATION:{_escape(station.address or station.name)}",
            f"DESCRIPTION:{_escape('逢6进站，接待群众。如不能到岗，请在“我的值班”中申请调班。')}",
            f"URL:{absolute_url(reverse('stations:my_duty'))}",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "DESCRIPTION:" + _escape("明天进站值班：" + station.name),
            "TRIGGER:-PT15H",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def feed_window():
    today = timezone.localdate()
    return today - timedelta(days=60), today + timedelta(days=400)
