from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "name", "role", "region", "handling_unit", "is_active"]
    list_filter = ["role", "is_active", "region", "handling_unit"]
    search_fields = ["username", "name", "phone"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("连心"), {"fields": ["role", "name", "phone", "region", "handling_unit"]}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("连心"), {"fields": ["role", "name", "region", "handling_unit"]}),
    )


# --- Sign-in protection in the admin, in Chinese (django-axes, django-otp) ------------------------
# Their admin classes leave a few labels untranslatable (a column without a description, plain
# English strings): these subclasses replace them; the rest is in locale/zh_Hans.

from axes.admin import AccessAttemptAdmin as _AccessAttemptAdmin  # noqa: E402
from axes.models import AccessAttempt  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils.html import format_html  # noqa: E402
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as _TOTPDeviceAdmin  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402


class AccessAttemptAdmin(_AccessAttemptAdmin):
    @admin.display(description=_("状态"))
    def status(self, obj):
        return super().status(obj)


class TOTPDeviceAdmin(_TOTPDeviceAdmin):
    search_help_text = _("按用户的用户名、姓名搜索")
    FIELDSET_NAMES = {"Identity": _("设备"), "Timestamps": _("时间"), "Configuration": _("参数"),
                      "State": _("状态"), "Throttling": _("失败限制")}

    def get_fieldsets(self, request, obj=None):
        return [(self.FIELDSET_NAMES.get(name, name), options)
                for name, options in super().get_fieldsets(request, obj)]

    @admin.display(description=_("二维码"))
    def qrcode_link(self, device):
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, _("查看二维码"))


for _model, _model_admin in ((AccessAttempt, AccessAttemptAdmin), (TOTPDevice, TOTPDeviceAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _model_admin)
