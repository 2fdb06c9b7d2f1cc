from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.privacy import mask_phone
from notifications import kinds


class Notification(models.Model):
    """One message to one person. `key` makes it exactly-once: the same event for the same person
    (e.g. "duty-reminder:shift-12:deputy-7") is stored, and so sent, a single time.

    `kind` names a message kind (notifications.kinds) and `params` holds its parameters; the
    title and body are the kind's wording filled in, kept as they were shown. A notice to a
    member of the public (an opinion's receipt) has no recipient account: only an SMS delivery,
    and the township it concerns."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    key = models.CharField(_("去重键"), max_length=200, unique=True)
    kind = models.CharField(_("类别"), max_length=50)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    township = models.ForeignKey(
        "divisions.Township",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属乡镇"),
        help_text=_("只用于没有账号的接收人（群众），按乡镇统计短信用量。"),
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self):
        return self.title

    @property
    def kind_label(self):
        return kinds.label(self.kind)


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    WECHAT = "wechat", _("微信")


class Delivery(models.Model):
    """A notification's delivery through one outside channel (e-mail, SMS, WeChat).

    One per notification and channel (its key is the notification's key and the channel), sent
    at most once: a worker claims it (`claimed_until`) in a committed transaction before calling
    the provider and records the answer afterwards, so a retried or duplicated task finds it
    claimed or sent. A worker that dies during the provider's call leaves the claim to expire;
    the delivery then ends as 失败 with code INTERRUPTED (it may or may not have arrived) for an
    admin to check and resend, and is never sent a second time by itself."""

    Channel = Channel

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败")

    class Held(models.TextChoices):
        NONE = "", _("—")
        QUIET_HOURS = "quiet_hours", _("夜间不发短信")
        DAILY_LIMIT = "daily_limit", _("已达当天短信上限")
        CONFIGURATION = "configuration", _("发送配置不完整")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("通知")
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("地址"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    provider = models.CharField(_("服务商"), max_length=20, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), null=True, blank=True)
    claimed_until = models.DateTimeField(_("发送中至"), null=True, blank=True, editable=False)
    held = models.CharField(_("暂缓原因"), max_length=20, choices=Held.choices, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    request_id = models.CharField(_("服务商请求号"), max_length=100, blank=True)
    error_code = models.CharField(_("错误代码"), max_length=100, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, null=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], name="delivery_due_idx", condition=models.Q(status="pending")
            ),
            models.Index(fields=["channel", "status", "sent_at"], name="delivery_sent_idx"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.display_address}"

    @property
    def key(self):
        """The delivery's unique key, also handed to the provider (Aliyun OutId, Tencent
        SessionContext) so that its records can be matched with ours."""
        return f"{self.notification_id}:{self.channel}"

    @property
    def display_address(self):
        return mask_phone(self.address) if self.channel == Channel.SMS else self.address


class Provider(models.TextChoices):
    ALIYUN = "aliyun", _("阿里云短信")
    TENCENT = "tencent", _("腾讯云短信")
    WECHAT = "wechat", _("微信公众号")


class MessageTemplate(models.Model):
    """A provider's approved template for one message kind: its template id (Aliyun's
    TemplateCode, Tencent's TemplateId, WeChat's template_id) and which of the kind's
    parameters fill which of the template's variables.

    `variables` is a list of {"name": the template's variable, "param": the kind's parameter}.
    Aliyun fills variables by name; Tencent by position (the list's order is {1}, {2}, …);
    WeChat by field name (thing1, time2, …)."""

    class WechatMode(models.TextChoices):
        TEMPLATE = "template", _("模板消息")
        SUBSCRIBE = "subscribe", _("订阅通知")

    kind = models.CharField(_("消息类别"), max_length=50)
    provider = models.CharField(_("服务商"), max_length=20, choices=Provider.choices)
    template_id = models.CharField(_("模板编号"), max_length=100)
    variables = models.JSONField(_("模板变量"), default=list, blank=True)
    wechat_mode = models.CharField(
        _("微信消息类型"), max_length=10, choices=WechatMode.choices, default=WechatMode.TEMPLATE,
        help_text=_("仅用于微信公众号。"),
    )
    max_length = models.PositiveSmallIntegerField(
        _("变量最长字数"), default=20,
        help_text=_("超过的部分以“…”截断（服务商对模板变量的长度有限制）。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("消息模板")
        verbose_name_plural = _("消息模板")
        ordering = ["kind", "provider"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "provider"], name="one_template_per_kind_and_provider")
        ]

    def __str__(self):
        return f"{kinds.label(self.kind)} · {self.get_provider_display()} · {self.template_id}"

    @property
    def kind_label(self):
        return kinds.label(self.kind)

    def values(self, text_values):
        """[(variable name, value)] in the template's order, each cut to `max_length`."""
        limit = self.max_length or 0
        out = []
        for variable in self.variables:
            value = text_values.get(variable["param"], "")
            if limit and len(value) > limit:
                value = value[: max(limit - 1, 1)] + "…"
            out.append((variable["name"], value))
        return out


class ChannelSettings(models.Model):
    """A user's choice of channels (in-app always; e-mail, SMS, WeChat) and their WeChat
    binding: the openid of the portal's 公众号 for this user, from OAuth (snsapi_base)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_settings",
        verbose_name=_("用户"),
    )
    email = models.BooleanField(_("电子邮件"), default=True)
    sms = models.BooleanField(_("短信"), default=True)
    wechat = models.BooleanField(_("微信"), default=True)
    wechat_openid = models.CharField(_("微信 openid"), max_length=64, null=True, blank=True, unique=True)
    wechat_bound_at = models.DateTimeField(_("绑定微信时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接收渠道设置")
        verbose_name_plural = _("接收渠道设置")

    def __str__(self):
        return str(self.user)


class SmsDailyCount(models.Model):
    """How many SMS one number was sent (or is being sent) on one day, for SMS_DAILY_LIMIT.
    The number is kept as a keyed hash, never in clear."""

    number_digest = models.CharField(max_length=64)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("每日短信计数")
        verbose_name_plural = _("每日短信计数")
        constraints = [models.UniqueConstraint(fields=["number_digest", "day"], name="sms_count_once")]
        indexes = [models.Index(fields=["day"], name="sms_count_day_idx")]
