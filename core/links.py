"""The portal's public address, for every absolute link it hands out: QR codes and posters, the
duty calendar feed, links in e-mail, SMS and WeChat messages, the WeChat OAuth callback.

`public_base_url(request=None)`, in order:
1. `PUBLIC_BASE_URL` when set (production: the address the public reaches, behind the proxy);
2. the request being served (its scheme and Host, as Django validated them against
   ALLOWED_HOSTS): the request passed in, or the one `CurrentRequestMiddleware` keeps for the
   code it runs (a model property, a template, a serializer), so pages link where they are served;
3. `SERVER_BASE_URL`: what the running server told tasks and commands (`make run` exports
   `http://127.0.0.1:$(PORT)`), else http://127.0.0.1:8000.
So `PORT=8765 make run` prints and encodes http://127.0.0.1:8765/s/<code>/ with nothing to set."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.checks import Tags, Warning, register

DEFAULT_SERVER_BASE_URL = "http://127.0.0.1:8000"

_request = ContextVar("links_current_request", default=None)


def public_base_url(request=None):
    """The scheme and host (no trailing slash) that absolute links start with."""
    configured = (getattr(settings, "PUBLIC_BASE_URL", "") or "").rstrip("/")
    if configured:
        return configured
    request = request if request is not None else _request.get()
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return (getattr(settings, "SERVER_BASE_URL", "") or DEFAULT_SERVER_BASE_URL).rstrip("/")


def absolute_url(path, request=None):
    """`path` ("/s/abc/") made absolute; a URL that already is absolute is returned as it is."""
    if not path.startswith("/"):
        return path
    return public_base_url(request) + path


def public_host(request=None):
    """The host part of the public address (for iCalendar UIDs)."""
    return public_base_url(request).split("://")[-1].split("/")[0]


@register(Tags.security, deploy=True)
def check_public_base_url(app_configs, **kwargs):
    """In production, messages sent by tasks need the public address: no request to follow."""
    if settings.DEBUG or (getattr(settings, "PUBLIC_BASE_URL", "") or "").strip():
        return []
    return [Warning(
        "PUBLIC_BASE_URL is not set: pages link to the host they are served on, but messages and "
        "files made by tasks and commands link to SERVER_BASE_URL (%s)." % public_base_url(),
        hint="Set PUBLIC_BASE_URL to the address the public reaches, e.g. https://rd.example.gov.cn",
        id="lianxin.W001",
    )]


@contextmanager
def serving(request):
    """Links built inside the block follow `request` (the middleware; tests)."""
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


class CurrentRequestMiddleware:
    """Keeps the request for `public_base_url` while the view and its templates run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with serving(request):
            return self.get_response(request)
