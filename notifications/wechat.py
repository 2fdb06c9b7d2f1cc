"""The portal's WeChat 公众号 through wechatpy: an API client whose access token is shared by all
web and Celery processes through the Django cache (Redis when REDIS_URL is set), and the OAuth
(snsapi_base) that binds a user's openid.

WECHAT_ENDPOINT_URL (scheme://host:port) replaces api.weixin.qq.com, for a private gateway or a
test's stand-in."""

import time

from django.conf import settings
from django.core.cache import cache
from wechatpy import WeChatClient
from wechatpy.oauth import WeChatOAuth
from wechatpy.session import SessionStorage

DEFAULT_API = "https://api.weixin.qq.com"
# A cached token is dropped this long before WeChat's expiry, so none is used as it expires.
TOKEN_MARGIN_SECONDS = 300
TOKEN_LOCK_SECONDS = 10


def api_base():
    return (settings.WECHAT_ENDPOINT_URL or DEFAULT_API).rstrip("/")


def configured():
    return bool(settings.WECHAT_APP_ID)


class CacheStorage(SessionStorage):
    """wechatpy's session storage on the Django cache: one access token for every process."""

    prefix = "wechat:"

    def get(self, key, default=None):
        value = cache.get(self.prefix + key)
        return default if value is None else value

    def set(self, key, value, ttl=None):
        if value is None:
            return
        if ttl:
            ttl = max(int(ttl) - TOKEN_MARGIN_SECONDS, 60) if int(ttl) > TOKEN_MARGIN_SECONDS else int(ttl)
        cache.set(self.prefix + key, value, ttl)

    def delete(self, key):
        cache.delete(self.prefix + key)


class PortalWeChatClient(WeChatClient):
    """WeChatClient on api_base(), fetching the token under a lock in the cache: when several
    workers find it missing at once, one fetches it (a new token makes WeChat expire the old
    one) and the others wait for it."""

    def __init__(self):
        super().__init__(settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET, session=CacheStorage(),
                         timeout=settings.SMS_TIMEOUT_SECONDS)
        self.API_BASE_URL = f"{api_base()}/cgi-bin/"

    def fetch_access_token(self):
        lock = f"wechat:token-lock:{self.appid}"
        if not cache.add(lock, 1, TOKEN_LOCK_SECONDS):
            deadline = time.monotonic() + TOKEN_LOCK_SECONDS
            while time.monotonic() < deadline:
                time.sleep(0.2)
                token = self.session.get(self.access_token_key)
                if token:
                    return {"access_token": token}
        try:
            return self._fetch_access_token(
                url=f"{self.API_BASE_URL}token",
                params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
            )
        finally:
            cache.delete(lock)


def client():
    return PortalWeChatClient()


def oauth(redirect_uri, state):
    """OAuth (snsapi_base: the openid only, no consent screen) for binding a user."""
    flow = WeChatOAuth(settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET, redirect_uri,
                       scope="snsapi_base", state=state)
    flow.API_BASE_URL = f"{api_base()}/"
    return flow


def openid_for_code(redirect_uri, code):
    """Exchange the code WeChat handed back for the user's openid (sns/oauth2/access_token)."""
    result = oauth(redirect_uri, "").fetch_access_token(code)
    return result["openid"]


def in_wechat(request):
    return "MicroMessenger" in request.META.get("HTTP_USER_AGENT", "")
