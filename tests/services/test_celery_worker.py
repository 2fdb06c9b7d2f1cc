import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from notifications.models import Delivery
from notifications.services import notify
from tests.factories import UserFactory
from tests.services.conftest import wait_for

pytestmark = pytest.mark.services


def test_a_notification_is_delivered_by_a_real_worker_on_redis(celery_worker_process):
    user = UserFactory(role=Role.DEPUTY, email="deputy@example.cn", phone="13912345678")
    with transaction.atomic():
        notification = notify(user, key="worker-test", kind="activity_cancelled",
                              params={"activity": "测试活动", "starts_at": timezone.now(), "reason": "你好"})
    assert notification is not None
    assert wait_for(
        lambda: Delivery.objects.filter(notification=notification, status=Delivery.Status.SENT).count() == 2
    ), list(Delivery.objects.values("channel", "status", "error"))
