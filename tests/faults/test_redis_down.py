"""Redis down: a citizen's opinion and a deputy's visit log are still saved and answered, and the
tasks they trigger wait in the outbox (core.outbox) until Redis is back, then run exactly once.

The portal runs against a Redis of the test's own (on a free port), which the test stops and
starts again; the machine's Redis is never touched."""

from datetime import time

import pytest
import requests
from django.utils import timezone

from core.models import OutboxMessage
from notifications.models import Delivery, Notification
from opinions.models import Opinion
from stations.models import DutyAssignment, DutyShift, Reception, Visit
from tests.factories import CategoryFactory, DeputyFactory, UserFactory
from tests.faults.conftest import HEALTHZ_TOKEN, wait_until
from tests.services.portal import log_visit_form, sign_in, station_with_members, submit_opinion_form

pytestmark = pytest.mark.services

MONITOR = {"Authorization": f"Bearer {HEALTHZ_TOKEN}"}


def test_submissions_are_saved_while_redis_is_down_and_their_tasks_run_once_it_is_back(stack_factory, private_redis):
    station, members = station_with_members(2)
    category = CategoryFactory(name="交通出行")
    # A deputy from elsewhere, on duty at the station today, logs a visit (deputies log visits only
    # where they belong or are on duty: issue 22, item 10): a reception to follow up opens an
    # opinion that the station's own deputies are asked to take up (a task).
    visitor = UserFactory(role="deputy", username="visiting-deputy")
    guest = DeputyFactory(township=station.township, user=visitor, name="李明")
    shift = DutyShift.objects.create(station=station, date=timezone.localdate(), start_time=time(9), end_time=time(11))
    DutyAssignment.objects.create(shift=shift, deputy=guest, slot=1)
    stack = stack_factory(redis=private_redis.url)
    stack.env.update(OUTBOX_FLUSH_SECONDS="1", OUTBOX_FLUSH_GRACE_SECONDS="0")
    base = stack.web()
    # The worker and beat run throughout, as in docker-compose.yml: they must reconnect by themselves.
    stack.worker()
    stack.beat()
    deputy = sign_in(base, "visiting-deputy")

    # Monitoring sees the worker started above on every queue ...
    wait_until(lambda: requests.get(base + "/healthz/deep", headers=MONITOR, timeout=20).status_code == 200,
               timeout=40, message=stack.logs)
    private_redis.stop()
    assert requests.get(base + "/healthz", timeout=20).json()["redis"].startswith("error")
    # ... and, Redis gone, what is missing, while the load balancer keeps the node (200 above).
    deep = requests.get(base + "/healthz/deep", headers=MONITOR, timeout=20)
    assert deep.status_code == 503
    assert deep.json()["redis"].startswith("error") and deep.json()["workers"] == "error: broker unreachable"
    assert deep.json()["database"] == "ok" and deep.json()["storage"] == "ok"

    page = submit_opinion_form(base, station, "村口的路灯坏了一个多月，晚上出行很不安全", category=category)
    assert page.status_code == 302, page.text[:1000]
    done = requests.get(base + page.headers["Location"], timeout=20)
    assert done.status_code == 200 and "提交成功" in done.text
    api = requests.post(
        base + "/api/v1/public/opinions/",
        json={"station": station.code, "category": "交通出行", "content": "公交站台没有遮雨棚，希望加装"},
        timeout=20,
    )
    assert api.status_code == 201, api.text
    visit = log_visit_form(
        deputy, base, station, [{"handling": "follow_up"}, {"handling": "answered", "content": "咨询低保政策"}],
        category=category,
    )
    assert visit.status_code == 302, visit.text[:2000]
    detail = deputy.get(base + visit.headers["Location"], timeout=20)
    assert "已登记进站履职，接待群众 2 人次。" in detail.text

    # Everything is saved; the three announcements wait in the outbox with the broker's error.
    assert Visit.objects.count() == 1 and Reception.objects.count() == 2
    assert Opinion.objects.count() == 3  # two from the public, one from the follow-up reception
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True)
    assert waiting.count() == 3
    assert {m.task_name for m in waiting} == {"opinions.tasks.announce_new_opinion"}
    assert all(m.attempts == 1 and m.last_error for m in waiting)
    assert not Notification.objects.exists()

    # Redis is back: beat's flush publishes them and the worker runs each once.
    private_redis.start()
    expected = {f"opinion-new:{o.pk}:{u.pk}" for o in Opinion.objects.all() for u in members}
    wait_until(
        lambda: set(Notification.objects.values_list("key", flat=True)) == expected
        and Delivery.objects.filter(status=Delivery.Status.SENT).count() == len(expected),
        timeout=90, message=stack.logs,
    )
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert set(OutboxMessage.objects.filter(task_name__endswith="announce_new_opinion").values_list("attempts", flat=True)) == {2}

    # The web processes publish again by themselves: a new opinion goes out on its commit.
    again = requests.post(
        base + "/api/v1/public/opinions/",
        json={"station": station.code, "category": "交通出行", "content": "菜市场门口乱停车，希望整治"},
        timeout=20,
    )
    assert again.status_code == 201, again.text
    latest = Opinion.objects.get(tracking_code=again.json()["tracking_code"])
    assert OutboxMessage.objects.get(kwargs={"opinion_id": latest.pk}).attempts == 1
    # Its two notices, and their deliveries (a task of their own, right after) sent.
    wait_until(lambda: Delivery.objects.filter(notification__key__startswith=f"opinion-new:{latest.pk}:",
                                               status=Delivery.Status.SENT).count() == 2,
               timeout=60, message=stack.logs)
    assert Notification.objects.count() == len(expected) + 2
    assert Delivery.objects.count() == len(expected) + 2
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}
