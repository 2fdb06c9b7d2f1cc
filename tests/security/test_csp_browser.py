"""The Content-Security-Policy allows no inline script: the main pages of every role, loaded in
Chromium on the seeded demo county, report no CSP violation (and no script error)."""

import pytest
from django.urls import reverse

from tests.browser import browser_page, screenshot, sign_in

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "lianxin-demo"


def main_pages(world):
    own = world.own
    return {
        "anon": ["/", reverse("accounts:login"), reverse("stations:public", args=[own["station_code"]]),
                 reverse("opinions:submit", args=[own["station_code"]]).replace("opinion/", ""),
                 reverse("opinions:track", args=[own["tracking_code"]]), reverse("votes:public_index"),
                 reverse("suggestions:public_list"), reverse("api-docs")],
        "deputy": ["/", reverse("stations:my_duty"), reverse("stations:visit_create"),
                   reverse("suggestions:list"), reverse("suggestions:create"),
                   reverse("suggestions:detail", args=[own["suggestion"]]), reverse("votes:home"),
                   reverse("votes:ballot", args=[own["vote"]]), reverse("points:deputy", args=[own["deputy"]]),
                   reverse("points:dossier", args=[own["deputy"]])],
        "manager": [reverse("stations:detail", args=[own["station"]]), reverse("stations:roster"),
                    reverse("stations:poster", args=[own["station"]]), reverse("opinions:list")],
        "unit": [reverse("suggestions:list"), reverse("suggestions:detail", args=[own["suggestion"]]),
                 reverse("opinions:list"), reverse("notifications:inbox")],
        "staff_qs": [reverse("deputies:list"), reverse("stations:list")],
        "staff": [reverse("deputies:list"), reverse("deputies:detail", args=[own["deputy"]]),
                  reverse("stations:visit_detail", args=[own["visit"]]), reverse("suggestions:figures"),
                  reverse("reports:dashboard"), reverse("opinions:detail", args=[own["opinion"]]),
                  reverse("votes:manage", args=[own["vote"]]), reverse("points:ranking"),
                  reverse("privacy:person")],
        "admin": [reverse("admin:index"), reverse("reports:annual"), "/admin/accounts/user/"],
    }


def test_main_pages_of_every_role_run_without_csp_violations(world, world_server):
    pages = main_pages(world)
    usernames = {role: user.username for role, user in world.users.items()}
    problems = []
    for role, paths in pages.items():
        with browser_page(width=1280, height=900) as page:
            current = {}
            page.on("console", lambda message: "Content Security Policy" in message.text and problems.append(
                f"[{role}] {current.get('path')}: {message.text[:300]}"))
            page.on("pageerror", lambda error: problems.append(f"[{role}] {current.get('path')}: {error}"))
            if role != "anon":
                sign_in(page, world_server.url, usernames[role], DEMO_PASSWORD)
                assert "/accounts/login/" not in page.url, f"{role} could not sign in"
            for path in paths:
                current["path"] = path
                response = page.goto(world_server.url + path, wait_until="load")
                assert response.status == 200, f"[{role}] {path} answered {response.status}"
                assert "script-src 'self'" in response.headers["content-security-policy"]
            if role == "anon":
                # The detector works: an inline script added to the page is refused and reported.
                page.evaluate("""() => { const s = document.createElement('script');
                    s.textContent = 'window.inlineRan = true'; document.body.append(s); }""")
                page.wait_for_timeout(200)
                assert page.evaluate("() => window.inlineRan") is None
                assert problems and "Content Security Policy" in problems[-1], problems
                problems.clear()
            if role == "staff":
                page.goto(world_server.url + reverse("suggestions:figures"))
                page.wait_for_load_state("networkidle")
                screenshot(page, "security-csp-staff-figures", full_page=False)
    assert not problems, "\n".join(problems)
