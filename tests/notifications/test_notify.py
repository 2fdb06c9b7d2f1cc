from django.core import mail

from accounts.models import Role
from notifications.models import Delivery, Notification
from notifications.services import notify, send_deliveries
from notifications.sms import MemorySmsBackend
from tests.factories import UserFactory


def test_notify_is_exactly_once_per_key(db, django_capture_on_commit_callbacks):
    user = UserFactory(role=Role.DEPUTY, email="d@example.cn", phone="13912345678")
    MemorySmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(user, key="k1", kind="test", title="值班提醒", body="明天值班", sms=True)
        second = notify(user, key="k1", kind="test", title="值班提醒", body="明天值班", sms=True)
    assert first is not None and second is None
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    assert len(MemorySmsBackend.outbox) == 1
    # Running the delivery task again sends nothing more.
    assert send_deliveries(first.pk) == 0
    assert len(mail.outbox) == 1
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_inbox_lists_and_marks_read(db, login):
    user = UserFactory(role=Role.DEPUTY)
    notify(user, key="k2", kind="test", title="新的群众意见")
    client = login(user)
    html = client.get("/notifications/").content.decode()
    assert "新的群众意见" in html and "未读" in html
    client.post("/notifications/read/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_inactive_users_get_nothing(db):
    user = UserFactory(role=Role.DEPUTY, is_active=False)
    assert notify(user, key="k3", kind="test", title="x") is None
