"""Issue 22, item 8: `make run` serves with DEBUG off and no secret key written in the code.

`make run` used to serve with DEBUG on (an unknown URL showed Django's technical 404 listing
every route) and sign sessions and URLs with a key anyone could read in congress/settings.py.
The probe below runs in exactly the environment `make serve` (the serving step of `make run`)
gives the server: make runs it in place of the Python interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import json, os, re, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
unknown = client.get("/no-such-page/")
login = client.get("/accounts/login/")
css = re.search(r'/static/[^"]+\.css', login.content.decode()).group(0)
static = client.get(css)
print(json.dumps({
    "debug": settings.DEBUG, "secret_key": settings.SECRET_KEY,
    "unknown_status": unknown.status_code, "unknown_body": unknown.content.decode(),
    "static_status": static.status_code,
    "static_by_whitenoise": type(static).__name__ != "HttpResponseNotFound" and static.status_code == 200,
    "argv": sys.argv[1:],
}))
"""

DROPPED = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT",
           "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LOG_JSON", "SECRET_KEY_FILE", "STATIC_FROM_APPS",
           "PUBLIC_BASE_URL", "MAKEFLAGS", "MFLAGS"}


def serve_like_make_run(tmp_path, **extra):
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    env.update({"SECRET_KEY_FILE": str(tmp_path / "secret_key"), "PYTHONPATH": str(ROOT), **extra})
    result = subprocess.run(
        ["make", "--no-print-directory", "serve", f"PY={sys.executable} {probe}", "PORT=8799"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_make_run_serves_with_debug_off_and_the_portals_own_pages(tmp_path):
    facts = serve_like_make_run(tmp_path)
    assert facts["argv"][-2:] == ["runserver", "127.0.0.1:8799"]  # the probe stood in for the server
    assert facts["debug"] is False
    assert facts["unknown_status"] == 404
    body = facts["unknown_body"]
    assert "URLconf" not in body and "stations/duty/feed" not in body  # no route listing
    assert "没有找到该页面" in body  # templates/404.html
    assert facts["static_status"] == 200


def test_the_secret_key_is_made_on_first_start_kept_and_never_from_the_code(tmp_path):
    first = serve_like_make_run(tmp_path)["secret_key"]
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == first
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert len(first) >= 50
    assert serve_like_make_run(tmp_path)["secret_key"] == first  # kept across restarts
    code = "".join(p.read_text() for p in (ROOT / "congress").glob("*.py")) + (ROOT / "Makefile").read_text()
    assert first not in code


def test_debug_1_make_run_is_for_development(tmp_path):
    assert serve_like_make_run(tmp_path, DEBUG="1")["debug"] is True


def test_the_compose_file_refuses_to_start_without_a_secret_key():
    compose = (ROOT / "docker-compose.yml").read_text()
    line = next(line for line in compose.splitlines() if line.strip().startswith("SECRET_KEY:"))
    assert "${SECRET_KEY:?" in line
