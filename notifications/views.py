import secrets

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.links import absolute_url
from notifications import permissions, selectors, services, wechat
from notifications.forms import ChannelSettingsForm
from notifications.models import Notification

WECHAT_STATE = "wechat_bind_state"


@login_required
def inbox(request):
    notifications = Notification.objects.filter(recipient=request.user)
    page = Paginator(notifications, 20).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(request.user)
    return redirect("notifications:inbox")


def _qr_svg(url):
    return segno.make(url, error="m").svg_inline(omitsize=True, border=2)


@login_required
def channel_settings(request):
    """消息接收设置: which channels the user's notices go through, and the WeChat binding."""
    choice = services.channel_settings(request.user)
    form = ChannelSettingsForm(request.POST or None, instance=choice)
    if request.method == "POST" and form.is_valid():
        services.save_channels(request.user, **{name: form.cleaned_data[name] for name in ("email", "sms", "wechat")})
        messages.success(request, _("消息接收设置已保存。"))
        return redirect("notifications:settings")
    page_url = absolute_url(reverse("notifications:settings"), request)
    return render(request, "notifications/settings.html", {
        "form": form,
        "choice": choice,
        "wechat_configured": wechat.configured(),
        "in_wechat": wechat.in_wechat(request),
        "qr_svg": _qr_svg(page_url) if wechat.configured() and not choice.wechat_openid else "",
    }, status=400 if form.is_bound else 200)


def _callback_url(request):
    # The 公众号's OAuth accepts only its registered domain: the portal's public address.
    return absolute_url(reverse("notifications:wechat_callback"), request)


@login_required
@require_POST
def wechat_bind(request):
    """Start binding: to WeChat's OAuth page (snsapi_base), which comes back with a code."""
    permissions.choose_channels.check(request.user)
    if not wechat.configured():
        messages.error(request, _("本平台尚未开通微信公众号消息。"))
        return redirect("notifications:settings")
    state = secrets.token_urlsafe(16)
    request.session[WECHAT_STATE] = state
    return redirect(wechat.oauth(_callback_url(request), state).authorize_url)


@login_required
def wechat_callback(request):
    """WeChat's redirect after OAuth: check the state, exchange the code for the openid, bind."""
    from wechatpy.exceptions import WeChatClientException
    import requests

    expected = request.session.pop(WECHAT_STATE, None)
    code, state = request.GET.get("code", ""), request.GET.get("state", "")
    if not expected or not state or not secrets.compare_digest(expected, state):
        return render(request, "domain_error.html", {"message": _("绑定链接已失效，请回到“消息接收设置”重新绑定。")}, status=400)
    if not code:
        messages.error(request, _("您没有同意授权，微信未绑定。"))
        return redirect("notifications:settings")
    try:
        openid = wechat.openid_for_code(_callback_url(request), code)
    except (WeChatClientException, requests.RequestException, KeyError):
        messages.error(request, _("暂时无法从微信取得您的身份，请稍后重试。"))
        return redirect("notifications:settings")
    services.bind_wechat(request.user, openid=openid)
    messages.success(request, _("微信已绑定，通知将同时发送到您的微信。"))
    return redirect("notifications:settings")


@login_required
@require_POST
def wechat_unbind(request):
    services.unbind_wechat(request.user)
    messages.success(request, _("已解除微信绑定。"))
    return redirect("notifications:settings")


@login_required
def sms_cost(request):
    """Admins: SMS sent per month, by message kind and township (the provider's bill)."""
    if not permissions.manage_deliveries.has(request.user):
        raise PermissionDenied(permissions.manage_deliveries.message)
    today = timezone.localdate()
    text = request.GET.get("month") or f"{today:%Y-%m}"
    try:
        first, _start, _end = selectors.month_bounds(text)
    except ValueError:
        return HttpResponseBadRequest(_("月份格式应为 YYYY-MM，例如 2026-11。"))
    rows = selectors.sms_cost(first)
    by_kind, by_township = {}, {}
    for row in rows:
        by_kind[row["kind_label"]] = by_kind.get(row["kind_label"], 0) + row["count"]
        name = row["township"] or _("未归属乡镇")
        by_township[name] = by_township.get(name, 0) + row["count"]
    return render(request, "notifications/sms_cost.html", {
        "month": first, "month_text": f"{first:%Y-%m}", "rows": rows, "total": sum(r["count"] for r in rows),
        "by_kind": sorted(by_kind.items(), key=lambda kv: -kv[1]),
        "by_township": sorted(by_township.items(), key=lambda kv: -kv[1]),
    })


