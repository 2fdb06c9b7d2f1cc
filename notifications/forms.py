from django import forms
from django.utils.translation import gettext_lazy as _

from notifications import kinds
from notifications.models import ChannelSettings, MessageTemplate, Provider


class ChannelSettingsForm(forms.ModelForm):
    """The channels a user receives notices through, besides 站内通知 (always on)."""

    class Meta:
        model = ChannelSettings
        fields = ["email", "sms", "wechat"]
        labels = {"email": _("电子邮件"), "sms": _("短信"), "wechat": _("微信")}


class MessageTemplateForm(forms.ModelForm):
    """The admin's form for a provider template: the template's variables one per line,
    `variable=parameter` (Aliyun, WeChat) or just `parameter` in the template's order (Tencent)."""

    kind = forms.ChoiceField(label=_("消息类别"), choices=())
    variables_text = forms.CharField(
        label=_("模板变量"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一个。阿里云、微信：模板变量名=消息参数，例如 station=station、thing1=station；"
                    "腾讯云：按模板中 {1}、{2}… 的顺序，每行写一个消息参数。"),
    )

    class Meta:
        model = MessageTemplate
        fields = ["kind", "provider", "template_id", "variables_text", "wechat_mode", "max_length", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds.choices()
        if self.instance.pk and not self.is_bound:
            self.initial["variables_text"] = "\n".join(
                v["param"] if self.instance.provider == Provider.TENCENT else f"{v['name']}={v['param']}"
                for v in self.instance.variables
            )

    def clean(self):
        data = super().clean()
        code, provider = data.get("kind"), data.get("provider")
        if not code or not provider:
            return data
        kind = kinds.get(code)
        allowed = set(kind.param_names)
        variables = []
        for number, line in enumerate((data.get("variables_text") or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            if provider == Provider.TENCENT:
                name, param = str(len(variables) + 1), line
            else:
                name, sep, param = (part.strip() for part in line.partition("="))
                if not sep or not name or not param:
                    self.add_error("variables_text", _("第%(n)s行应写成“模板变量名=消息参数”。") % {"n": number})
                    continue
            if param not in allowed:
                self.add_error("variables_text", _("第%(n)s行：“%(kind)s”没有参数 %(param)s，可用的参数：%(allowed)s。") % {
                    "n": number, "kind": kind.label, "param": param,
                    "allowed": "、".join(f"{p.name}（{p.label}）" for p in kind.params) or _("无"),
                })
                continue
            variables.append({"name": name, "param": param})
        data["variables"] = variables
        return data

    def save(self, commit=True):
        self.instance.variables = self.cleaned_data["variables"]
        return super().save(commit)
