"""Anti-abuse checks for anonymous input (public opinions, public project proposals).

One function per concern, shared by the pages and the public API:
- `check_honeypot`: a hidden field a person never fills;
- `check_submission_rate`: submissions per IP per hour (default 5);
- `check_lookup_rate`: tracking look-ups per IP per minute (default 30);
- `check_duplicate`: the same content from the same IP within 24 hours.
A refused request raises RateLimited (429) or DomainError (400) and must save nothing.
The counters live in the cache (Redis when REDIS_URL is set, shared by all workers)."""

import hashlib

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core import ratelimit
from core.exceptions import DomainError, RateLimited
from core.http import client_ip

HONEYPOT_FIELD = "website"


def check_honeypot(data):
    if (data.get(HONEYPOT_FIELD) or "").strip():
        raise DomainError(_("提交未成功，请刷新页面后重新填写。"))


def check_submission_rate(request, scope):
    if not ratelimit.hit(
        f"submit:{scope}", client_ip(request), limit=settings.PUBLIC_SUBMISSIONS_PER_HOUR, period=3600
    ):
        raise RateLimited(
            _("您提交得太频繁了，每小时最多提交%(n)s次，请稍后再试。")
            % {"n": settings.PUBLIC_SUBMISSIONS_PER_HOUR}
        )


def check_lookup_rate(request, scope):
    if not ratelimit.hit(
        f"lookup:{scope}", client_ip(request), limit=settings.PUBLIC_LOOKUPS_PER_MINUTE, period=60
    ):
        raise RateLimited(_("查询太频繁了，请一分钟后再试。"))


def fingerprint(text):
    normalized = "".join((text or "").split()).lower()
    return hashlib.sha256(normalized.encode()).hexdigest()


def check_duplicate(request, scope, content):
    """Refuse the same content from the same address within PUBLIC_DUPLICATE_WINDOW_HOURS."""
    key = f"{client_ip(request)}:{fingerprint(content)}"
    if not ratelimit.remember(
        f"dup:{scope}", key, timeout=settings.PUBLIC_DUPLICATE_WINDOW_HOURS * 3600
    ):
        raise DomainError(_("您已经提交过相同的内容，请勿重复提交。可以凭查询码查看办理进度。"))


def forget_duplicate(request, scope, content):
    """Undo check_duplicate when the submission was refused for another reason afterwards."""
    ratelimit.forget(f"dup:{scope}", f"{client_ip(request)}:{fingerprint(content)}")
