"""Links and QR codes follow the running server (core.links) when PUBLIC_BASE_URL is unset."""

import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from core.links import public_base_url, serving
from stations import calendar as duty_calendar
from tests.conftest import require_or_skip
from tests.factories import DeputyFactory

ROOT = Path(__file__).resolve().parents[2]


def test_the_configured_address_wins(settings, station):
    settings.PUBLIC_BASE_URL = "https://rd.example.gov.cn/"
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:9000")
    assert public_base_url(request) == "https://rd.example.gov.cn"
    with serving(request):
        assert station.public_url == f"https://rd.example.gov.cn/s/{station.code}/"


def test_unset_pages_follow_the_request_and_commands_the_server(settings, station, db):
    settings.PUBLIC_BASE_URL = ""
    settings.SERVER_BASE_URL = "http://127.0.0.1:8765"
    with serving(RequestFactory().get("/", HTTP_HOST="localhost:9000")):
        assert station.public_url == f"http://localhost:9000/s/{station.code}/"
        assert duty_calendar.feed_url(DeputyFactory()).startswith("http://localhost:9000/stations/")
    # No request: a task or a command (`make run` exports SERVER_BASE_URL with its port).
    assert station.public_url == f"http://127.0.0.1:8765/s/{station.code}/"


def test_make_run_tells_commands_its_port():
    if not shutil.which("make"):
        require_or_skip("make is not installed")
    dry = subprocess.run(["make", "-n", "run", "PORT=8765"], cwd=ROOT, capture_output=True, text=True, check=True)
    serve = [line for line in dry.stdout.splitlines() if "runserver" in line]
    assert serve and "SERVER_BASE_URL=${SERVER_BASE_URL:-http://127.0.0.1:8765}" in serve[0]
    assert serve[0].endswith("runserver 127.0.0.1:8765")


def test_deploy_check_warns_without_a_public_address(settings):
    from core.links import check_public_base_url

    settings.DEBUG, settings.PUBLIC_BASE_URL = False, ""
    assert [w.id for w in check_public_base_url(None)] == ["lianxin.W001"]
    settings.PUBLIC_BASE_URL = "https://rd.example.gov.cn"
    assert check_public_base_url(None) == []


@pytest.mark.django_db(transaction=True)
def test_qr_code_from_a_server_on_another_port_decodes_to_that_port(live_server, settings, staff, login, station, tmp_path):
    if not shutil.which("zbarimg"):
        require_or_skip("zbarimg is not installed (apt-get install zbar-tools)")
    settings.PUBLIC_BASE_URL = ""
    port = live_server.url.rsplit(":", 1)[1]
    assert live_server.url.startswith("http://") and port != "8000"
    cookie = login(staff).cookies[settings.SESSION_COOKIE_NAME].value
    # 127.0.0.1 as `make run` serves it (live_server binds localhost by default).
    url = f"http://127.0.0.1:{port}/stations/{station.pk}/qr.png"
    request = urllib.request.Request(url, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"})
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.headers["Content-Type"] == "image/png"
        (tmp_path / "qr.png").write_bytes(response.read())
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "qr.png")], capture_output=True, text=True, check=True)
    assert decoded.stdout.strip() == f"http://127.0.0.1:{port}/s/{station.code}/"
    call_command("check")  # the settings stay valid without PUBLIC_BASE_URL
