"""Mobile numbers stay out of logs: gunicorn's access log (gunicorn.conf.py) and the SMS log."""

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from notifications import kinds
from notifications.providers import OutgoingMessage
from notifications.providers.log import LogProvider

ROOT = Path(__file__).resolve().parents[2]
PHONE = "13812345678"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_access_log_leaves_out_query_strings_and_referers(tmp_path):
    port = free_port()
    log = tmp_path / "access.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "congress.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--access-logfile", str(log)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/privacy/?phone={PHONE}",
                    headers={"Referer": f"http://127.0.0.1:{port}/privacy/?phone={PHONE}"},
                )
                urllib.request.urlopen(request, timeout=5)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                assert time.monotonic() < deadline, server.stderr.read1().decode()
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert "GET /privacy/ HTTP/1.1" in text
    assert PHONE not in text


def test_the_log_sms_provider_writes_only_the_last_four_digits(caplog):
    with caplog.at_level(logging.INFO, logger="notifications.sms"):
        LogProvider().send(OutgoingMessage(
            key="1:sms", channel="sms", address=PHONE, kind=kinds.get("opinion_referred"), text_values={"days": "15"},
            title="收到一条转交办理的群众意见", body="请接单或说明理由退回，并在15个工作日内答复。",
        ))
    assert caplog.records
    assert all(PHONE not in f"{r.getMessage()} {vars(r)}" for r in caplog.records)
