import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

# Refresh the session's expiry at most once a minute rather than on every request.
TOUCH_INTERVAL = 60


class IdleTimeoutMiddleware:
    """Signs out a user idle for SESSION_IDLE_MINUTES (default 30).

    The session cookie's age equals the idle limit and is renewed while the user is active; the
    stored last-seen time makes the limit hold on the server too."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.idle_seconds = settings.SESSION_IDLE_MINUTES * 60

    def __call__(self, request):
        if request.user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last_seen = request.session.get("last_seen")
            if last_seen is not None and now - last_seen > self.idle_seconds:
                logout(request)
                messages.info(request, _("您已超过30分钟未操作，为保护账号安全已自动退出，请重新登录。"))
            elif last_seen is None or now - last_seen >= TOUCH_INTERVAL:
                request.session["last_seen"] = now
        return self.get_response(request)
