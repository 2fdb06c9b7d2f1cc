"""消息接收设置 on a 375 px phone: the channels chosen and saved, the QR code to open the page in
WeChat, the bind button inside WeChat, and unbinding."""

import pytest

from accounts.models import Role
from notifications.models import ChannelSettings
from tests.browser import browser_page, screenshot, sign_in
from tests.factories import UserFactory
from tests.quality import axe_violations, describe_violations, has_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WECHAT_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 "
             "Mobile Safari/537.36 MicroMessenger/8.0.49.2600 NetType/WIFI Language/zh_CN")


def test_a_deputy_chooses_channels_on_a_phone(live_server, settings):
    settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET = "wx1234567890abcdef", "secret"
    user = UserFactory(username="deputy1", role=Role.DEPUTY, name="王建国", phone="13912345678",
                       email="wjg@example.cn")

    with browser_page(width=375, height=812) as page:
        sign_in(page, live_server.url, "deputy1")
        page.goto(f"{live_server.url}/notifications/")
        page.get_by_role("link", name="消息接收设置").first.click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name="消息接收设置").is_visible()
        assert page.get_by_label("电子邮件").is_checked() and page.get_by_label("短信").is_checked()
        assert "139****5678" in page.locator("#channels").inner_text()
        # Outside WeChat: a QR code opens this page in WeChat.
        assert page.locator("#wechat svg").is_visible()
        assert not has_horizontal_scroll(page)
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
        screenshot(page, "notifications-settings-375")
        page.get_by_label("电子邮件").uncheck()
        page.get_by_role("button", name="保存设置").click()
        page.wait_for_load_state()
        assert "消息接收设置已保存" in page.content()
        assert not page.get_by_label("电子邮件").is_checked()
        screenshot(page, "notifications-settings-saved-375")

    choice = ChannelSettings.objects.get(user=user)
    assert (choice.email, choice.sms, choice.wechat) == (False, True, True)

    with browser_page(width=375, height=812, user_agent=WECHAT_UA) as page:
        sign_in(page, live_server.url, "deputy1")
        page.goto(f"{live_server.url}/notifications/settings/")
        assert page.get_by_role("button", name="绑定当前微信").is_visible()
        screenshot(page, "notifications-settings-in-wechat-375")

    ChannelSettings.objects.filter(user=user).update(wechat_openid="openid-1", wechat_bound_at="2026-11-20T10:00:00+08:00")
    with browser_page(width=375, height=812) as page:
        sign_in(page, live_server.url, "deputy1")
        page.goto(f"{live_server.url}/notifications/settings/")
        assert "已于2026年11月20日绑定微信" in page.locator("#wechat").inner_text()
        page.get_by_role("button", name="解除绑定").click()
        page.wait_for_load_state()
        assert "已解除微信绑定" in page.content()
        screenshot(page, "notifications-settings-unbound-375")
    assert ChannelSettings.objects.get(user=user).wechat_openid is None
