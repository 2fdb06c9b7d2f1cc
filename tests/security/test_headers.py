"""Security headers on every response, and the production settings behind HTTPS: HSTS, secure
cookies, frame denial, referrer policy (check --deploy itself: tests/test_deploy.py)."""

import json
import subprocess
import sys

from tests.test_deploy import PRODUCTION_ENV, ROOT


def test_every_page_carries_the_security_headers(client, db):
    for path in ["/", "/accounts/login/", "/track/", "/api/schema/", "/healthz"]:
        response = client.get(path)
        assert response["X-Frame-Options"] == "DENY", path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", path
        assert "geolocation=()" in response["Permissions-Policy"], path
        policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
        assert policy["script-src"] == "'self'", path  # no inline script, no eval
        assert policy["frame-ancestors"] == "'none'", path
        assert policy["object-src"] == "'none'", path


PROBE = """
import json, django
django.setup()
from django.conf import settings
# No collectstatic here: plain static URLs instead of the manifest's (nothing else changes).
settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
from django.test import Client
client = Client(HTTP_HOST="rd.example.gov.cn")
https = client.get("/accounts/login/", secure=True)
plain = client.get("/accounts/login/")
csrf = https.cookies.get("csrftoken")
print(json.dumps({
    "hsts": https.headers.get("Strict-Transport-Security"),
    "plain_status": plain.status_code, "plain_location": plain.headers.get("Location"),
    "csrf_cookie_secure": bool(csrf and csrf["secure"]),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "frame": https.headers.get("X-Frame-Options"),
    "referrer": https.headers.get("Referrer-Policy"),
}))
"""


def test_production_settings_send_hsts_secure_cookies_and_redirect_to_https():
    env = {k: v for k, v in __import__("os").environ.items()
           if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
                        "CSRF_COOKIE_SECURE", "LOG_JSON"}}
    env.update(PRODUCTION_ENV)
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    assert facts["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert facts["plain_status"] == 301 and facts["plain_location"].startswith("https://rd.example.gov.cn/")
    assert facts["csrf_cookie_secure"] and facts["session_cookie_secure"] and facts["session_cookie_httponly"]
    assert facts["frame"] == "DENY" and facts["referrer"] == "same-origin"
