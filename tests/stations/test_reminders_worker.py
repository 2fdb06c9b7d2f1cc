"""Duty reminders with a real Celery worker on Redis: published three times, sent once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Delivery, Notification
from stations import services, tasks
from tests.services.conftest import celery_worker_process, wait_for  # noqa: F401 (fixture)
from tests.stations.conftest import make_deputy_with_account, make_shift
from tests.factories import StationFactory, TownshipFactory

pytestmark = pytest.mark.services


def test_reminders_are_sent_exactly_once_by_a_real_worker(celery_worker_process):  # noqa: F811
    township = TownshipFactory(name="城关镇")
    station = StationFactory(township=township)
    deputies = []
    for name, phone in [("王建国", "13911112222"), ("李秀英", "13911113333")]:
        deputy = make_deputy_with_account(township, name, email=f"{phone}@example.cn")
        deputy.user.phone = phone
        deputy.user.save(update_fields=["phone"])
        deputies.append(deputy)
    tomorrow = timezone.localdate() + timedelta(days=1)
    make_shift(station, tomorrow, deputies)

    # The beat task runs, is retried (published again), and a second worker's run races it here.
    # The day is named: the worker's own "tomorrow" is another day if the test crosses midnight.
    for _ in range(3):
        tasks.send_duty_reminders.delay(tomorrow.isoformat())
    services.send_duty_reminders(day=tomorrow)

    def all_sent():
        return Delivery.objects.filter(status=Delivery.Status.SENT).count() == 4

    assert wait_for(all_sent, timeout=30), list(Delivery.objects.values("channel", "status", "error"))
    assert Notification.objects.filter(kind="duty_reminder").count() == 2
    assert Delivery.objects.count() == 4  # one e-mail and one SMS per deputy, never twice
    assert all(d.attempts == 1 for d in Delivery.objects.all())
