"""Admins see every delivery with filters, resend failed ones, edit templates, and read the
monthly SMS count per kind and township."""

from datetime import date, timedelta

import time_machine
from django.utils import timezone

from accounts.models import Role
from notifications.models import Delivery, MessageTemplate, Notification
from notifications.providers.log import MemoryProvider
from notifications.selectors import sms_cost
from notifications.services import notify, notify_number
from tests.factories import DeputyFactory, TownshipFactory, UserFactory
from tests.notifications import standin as standins

PARAMS = {"date": date(2026, 11, 25), "station": "城关镇人大代表之家", "time": "09:00–17:00", "address": "人民路1号"}


def failed_delivery(user, capture, aliyun, template):
    template("duty_reminder", "aliyun", [("station", "station")])
    aliyun.answer = standins.aliyun_template_error
    with capture(execute=True):
        note = notify(user, key="failing", kind="duty_reminder", params=PARAMS)
    return Delivery.objects.get(notification=note, channel="sms")


def test_admin_lists_deliveries_filtered_by_status_and_resends_a_failed_one(
        admin, person, login, aliyun, template, django_capture_on_commit_callbacks):
    delivery = failed_delivery(person, django_capture_on_commit_callbacks, aliyun, template)
    assert delivery.status == "failed"
    client = login(admin)
    page = client.get("/admin/notifications/delivery/", {"status__exact": "failed"})
    html = page.content.decode()
    assert page.status_code == 200 and "isv.SMS_TEMPLATE_ILLEGAL" in html and "139****5678" in html
    assert "13912345678" not in html
    assert "isv.SMS_TEMPLATE_ILLEGAL" not in client.get("/admin/notifications/delivery/", {"status__exact": "sent"}).content.decode()
    aliyun.answer = standins.aliyun_ok  # the template was fixed at the provider
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/notifications/delivery/", {
            "action": "resend", "_selected_action": [delivery.pk], "index": 0,
        }, follow=True)
    assert "已重新排队发送 1 条" in response.content.decode()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error_code) == ("sent", 1, "")
    assert len(aliyun.requests) == 2


def test_a_sent_delivery_is_not_resent(admin, person, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(person, key="ok", kind="duty_reminder", params=PARAMS)
    delivery = Delivery.objects.get(notification=note, channel="sms")
    response = login(admin).post("/admin/notifications/delivery/", {
        "action": "resend", "_selected_action": [delivery.pk], "index": 0}, follow=True)
    assert "1 条已发送或正在发送，未重发" in response.content.decode()
    assert len(MemoryProvider.outbox) == 1


def test_only_admins_reach_deliveries_and_the_cost_page(staff, login):
    client = login(staff)
    assert client.get("/admin/notifications/delivery/").status_code == 302  # Django admin: to its login
    assert client.get("/notifications/sms-cost/").status_code == 403


def test_the_template_form_checks_parameter_names(admin, login):
    client = login(admin)
    data = {"kind": "duty_reminder", "provider": "aliyun", "template_id": "SMS_1", "wechat_mode": "template",
            "max_length": 20, "is_active": "on", "variables_text": "station=station\nday=weekday"}
    page = client.post("/admin/notifications/messagetemplate/add/", data)
    assert page.status_code == 200 and "没有参数 weekday" in page.content.decode()
    data["variables_text"] = "station=station\nday=date"
    assert client.post("/admin/notifications/messagetemplate/add/", data).status_code == 302
    tencent = {**data, "provider": "tencent", "template_id": "123", "variables_text": "date\nstation"}
    assert client.post("/admin/notifications/messagetemplate/add/", tencent).status_code == 302
    assert MessageTemplate.objects.get(provider="aliyun").variables == [
        {"name": "station", "param": "station"}, {"name": "day", "param": "date"}]
    assert MessageTemplate.objects.get(provider="tencent").variables == [
        {"name": "1", "param": "date"}, {"name": "2", "param": "station"}]


def test_sms_cost_counts_a_months_sent_sms_per_kind_and_township(admin, login, today,
                                                                 django_capture_on_commit_callbacks,
                                                                 django_assert_max_num_queries):
    east, west = TownshipFactory(name="东镇"), TownshipFactory(name="西镇")
    deputy_user = UserFactory(role=Role.DEPUTY, phone="13900000001", email="")
    DeputyFactory(user=deputy_user, township=east)
    staff_user = UserFactory(role=Role.STAFF, phone="13900000002", email="", region=west)
    with django_capture_on_commit_callbacks(execute=True):
        notify(deputy_user, key="a", kind="duty_reminder", params=PARAMS)
        notify(deputy_user, key="b", kind="duty_reminder", params=PARAMS)
        notify(staff_user, key="c", kind="opinion_new", params={"station": "站", "category": "交通", "days": 3})
        notify_number("13900000003", key="d", kind="opinion_receipt", params={"station": "站", "code": "ABCDEFGHJK"},
                      township_id=west.pk)
    # Last month's do not count.
    with time_machine.travel(timezone.now() - timedelta(days=40)):
        with django_capture_on_commit_callbacks(execute=True):
            notify(deputy_user, key="old", kind="duty_reminder", params=PARAMS)
    with django_assert_max_num_queries(2):
        rows = sms_cost(today)
    assert {(r["kind"], r["township"], r["count"]) for r in rows} == {
        ("duty_reminder", "东镇", 2), ("opinion_new", "西镇", 1), ("opinion_receipt", "西镇", 1),
    }
    html = login(admin).get("/notifications/sms-cost/", {"month": f"{today:%Y-%m}"}).content.decode()
    assert "共发送 4 条" in html and "值班提醒" in html and "东镇" in html
    assert login(admin).get("/notifications/sms-cost/", {"month": "2026-13"}).status_code == 400


def test_a_citizens_number_is_not_kept_once_the_receipt_is_sent(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        note = notify_number("13900000003", key="r", kind="opinion_receipt", params={"station": "站", "code": "C"})
    delivery = note.deliveries.get()
    assert delivery.status == "sent" and delivery.address == "139****0003"
    assert note.recipient is None and Notification.objects.get().title.startswith("您在站提交的意见已收到")
