"""Each provider through its real SDK against a loopback stand-in: what the SDK sent (sign
name, template, parameters, number) and the delivery's stored status for success, a template
error, throttling and a timeout."""

import json
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from notifications.models import ChannelSettings, Delivery, MessageTemplate
from notifications.services import notify, send_due
from tests.notifications import standin as standins
from tests.notifications.conftest import SIGN

PARAMS = {"date": date(2026, 11, 25), "station": "城关镇人大代表之家", "time": "09:00–17:00",
          "address": "城关镇人民路1号"}


def remind(user, capture, key="reminder-1"):
    with capture(execute=True):
        return notify(user, key=key, kind="duty_reminder", params=PARAMS, url="/stations/my-duty/")


def sms_of(note):
    return Delivery.objects.get(notification=note, channel="sms")


# --- Aliyun ----------------------------------------------------------------------------------


@pytest.fixture
def aliyun_template(template):
    return template("duty_reminder", "aliyun", [("date", "date"), ("station", "station"), ("addr", "address")],
                    template_id="SMS_490001")


def test_aliyun_sends_sign_template_and_named_parameters(aliyun, aliyun_template, person,
                                                         django_capture_on_commit_callbacks):
    note = remind(person, django_capture_on_commit_callbacks)
    delivery = sms_of(note)
    assert (delivery.status, delivery.provider, delivery.request_id, delivery.attempts) == ("sent", "aliyun", "ALI-REQ-1", 1)
    [seen] = aliyun.requests
    assert seen.method == "POST" and seen.headers["x-acs-action"] == "SendSms"
    assert seen.one("PhoneNumbers") == "13912345678"
    assert seen.one("SignName") == SIGN
    assert seen.one("TemplateCode") == "SMS_490001"
    assert json.loads(seen.one("TemplateParam")) == {
        "date": "2026年11月25日", "station": "城关镇人大代表之家", "addr": "城关镇人民路1号",
    }
    assert seen.one("OutId") == delivery.key  # our unique key travels with the message


def test_aliyun_template_error_fails_at_once_with_the_code(aliyun, aliyun_template, person,
                                                           django_capture_on_commit_callbacks):
    aliyun.answer = standins.aliyun_template_error
    delivery = sms_of(remind(person, django_capture_on_commit_callbacks))
    assert delivery.status == "failed" and delivery.attempts == 1
    assert delivery.error_code == "isv.SMS_TEMPLATE_ILLEGAL" and delivery.request_id == "ALI-REQ-2"
    assert "模板不合法" in delivery.error


def test_aliyun_throttling_is_tried_again_a_minute_later(aliyun, aliyun_template, person,
                                                         django_capture_on_commit_callbacks):
    aliyun.answer = standins.aliyun_throttled
    delivery = sms_of(remind(person, django_capture_on_commit_callbacks))
    assert delivery.status == "pending" and delivery.error_code == "Throttling.User"
    assert delivery.request_id == "ALI-REQ-3" and delivery.attempts == 1
    assert timedelta(seconds=55) < delivery.next_attempt_at - timezone.now() <= timedelta(minutes=1)
    aliyun.answer = standins.aliyun_ok
    assert send_due() == 0  # not due yet
    with time_machine.travel(timezone.now() + timedelta(minutes=1, seconds=1)):
        assert send_due() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error_code) == ("sent", 2, "")
    assert len(aliyun.requests) == 2


def test_aliyun_timeout_waits_for_the_next_try(aliyun, aliyun_template, person, django_capture_on_commit_callbacks):
    aliyun.answer = standins.slow(2, standins.aliyun_ok)
    delivery = sms_of(remind(person, django_capture_on_commit_callbacks))
    assert delivery.status == "pending" and delivery.error_code == "NETWORK"
    assert "timed out" in delivery.error and delivery.claimed_until is None


# --- Tencent ---------------------------------------------------------------------------------


@pytest.fixture
def tencent_template(template):
    # Tencent fills {1}, {2}, {3} by position: the stored order is the template's.
    return template("duty_reminder", "tencent", [("1", "date"), ("2", "station"), ("3", "time")],
                    template_id="1234567")


def test_tencent_sends_the_parameters_in_the_templates_order(tencent, tencent_template, person,
                                                             django_capture_on_commit_callbacks):
    delivery = sms_of(remind(person, django_capture_on_commit_callbacks))
    assert (delivery.status, delivery.provider, delivery.request_id) == ("sent", "tencent", "TC-REQ-1")
    [seen] = tencent.requests
    assert seen.headers["X-TC-Action"] == "SendSms" and seen.headers["X-TC-Version"] == "2021-01-11"
    body = seen.json()
    assert body["PhoneNumberSet"] == ["+8613912345678"]
    assert body["SmsSdkAppId"] == "1400000001" and body["SignName"] == SIGN and body["TemplateId"] == "1234567"
    assert body["TemplateParamSet"] == ["2026年11月25日", "城关镇人大代表之家", "09:00–17:00"]
    assert body["SessionContext"] == delivery.key


def test_tencent_template_error_fails_with_the_code(tencent, tencent_template, person,
                                                    django_capture_on_commit_callbacks):
    tencent.answer = standins.tencent_template_error
    delivery = sms_of(remind(person, django_capture_on_commit_callbacks))
    assert delivery.status == "failed" and delivery.error_code == "FailedOperation.TemplateIncorrectOrUnapproved"
    assert delivery.request_id == "TC-REQ-2"


def test_tencent_throttling_and_timeout_are_tried_again(tencent, tencent_template, person,
                                                        django_capture_on_commit_callbacks):
    tencent.answer = standins.tencent_throttled
    first = sms_of(remind(person, django_capture_on_commit_callbacks, key="a"))
    assert (first.status, first.error_code, first.request_id) == ("pending", "RequestLimitExceeded", "TC-REQ-3")
    tencent.answer = standins.slow(2, standins.tencent_ok)
    second = sms_of(remind(person, django_capture_on_commit_callbacks, key="b"))
    assert second.status == "pending" and second.error_code == "ClientNetworkError"
    assert second.next_attempt_at > timezone.now()


def test_long_parameters_are_cut_to_the_templates_limit(tencent, template, person, django_capture_on_commit_callbacks):
    template("duty_reminder", "tencent", [("1", "station")], template_id="7", max_length=6)
    sms_of(remind(person, django_capture_on_commit_callbacks))
    assert tencent.requests[0].json()["TemplateParamSet"] == ["城关镇人大…"]


# --- WeChat ----------------------------------------------------------------------------------


@pytest.fixture
def bound(person, wechat_api):
    ChannelSettings.objects.create(user=person, wechat_openid="o6_bmjrPTlm6_2sgVt7hMZOPfL2M", sms=False)
    return person


def test_wechat_template_message_with_one_shared_access_token(bound, template, django_capture_on_commit_callbacks,
                                                              wechat_api):
    template("duty_reminder", "wechat", [("time2", "date"), ("thing3", "station")], template_id="TPL-duty")
    first = Delivery.objects.get(notification=remind(bound, django_capture_on_commit_callbacks, "a"), channel="wechat")
    second = Delivery.objects.get(notification=remind(bound, django_capture_on_commit_callbacks, "b"), channel="wechat")
    assert first.status == second.status == "sent" and first.request_id == "200228332"
    # Every send builds a new client (as another worker would) and finds the token in the cache.
    assert len(wechat_api.sent("/cgi-bin/token")) == 1
    sends = wechat_api.sent("/cgi-bin/message/template/send")
    assert len(sends) == 2 and sends[0].one("access_token") == "ACCESS-TOKEN-1"
    body = sends[0].json()
    assert body["touser"] == "o6_bmjrPTlm6_2sgVt7hMZOPfL2M" and body["template_id"] == "TPL-duty"
    assert body["data"] == {"time2": {"value": "2026年11月25日"}, "thing3": {"value": "城关镇人大代表之家"}}
    assert body["url"].endswith("/stations/my-duty/")


def test_wechat_subscribe_notice_and_a_user_who_unfollowed(bound, template, django_capture_on_commit_callbacks,
                                                           wechat_api):
    template("duty_reminder", "wechat", [("thing1", "station")], template_id="SUB-1",
             wechat_mode=MessageTemplate.WechatMode.SUBSCRIBE)
    delivery = Delivery.objects.get(notification=remind(bound, django_capture_on_commit_callbacks, "a"), channel="wechat")
    assert delivery.status == "sent"
    [seen] = wechat_api.sent("/cgi-bin/message/subscribe/bizsend")
    assert seen.json()["template_id"] == "SUB-1" and seen.json()["page"].endswith("/stations/my-duty/")
    wechat_api.answer = standins.wechat(send=lambda seen: {"errcode": 43004, "errmsg": "require subscribe"})
    gone = Delivery.objects.get(notification=remind(bound, django_capture_on_commit_callbacks, "b"), channel="wechat")
    assert (gone.status, gone.error_code) == ("failed", "43004")
