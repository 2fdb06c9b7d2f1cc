from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误，请检查后重新输入。"),
        "inactive": _("该账号已停用，请联系县人大常委会工作人员。"),
    }

    def confirm_login_allowed(self, user):
        """A deputy whose every seat has ended (届满, 辞职, 罢免, 调离) no longer signs in: the
        portal's pages for them are all deputy functions. Their records stay with the staff."""
        from accounts.permissions import role_in_force

        super().confirm_login_allowed(user)
        if not role_in_force(user):
            raise forms.ValidationError(
                _("您的代表资格已终止，不能再登录代表页面。如需查阅本人履职记录，请联系人大工作人员。"),
                code="role_ended",
            )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].label = _("密码")
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6位验证码"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
        help_text=_("打开手机上的验证器应用（如 Microsoft Authenticator、腾讯身份验证器），输入当前显示的6位数字。"),
    )
