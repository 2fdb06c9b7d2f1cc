"""Accessibility and weight of the foundation's pages (see tests/quality.py)."""

import pytest

from tests.browser import browser_page, screenshot, sign_in
from tests.factories import DeputyFactory, TownshipFactory, UserFactory
from tests.quality import (
    axe_violations,
    describe_violations,
    has_horizontal_scroll,
    measure_load,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_and_public_home_are_light_accessible_and_fit_a_phone(live_server):
    with browser_page(width=320) as page:
        for path, name in [("/accounts/login/", "login"), ("/", "home-public")]:
            load = measure_load(page, live_server.url + path)
            assert load.total_bytes < 60_000, load.report()
            violations = axe_violations(page)
            assert not violations, describe_violations(violations)
            assert not has_horizontal_scroll(page)
            screenshot(page, f"foundation-{name}-320")


def test_staff_deputy_list_passes_the_audit(live_server):
    township = TownshipFactory(name="城关镇")
    for i in range(5):
        DeputyFactory(township=township)
    UserFactory(username="staff1", role="staff")
    with browser_page(width=1280, height=900) as page:
        sign_in(page, live_server.url, "staff1")
        for path in ["/deputies/", "/deputies/new/", "/deputies/import/", "/notifications/"]:
            page.goto(live_server.url + path)
            violations = axe_violations(page)
            assert not violations, f"{path}\n" + describe_violations(violations)
    with browser_page(width=375) as page:
        sign_in(page, live_server.url, "staff1")
        page.goto(live_server.url + "/deputies/")
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
        screenshot(page, "foundation-deputies-375")
