from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("settings/", views.channel_settings, name="settings"),
    path("wechat/bind/", views.wechat_bind, name="wechat_bind"),
    path("wechat/callback/", views.wechat_callback, name="wechat_callback"),
    path("wechat/unbind/", views.wechat_unbind, name="wechat_unbind"),
    path("sms-cost/", views.sms_cost, name="sms_cost"),
]
