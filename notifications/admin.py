from django.contrib import admin, messages
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from notifications import kinds, services
from notifications.forms import MessageTemplateForm
from notifications.models import Delivery, MessageTemplate, Notification


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ["channel", "display_address", "status", "attempts", "sent_at", "request_id", "error_code", "error"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("地址"))
    def display_address(self, obj):
        return obj.display_address


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "key", "recipient__username", "recipient__name"]
    list_select_related = ["recipient"]
    readonly_fields = ["recipient", "key", "kind", "params", "title", "body", "url", "township", "created_at", "read_at"]
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False


class KindFilter(admin.SimpleListFilter):
    title = _("消息类别")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return kinds.choices()

    def queryset(self, request, queryset):
        return queryset.filter(notification__kind=self.value()) if self.value() else queryset


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Every e-mail, SMS and WeChat delivery with its status; failed ones can be sent again."""

    list_display = ["id", "created_at", "kind", "recipient", "channel", "display_address", "status", "held",
                    "attempts", "next_attempt_at", "sent_at", "provider", "request_id", "error_code"]
    list_filter = ["status", "channel", "held", "provider", KindFilter]
    search_fields = ["notification__key", "request_id", "error_code", "notification__recipient__username",
                     "notification__recipient__name"]
    list_select_related = ["notification__recipient"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    fields = ["notification", "channel", "display_address", "status", "held", "provider", "attempts",
              "next_attempt_at", "sent_at", "request_id", "error_code", "error", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("类别"))
    def kind(self, obj):
        return kinds.label(obj.notification.kind)

    @admin.display(description=_("接收人"))
    def recipient(self, obj):
        return obj.notification.recipient or _("群众")

    @admin.display(description=_("地址"))
    def display_address(self, obj):
        return obj.display_address

    @admin.action(description=_("重新发送所选的失败或待发送记录"))
    def resend(self, request, queryset):
        queued = services.resend(list(queryset), by=request.user)
        skipped = queryset.count() - queued
        self.message_user(request, _("已重新排队发送 %(n)s 条。") % {"n": queued}, messages.SUCCESS)
        if skipped:
            self.message_user(request, _("%(n)s 条已发送或正在发送，未重发。") % {"n": skipped}, messages.WARNING)


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ["kind_label", "kind", "provider", "template_id", "variable_list", "is_active", "updated_at"]
    list_filter = ["provider", "is_active"]
    search_fields = ["kind", "template_id"]
    readonly_fields = ["kind_parameters"]

    def get_fields(self, request, obj=None):
        return ["kind", "kind_parameters", "provider", "template_id", "variables_text", "wechat_mode",
                "max_length", "is_active"]

    @admin.display(description=_("模板变量"))
    def variable_list(self, obj):
        return "，".join(f"{v['name']}={v['param']}" for v in obj.variables)

    @admin.display(description=_("各类别的参数"))
    def kind_parameters(self, obj):
        return format_html_join(
            "", "<div><strong>{}</strong>（{}）：{}</div>",
            ((k.label, k.code, "、".join(f"{p.name}（{p.label}）" for p in k.params)) for k in kinds.all_kinds()),
        )
