"""Deputies signed up for tomorrow's activities are reminded once; withdrawn sign-ups and
cancelled activities are not."""

import io
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Delivery, Notification
from stations import services, tasks
from stations.models import Activity
from tests.factories import ActivityFactory
from tests.stations.conftest import make_deputy_with_account


def test_signed_up_deputies_are_reminded_the_day_before_once(township, staff):
    tomorrow = timezone.localtime().replace(hour=9, minute=30) + timedelta(days=1)
    open_until = timezone.now() + timedelta(hours=2)
    activity = ActivityFactory(title="农村公路专题调研", starts_at=tomorrow, place="县交通运输局三楼",
                               signup_deadline=open_until)
    later = ActivityFactory(starts_at=tomorrow + timedelta(days=1), signup_deadline=open_until)
    going = make_deputy_with_account(township, "甲")
    going.user.phone = "13900001111"
    going.user.save(update_fields=["phone"])
    withdrawn = make_deputy_with_account(township, "乙")
    for deputy in (going, withdrawn):
        services.sign_up(activity, by=deputy.user)
        services.sign_up(later, by=deputy.user)
    services.cancel_sign_up(activity, by=withdrawn.user)
    assert settings.CELERY_BEAT_SCHEDULE["stations-activity-reminders-daily"]["task"] == "stations.tasks.send_activity_reminders"
    assert tasks.send_activity_reminders.delay().get() == 1
    assert services.send_activity_reminders() == 0
    out = io.StringIO()
    call_command("send_activity_reminders", stdout=out)
    assert "0 条" in out.getvalue()
    note = Notification.objects.get(kind="activity_reminder")
    assert note.recipient == going.user and note.title == "活动提醒：农村公路专题调研"
    assert "9:30" in note.body or "09:30" in note.body
    assert "县交通运输局三楼" in note.body
    assert Delivery.objects.filter(notification=note, channel="sms").exists()
    Activity.objects.filter(pk=later.pk).update(status=Activity.Status.CANCELLED)
    assert services.send_activity_reminders(day=timezone.localdate() + timedelta(days=2)) == 0
