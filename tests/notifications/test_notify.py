from datetime import date

import pytest
from django.core import mail

from accounts.models import Role
from notifications import kinds
from notifications.models import ChannelSettings, Delivery, Notification
from notifications.providers.log import MemoryProvider
from notifications.services import notify, notify_many, save_channels, send_deliveries
from tests.factories import UserFactory

PARAMS = {"date": date(2026, 11, 25), "station": "城关镇人大代表之家", "time": "09:00–17:00", "address": "人民路1号"}


def test_notify_is_exactly_once_per_key(db, django_capture_on_commit_callbacks):
    user = UserFactory(role=Role.DEPUTY, email="d@example.cn", phone="13912345678")
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(user, key="k1", kind="duty_reminder", params=PARAMS)
        second = notify(user, key="k1", kind="duty_reminder", params=PARAMS)
    assert first is not None and second is None
    assert Notification.objects.count() == 1
    assert first.title == "值班提醒：明天（2026年11月25日）到城关镇人大代表之家值班"
    assert first.params["date"] == "2026-11-25"
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == first.title
    assert len(MemoryProvider.outbox) == 1 and MemoryProvider.outbox[0][0] == "13912345678"
    # Running the delivery task again sends nothing more.
    assert send_deliveries(first.pk) == 0
    assert len(mail.outbox) == 1
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_notify_many_sends_each_person_once_in_a_constant_number_of_statements(
    db, django_capture_on_commit_callbacks, django_assert_max_num_queries,
):
    def people(count):
        return [UserFactory(role=Role.DEPUTY, email=f"d{n}@example.cn", phone=f"139{n:08d}") for n in range(count)]

    def recipients(users, prefix):
        return [(user, f"{prefix}:{user.pk}") for user in users]

    few, many = people(2), people(12)
    with django_assert_max_num_queries(12) as few_queries:
        notify_many(recipients(few, "few"), kind="duty_reminder", params=PARAMS)
    with django_assert_max_num_queries(len(few_queries)):
        notify_many(recipients(many, "many"), kind="duty_reminder", params=PARAMS)

    quiet = many[0]
    save_channels(quiet, email=False, sms=False, wechat=False)
    gone = UserFactory(role=Role.DEPUTY, is_active=False)
    newcomer = UserFactory(role=Role.DEPUTY, phone="13800000001")
    with django_capture_on_commit_callbacks(execute=True):
        made = notify_many(
            recipients([*many, quiet, gone, newcomer], "again") + recipients(few, "few"),  # "few" were sent before
            kind="duty_reminder", params=PARAMS,
        )
    assert sorted(n.recipient_id for n in made) == sorted({u.pk for u in [*many, newcomer]})
    assert Notification.objects.filter(key__startswith="again:").count() == 13
    assert not Notification.objects.filter(recipient=gone).exists()
    assert not Delivery.objects.filter(notification__recipient=quiet, notification__key__startswith="again:").exists()
    # Sent at once after the commit: e-mail and SMS of the eleven who kept them, the newcomer's SMS.
    again = Delivery.objects.filter(notification__key__startswith="again:")
    assert again.count() == 11 * 2 + 1 and set(again.values_list("status", flat=True)) == {"sent"}
    assert Notification.objects.get(key=f"again:{newcomer.pk}").title == (
        "值班提醒：明天（2026年11月25日）到城关镇人大代表之家值班"
    )


def test_inbox_lists_and_marks_read(db, login):
    user = UserFactory(role=Role.DEPUTY)
    notify(user, key="k2", kind="opinion_overdue_summary", params={"count": 2})
    client = login(user)
    html = client.get("/notifications/").content.decode()
    assert "督单：2条群众意见新逾期" in html and "未读" in html and "消息接收设置" in html
    client.post("/notifications/read/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_inactive_users_get_nothing(db):
    user = UserFactory(role=Role.DEPUTY, is_active=False)
    assert notify(user, key="k3", kind="opinion_overdue_summary", params={"count": 1}) is None


def test_a_kind_that_does_not_push_goes_in_app_and_by_email_only(db, django_capture_on_commit_callbacks):
    user = UserFactory(role=Role.UNIT, email="u@example.cn", phone="13912345678")
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(user, key="k4", kind="opinion_returned", params={"unit": "县交通运输局", "reason": "不属于本单位"})
    assert list(note.deliveries.values_list("channel", flat=True)) == ["email"]


def test_each_person_chooses_the_channels(db, django_capture_on_commit_callbacks):
    user = UserFactory(role=Role.DEPUTY, email="d@example.cn", phone="13912345678")
    save_channels(user, email=False, sms=True, wechat=True)
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(user, key="k5", kind="duty_reminder", params=PARAMS)
    assert list(note.deliveries.values_list("channel", flat=True)) == ["sms"]
    save_channels(user, email=True, sms=False, wechat=True)
    note = notify(user, key="k6", kind="duty_reminder", params=PARAMS)
    assert list(note.deliveries.values_list("channel", flat=True)) == ["email"]
    assert ChannelSettings.objects.count() == 1


def test_wechat_only_when_bound_and_configured(db, settings):
    user = UserFactory(role=Role.DEPUTY, email="", phone="")
    ChannelSettings.objects.create(user=user, wechat_openid="openid-1")
    settings.WECHAT_APP_ID = ""
    assert not notify(user, key="w1", kind="duty_reminder", params=PARAMS).deliveries.exists()
    settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET = "wx1", "s"
    note = notify(user, key="w2", kind="duty_reminder", params=PARAMS)
    assert list(note.deliveries.values_list("channel", "address")) == [("wechat", "openid-1")]


@pytest.mark.parametrize("params, problem", [
    ({"date": "2026-11-25", "station": "x", "time": "t", "address": "a"}, "must be date"),
    ({"station": "x", "time": "t", "address": "a"}, "missing parameters ['date']"),
    ({**PARAMS, "extra": 1}, "unknown parameters ['extra']"),
])
def test_parameters_are_typed_and_complete(db, params, problem):
    user = UserFactory(role=Role.DEPUTY)
    with pytest.raises(kinds.KindError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        notify(user, key="bad", kind="duty_reminder", params=params)
    assert not Notification.objects.exists()


def test_every_kind_renders_its_examples_in_channel_neutral_wording():
    every = kinds.all_kinds()
    assert len(every) >= 50
    for kind in every:
        title, body = kind.render(kind.samples())
        assert title and "%(" not in title + body, kind.code
        for word in ("邮件", "短信", "微信"):
            assert word not in title + body, (kind.code, word)
    codes = {k.code for k in every}
    for expected in ("duty_reminder", "duty_swap_in", "suggestion_assigned_lead", "suggestion_overdue",
                     "suggestion_replied", "opinion_receipt", "opinion_answered", "vote_opened", "vote_closing",
                     "activity_reminder"):
        assert expected in codes
