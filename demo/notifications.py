"""Demo provider templates: one per message kind for Aliyun, Tencent and WeChat, so that
`manage.py send_test_message` works on the demo database once SMS_PROVIDER and its credentials
(or WECHAT_APP_ID) are set. A real county replaces the template ids with its approved ones
(系统配置 → 消息模板); running the seed again never overwrites an edited template."""

from notifications import kinds
from notifications.models import MessageTemplate, Provider

WECHAT_FIELD = {kinds.TEXT: "thing", kinds.INT: "number", kinds.DATE: "time", kinds.DATETIME: "time"}


def variables_for(kind, provider):
    if provider == Provider.TENCENT:
        return [{"name": str(n), "param": p.name} for n, p in enumerate(kind.params, start=1)]
    if provider == Provider.WECHAT:
        return [{"name": f"{WECHAT_FIELD[p.type]}{n}", "param": p.name} for n, p in enumerate(kind.params, start=1)]
    return [{"name": p.name, "param": p.name} for p in kind.params]


def template_id(kind, provider, number):
    return {
        Provider.ALIYUN: f"SMS_DEMO{number:04d}",
        Provider.TENCENT: f"90{number:04d}",
        Provider.WECHAT: f"DEMO-{kind.code}",
    }[provider]


def seed():
    for number, kind in enumerate(kinds.all_kinds(), start=1):
        for provider in Provider.values:
            MessageTemplate.objects.get_or_create(
                kind=kind.code, provider=provider,
                defaults={"template_id": template_id(kind, provider, number), "variables": variables_for(kind, provider)},
            )
