"""The profile's channel settings and the WeChat binding: the OAuth redirect (snsapi_base), the
code exchanged against the WeChat stand-in, unbinding."""

from urllib.parse import parse_qs, urlparse

from accounts.models import Role
from notifications.models import ChannelSettings, Delivery, Notification
from tests.factories import UserFactory

WECHAT_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
             "Mobile/15E148 MicroMessenger/8.0.49(0x18003130) NetType/WIFI Language/zh_CN")


def test_the_settings_page_saves_the_choice(person, login):
    client = login(person)
    page = client.get("/notifications/settings/")
    html = page.content.decode()
    assert page.status_code == 200 and "消息接收设置" in html and "139****5678" in html
    assert "本平台尚未开通微信公众号消息" in html
    response = client.post("/notifications/settings/", {"sms": "on"})
    assert response.status_code == 302
    choice = ChannelSettings.objects.get(user=person)
    assert (choice.email, choice.sms, choice.wechat) == (False, True, False)
    assert "已保存" in client.get("/notifications/settings/").content.decode()


def test_outside_wechat_the_page_shows_a_qr_code_to_open_it_in_wechat(person, login, wechat_api):
    html = login(person).get("/notifications/settings/").content.decode()
    assert "<svg" in html and "用微信扫描" in html and "/notifications/wechat/bind/" not in html


def test_binding_in_wechat_through_oauth(person, login, wechat_api, settings):
    settings.PUBLIC_BASE_URL = ""  # unset: the callback is on the host the page is served on
    client = login(person)
    assert "绑定当前微信" in client.get("/notifications/settings/", HTTP_USER_AGENT=WECHAT_UA).content.decode()
    start = client.post("/notifications/wechat/bind/", HTTP_USER_AGENT=WECHAT_UA)
    assert start.status_code == 302
    target = urlparse(start["Location"])
    assert target.netloc == "open.weixin.qq.com" and target.path == "/connect/oauth2/authorize"
    assert target.fragment == "wechat_redirect"
    query = parse_qs(target.query)
    assert query["appid"] == ["wx1234567890abcdef"] and query["scope"] == ["snsapi_base"]
    assert query["redirect_uri"] == ["http://testserver/notifications/wechat/callback/"]
    state = query["state"][0]
    # WeChat sends the user back with a code; the portal exchanges it for the openid.
    done = client.get("/notifications/wechat/callback/", {"code": "CODE-1", "state": state})
    assert done.status_code == 302 and done["Location"] == "/notifications/settings/"
    [exchange] = wechat_api.sent("/sns/oauth2/access_token")
    assert exchange.one("appid") == "wx1234567890abcdef" and exchange.one("secret") == "wechat-secret"
    assert exchange.one("code") == "CODE-1" and exchange.one("grant_type") == "authorization_code"
    choice = ChannelSettings.objects.get(user=person)
    assert choice.wechat_openid == "o6_bmjrPTlm6_2sgVt7hMZOPfL2M" and choice.wechat_bound_at is not None
    assert "微信已绑定" in client.get("/notifications/settings/").content.decode()
    # The state is used once.
    again = client.get("/notifications/wechat/callback/", {"code": "CODE-1", "state": state})
    assert again.status_code == 400 and "绑定链接已失效" in again.content.decode()


def test_a_forged_state_or_a_bad_code_binds_nothing(person, login, wechat_api):
    client = login(person)
    client.post("/notifications/wechat/bind/")
    forged = client.get("/notifications/wechat/callback/", {"code": "CODE-1", "state": "forged"})
    assert forged.status_code == 400
    state = parse_qs(urlparse(client.post("/notifications/wechat/bind/")["Location"]).query)["state"][0]
    bad = client.get("/notifications/wechat/callback/", {"code": "bad-code", "state": state}, follow=True)
    assert "暂时无法从微信取得您的身份" in bad.content.decode()
    assert not ChannelSettings.objects.filter(wechat_openid__isnull=False).exists()


def test_a_wechat_bound_to_another_account_is_refused(person, login, wechat_api):
    other = UserFactory(role=Role.UNIT, username="unit9")
    ChannelSettings.objects.create(user=other, wechat_openid="o6_bmjrPTlm6_2sgVt7hMZOPfL2M")
    client = login(person)
    state = parse_qs(urlparse(client.post("/notifications/wechat/bind/")["Location"]).query)["state"][0]
    response = client.get("/notifications/wechat/callback/", {"code": "CODE-1", "state": state})
    assert response.status_code == 409 and "已绑定其他账号" in response.content.decode()
    assert not ChannelSettings.objects.filter(user=person).exclude(wechat_openid=None).exists()


def test_unbinding_stops_wechat_messages(person, login, wechat_api, django_capture_on_commit_callbacks):
    from notifications.services import notify

    ChannelSettings.objects.create(user=person, wechat_openid="openid-9", sms=False)
    with django_capture_on_commit_callbacks(execute=False):
        waiting = notify(person, key="w", kind="opinion_referred", params={"days": 15})
    response = login(person).post("/notifications/wechat/unbind/")
    assert response.status_code == 302
    assert ChannelSettings.objects.get(user=person).wechat_openid is None
    assert Delivery.objects.get(notification=waiting).status == "failed"
    later = notify(person, key="w2", kind="opinion_referred", params={"days": 15})
    assert not later.deliveries.exists() and Notification.objects.count() == 2


def test_binding_needs_a_signed_in_user_and_a_post(db, client, wechat_api):
    assert client.get("/notifications/settings/").status_code == 302
    assert client.post("/notifications/wechat/bind/").status_code == 302  # to the sign-in page
    user = UserFactory(role=Role.DEPUTY)
    client.force_login(user)
    assert client.get("/notifications/wechat/bind/").status_code == 405
