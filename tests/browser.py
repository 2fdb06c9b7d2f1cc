"""Headless Chromium (Debian's package) driven by Playwright's Python API.

Django refuses ORM calls while Playwright's event loop runs in the thread, so do database work
before or after `browser_page()`, or inside it through `in_thread(...)`."""

import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import PASSWORD, require_or_skip

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@contextmanager
def browser_page(width=375, height=812, javascript=True, **context_options):
    if CHROMIUM is None:
        require_or_skip("Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_or_skip("the playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            java_script_enabled=javascript,
            accept_downloads=True,
            **context_options,
        )
        context.set_default_timeout(15000)
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()


def screenshot(page, name, full_page=True, manual=None):
    """Save a screenshot under test-artifacts/screenshots/. With `manual="chapter/step"` and
    MANUAL_SCREENSHOTS set (`make manual`), also save it as the user manual's picture
    docs/manual/img/<chapter>/<step>.png, so the manual always shows the current pages."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    manual_dir = os.environ.get("MANUAL_SCREENSHOTS")
    if manual and manual_dir:
        target = Path(manual_dir) / f"{manual}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), full_page=full_page)
    return path


def sign_in(page, base_url, username, password=PASSWORD):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def in_thread(function, *args, **kwargs):
    """Run ORM code from inside a Playwright block (in a thread with no event loop)."""
    result, error = [], []

    def target():
        from django.db import connection

        try:
            result.append(function(*args, **kwargs))
        except BaseException as exc:  # re-raised in the caller
            error.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]
