"""`manage.py send_test_message` on the demo templates, and `manage.py check` on bad
configuration."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from demo import notifications as demo_templates
from notifications import kinds
from notifications.checks import messaging_configuration
from notifications.models import Delivery, MessageTemplate
from tests.notifications import standin as standins
from tests.notifications.conftest import SIGN


def run(**options):
    out = io.StringIO()
    call_command("send_test_message", stdout=out, **options)
    return out.getvalue()


def test_seed_gives_every_kind_a_template_for_every_provider_and_keeps_edits(db):
    demo_templates.seed()
    assert MessageTemplate.objects.count() == 3 * len(kinds.all_kinds())
    MessageTemplate.objects.filter(kind="duty_reminder", provider="aliyun").update(template_id="SMS_REAL")
    demo_templates.seed()
    assert MessageTemplate.objects.get(kind="duty_reminder", provider="aliyun").template_id == "SMS_REAL"


def test_send_test_message_through_aliyun_prints_the_answer(aliyun, db):
    demo_templates.seed()
    output = run(to="13912345678", kind="duty_reminder")
    assert "值班提醒（duty_reminder）" in output
    assert "短信（aliyun）→ 139****5678：已发送 OK RequestId=ALI-REQ-1 BizId=900619746936498440^0" in output
    [seen] = aliyun.requests
    assert seen.one("PhoneNumbers") == "13912345678" and seen.one("SignName") == SIGN
    assert seen.one("TemplateCode").startswith("SMS_DEMO")
    assert set(json.loads(seen.one("TemplateParam"))) == {"date", "station", "time", "address"}
    assert Delivery.objects.get().status == "sent"


def test_send_test_message_through_tencent_at_night_and_a_refusal(tencent, db, today):
    import time_machine
    from datetime import datetime
    from zoneinfo import ZoneInfo

    demo_templates.seed()
    with time_machine.travel(datetime(today.year, today.month, today.day, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai"))):
        output = run(to="13912345678", kind="opinion_referred")  # a test goes whatever the hour
    assert "短信（tencent）" in output and "TC-REQ-1" in output
    assert tencent.requests[0].json()["TemplateParamSet"] == ["3"]
    tencent.answer = standins.tencent_template_error
    with pytest.raises(CommandError):
        output = run(to="13912345678", kind="duty_reminder", param=["station=测试站"])


def test_send_test_message_also_reaches_the_numbers_account(person, db, settings):
    person.email = "wjg@example.cn"
    person.save()
    output = run(to="13912345678", kind="points_group_summary")  # a kind that never goes by SMS: sent anyway
    assert "短信（memory）" in output and "电子邮件（email）→ wjg@example.cn：已发送" in output


def test_send_test_message_refuses_an_unknown_kind(db):
    with pytest.raises(CommandError, match="未知的消息类别"):
        run(to="13912345678", kind="no_such_kind")
    assert "duty_reminder" in run(to="x", kind="list")


def ids(problems):
    return [p.id for p in problems]


def test_check_is_quiet_with_the_log_provider(db, settings):
    settings.SMS_PROVIDER = "log"
    assert messaging_configuration() == []


def test_check_reports_an_unknown_provider(db, settings):
    settings.SMS_PROVIDER = "sms-king"
    [problem] = messaging_configuration()
    assert problem.id == "notifications.E001" and "sms-king" in problem.msg


def test_check_reports_missing_credentials(aliyun, db, settings):
    settings.SMS_ACCESS_KEY_SECRET = ""
    [problem] = messaging_configuration()
    assert problem.id == "notifications.E002" and "SMS_ACCESS_KEY_SECRET" in problem.msg
    settings.SMS_PROVIDER, settings.SMS_SDK_APP_ID = "tencent", ""
    assert "SMS_SDK_APP_ID" in messaging_configuration()[0].msg


def test_check_names_the_kinds_without_a_template(aliyun, db, settings, template):
    [problem] = messaging_configuration()
    assert problem.id == "notifications.W001" and "值班提醒（duty_reminder）" in problem.msg
    demo_templates.seed()
    assert messaging_configuration() == []
    MessageTemplate.objects.filter(kind="vote_opened", provider="aliyun").update(is_active=False)
    [problem] = messaging_configuration()
    assert "vote_opened" in problem.msg and "duty_reminder" not in problem.msg


def test_check_covers_wechat(wechat_api, db, settings):
    settings.WECHAT_APP_SECRET = ""
    assert ids(messaging_configuration()) == ["notifications.E002"]
    settings.WECHAT_APP_SECRET = "s"
    assert ids(messaging_configuration()) == ["notifications.W001"]


def test_manage_py_check_prints_it(aliyun, db, settings):
    settings.SMS_SIGN_NAME = ""
    out = io.StringIO()
    with pytest.raises(Exception) as raised:
        call_command("check", stdout=out, stderr=out)
    assert "SMS_SIGN_NAME" in str(raised.value) + out.getvalue()
