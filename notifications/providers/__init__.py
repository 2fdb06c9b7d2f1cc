"""The outside channels' providers, each through its official SDK: Aliyun and Tencent Cloud SMS,
WeChat 公众号 template and subscribe messages, and e-mail through Django. The log provider
(the default) writes SMS to the log; the memory provider keeps them in a list for tests, as
Django's locmem e-mail backend does.

A provider's `send(message)` returns a `ProviderAnswer` or raises `ProviderError` (the
provider refused or could not be reached; `retry` says whether trying again may help).
`ConfigurationError` means the portal cannot send yet (no template for the kind, missing
credentials, unknown provider): the delivery waits as 待发送 and `manage.py check` says why."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass
class OutgoingMessage:
    key: str
    channel: str
    address: str
    kind: object  # notifications.kinds.MessageKind
    text_values: dict  # each parameter as text
    title: str
    body: str
    url: str = ""  # absolute


@dataclass
class ProviderAnswer:
    request_id: str = ""
    code: str = "OK"
    message: str = ""
    sent: dict = field(default_factory=dict)  # what went out (template, variables), for the record

    def __str__(self):
        parts = [self.code]
        if self.request_id:
            parts.append(f"RequestId={self.request_id}")
        if self.message:
            parts.append(self.message)
        return " ".join(parts)


class ProviderError(Exception):
    def __init__(self, code, message="", *, request_id="", retry=True):
        super().__init__(f"{code}: {message}" if message else str(code))
        self.code = str(code or "ERROR")[:100]
        self.message = message or ""
        self.request_id = request_id or ""
        self.retry = retry


class ConfigurationError(Exception):
    """The message cannot be sent until an admin completes the configuration."""


SMS_PROVIDERS = ("log", "memory", "aliyun", "tencent")


def sms_provider():
    name = (settings.SMS_PROVIDER or "log").strip().lower()
    if name == "log":
        from notifications.providers.log import LogProvider

        return LogProvider()
    if name == "memory":
        from notifications.providers.log import MemoryProvider

        return MemoryProvider()
    if name == "aliyun":
        from notifications.providers.aliyun import AliyunProvider

        return AliyunProvider()
    if name == "tencent":
        from notifications.providers.tencent import TencentProvider

        return TencentProvider()
    raise ConfigurationError(
        _("未知的短信服务商 SMS_PROVIDER=%(name)s（可选 log、aliyun、tencent）。") % {"name": name}
    )


def wechat_provider():
    from notifications.providers.wechat import WeChatProvider

    return WeChatProvider()


def email_provider():
    from notifications.providers.email import EmailProvider

    return EmailProvider()


def provider_for(channel):
    if channel == "sms":
        return sms_provider()
    if channel == "wechat":
        return wechat_provider()
    return email_provider()


def template_for(kind, provider):
    """The active template of `kind` for `provider`, or ConfigurationError."""
    from notifications.models import MessageTemplate, Provider

    template = MessageTemplate.objects.filter(kind=kind.code, provider=provider, is_active=True).first()
    if template is None:
        raise ConfigurationError(
            _("消息类别“%(kind)s”（%(code)s）没有启用的%(provider)s模板，请在系统配置的“消息模板”中添加。")
            % {"kind": kind.label, "code": kind.code, "provider": Provider(provider).label}
        )
    return template


def endpoint(default_host):
    """SMS_ENDPOINT_URL (scheme://host:port) replacing a provider's endpoint, as (protocol, host)."""
    url = (settings.SMS_ENDPOINT_URL or "").strip().rstrip("/")
    if not url:
        return "https", default_host
    scheme, _sep, host = url.partition("://")
    if not host:
        return "https", scheme
    return scheme.lower(), host


def required_settings(*names):
    missing = [name for name in names if not getattr(settings, name, "")]
    if missing:
        raise ConfigurationError(_("缺少设置：%(names)s。") % {"names": "、".join(missing)})
