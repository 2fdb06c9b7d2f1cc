from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, roles and the permission rules that pages and the API share."""

    default = True  # the module holds other apps' configs too (below)
    name = "accounts"
    verbose_name = _("账号与权限")

    def ready(self):
        from accounts import policy  # noqa: F401 (connects the sign-in policy to user_logged_in)

# --- Third-party apps in the admin, in Chinese --------------------------------------------------
# django-axes' and django-otp's app names are their labels ("Axes", "Otp_Totp"), which no
# translation reaches: these configs name them (INSTALLED_APPS lists them instead of the apps'
# own). axes' other labels are translated in locale/zh_Hans; django-otp's model and field labels
# are plain strings, so they are set here.

from axes.apps import AppConfig as _AxesAppConfig  # noqa: E402
from django_otp.plugins.otp_totp.apps import DefaultConfig as _TOTPAppConfig  # noqa: E402

# Labels only: a field's verbose_name set here is not part of its migration state (Django keeps
# the given one apart); help texts stay the package's English msgids, translated in locale/.
TOTP_FIELD_LABELS = {
    "user": _("用户"), "name": _("名称"), "confirmed": _("已确认"), "created_at": _("创建时间"),
    "last_used_at": _("最近使用时间"), "throttling_failure_timestamp": _("最近失败时间"),
    "throttling_failure_count": _("连续失败次数"), "key": _("密钥"), "step": _("时间步长"),
    "t0": _("起始时间"), "digits": _("位数"), "tolerance": _("容差"), "drift": _("时钟偏移"),
    "last_t": _("最近验证时间步"),
}


class AxesConfig(_AxesAppConfig):
    verbose_name = _("登录失败锁定")


class TOTPConfig(_TOTPAppConfig):
    verbose_name = _("两步验证")

    def ready(self):
        super().ready()
        model = self.get_model("TOTPDevice")
        # Meta options as shown; the migration state reads the class's original ones.
        model._meta.verbose_name = _("验证器应用设备")
        model._meta.verbose_name_plural = _("验证器应用设备")
        for name, label in TOTP_FIELD_LABELS.items():
            field = model._meta.get_field(name)
            field.verbose_name = label
            if field.help_text:
                field.help_text = _(str(field.help_text))  # noqa: INT001  (the package's msgid)
