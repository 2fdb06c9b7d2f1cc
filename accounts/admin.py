from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts import tokens, twofactor
from accounts.models import User

# No page shows an API token or a TOTP secret (issue 22, item 5): knox's admin creates a token
# for any user and shows it, the TOTP device admin shows each secret; with either an admin could
# act as anyone, unseen (cast a deputy's secret ballot). An admin resets a user's two-factor or
# signs them out of the API below, logged, and never reads either.
for model in (AuthToken, TOTPDevice):
    try:
        admin.site.unregister(model)
    except NotRegistered:
        pass


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "name", "role", "region", "handling_unit", "is_active", "two_factor"]
    list_filter = ["role", "is_active", "region", "handling_unit"]
    search_fields = ["username", "name", "phone"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("连心"), {"fields": ["role", "name", "phone", "region", "handling_unit"]}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("连心"), {"fields": ["role", "name", "region", "handling_unit"]}),
    )
    actions = ["reset_two_factor", "revoke_api_tokens"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("totpdevice_set")

    @admin.display(boolean=True, description=_("两步验证"))
    def two_factor(self, user):
        return any(device.confirmed for device in user.totpdevice_set.all())

    @admin.action(description=_("重置两步验证（用户需重新绑定验证器）"))
    def reset_two_factor(self, request, queryset):
        count = sum(1 for user in queryset if twofactor.reset(user, by=request.user))
        self.message_user(
            request,
            ngettext("已重置%(count)d个账号的两步验证。", "已重置%(count)d个账号的两步验证。", count) % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("注销全部API令牌"))
    def revoke_api_tokens(self, request, queryset):
        from audit.models import AuditEntry
        from audit.registry import log

        for user in queryset:
            revoked = tokens.revoke_all(user)
            log(AuditEntry.Action.UPDATE, user, actor=request.user, changes={"api_tokens": ["revoked", revoked]})
        self.message_user(request, _("已注销所选账号的全部API令牌。"), messages.SUCCESS)


# --- Sign-in protection in the admin, in Chinese (django-axes, django-otp) ------------------------
# Their admin classes leave a few labels untranslatable (a column without a description, plain
# English strings): these subclasses replace them; the rest is in locale/zh_Hans.

from axes.admin import AccessAttemptAdmin as _AccessAttemptAdmin  # noqa: E402
from axes.models import AccessAttempt  # noqa: E402


class AccessAttemptAdmin(_AccessAttemptAdmin):
    @admin.display(description=_("状态"))
    def status(self, obj):
        return super().status(obj)


# No TOTP device admin: it would show each secret (issue 22, item 5); admins reset two-factor
# from the user list instead.


for _model, _model_admin in ((AccessAttempt, AccessAttemptAdmin),):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _model_admin)
