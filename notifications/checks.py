"""`manage.py check` reports what keeps messages from going out: an unknown SMS provider,
missing credentials, and message kinds without a template for the configured providers. Until
it is fixed the deliveries wait as 待发送 (nothing is lost)."""

import os

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.db import DatabaseError

from notifications import kinds
from notifications.providers import ConfigurationError, SMS_PROVIDERS, sms_provider


def _credentials(provider_name, build):
    try:
        build()
    except ConfigurationError as exc:
        return [Error(
            f"{provider_name}: {exc}",
            hint="在环境变量中设置后重启；在此之前短信和微信消息都保持“待发送”。",
            id="notifications.E002",
        )]
    return []


def _missing_templates(provider):
    from notifications.models import MessageTemplate

    wanted = [k for k in kinds.all_kinds() if k.pushes()]
    try:
        have = set(
            MessageTemplate.objects.filter(provider=provider, is_active=True).values_list("kind", flat=True)
        )
    except DatabaseError:  # not migrated yet: nothing to say
        return []
    missing = [k for k in wanted if k.code not in have]
    if not missing:
        return []
    names = "、".join(f"{k.label}（{k.code}）" for k in missing)
    return [Warning(
        f"以下消息类别没有启用的 {provider} 模板，这些消息会一直“待发送”：{names}",
        hint="在系统配置 → 消息模板中为每个类别填写服务商审核通过的模板编号和变量。",
        id="notifications.W001",
    )]


@register()
def messaging_configuration(app_configs=None, **kwargs):
    problems = []
    name = (settings.SMS_PROVIDER or "log").strip().lower()
    if name not in SMS_PROVIDERS:
        problems.append(Error(
            f"未知的短信服务商 SMS_PROVIDER={name}。",
            hint="可选 log（写入日志，默认）、aliyun（阿里云）、tencent（腾讯云）。",
            id="notifications.E001",
        ))
    elif name in ("aliyun", "tencent"):
        found = _credentials(name, sms_provider)
        problems += found or _missing_templates(name)
    if os.environ.get("SMS_BACKEND"):
        problems.append(Warning(
            "SMS_BACKEND 已不再使用。",
            hint="改用 SMS_PROVIDER=log|aliyun|tencent 及其凭据（见 README 的配置表）。",
            id="notifications.W002",
        ))
    if settings.WECHAT_APP_ID or settings.WECHAT_APP_SECRET:
        from notifications.providers.wechat import WeChatProvider

        found = _credentials("wechat", WeChatProvider)
        problems += found or _missing_templates("wechat")
    return problems
