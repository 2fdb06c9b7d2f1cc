"""Everyday use on a phone (issue 23), on the demo county in headless Chromium.

- Lists: every page in the menu of a deputy, a station manager and a unit fits 375 px: the page
  does not scroll sideways, and no list scrolls sideways inside it either (tables become cards).
- 长辈模式: the public station page has a link whose text contains 长辈模式; after following it
  pages carry class="care" on <html>, their body text computes to at least 18 px, tap targets
  are at least 48 px, and axe's enhanced-contrast rule (7:1, WCAG AAA) passes.
"""

import pytest

from tests.browser import browser_page, screenshot, sign_in
from tests.quality import AXE_SOURCE, has_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DEMO_PASSWORD = "lianxin-demo"
# Menu entries that are not lists: the user's own settings and the admin.
NOT_LISTS = ("/accounts/", "/notifications/settings", "/admin/", "/stations/visits/new")

SIDEWAYS = """() => [...document.querySelectorAll('main *')]
    .filter(e => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))"""


def menu_pages(page, base):
    hrefs = page.eval_on_selector_all(".site-nav a", "links => links.map(a => a.getAttribute('href'))")
    return [h for h in dict.fromkeys(hrefs) if h.startswith("/") and not h.startswith(NOT_LISTS)]


@pytest.mark.parametrize("username", ["deputy", "manager", "unit"])
def test_every_list_of_a_deputy_manager_and_unit_fits_375_px(demo_site, username):
    base = demo_site.url
    problems, seen = [], []
    with browser_page(width=375, height=812) as page:
        sign_in(page, base, username, DEMO_PASSWORD)
        for href in menu_pages(page, base):
            page.goto(f"{base}{href}")
            page.wait_for_load_state()
            seen.append(href)
            if has_horizontal_scroll(page):
                problems.append(f"{href}: the page scrolls sideways")
            inner = page.evaluate(SIDEWAYS)
            if inner:
                problems.append(f"{href}: scrolls sideways inside {inner[:3]}")
            if page.locator(".table-wrap table").count():
                screenshot(page, f"everyday-{username}-{href.strip('/').replace('/', '-') or 'home'}-375")
    assert len(seen) >= 3, seen
    assert not problems, "\n".join(problems)


def enhanced_contrast_violations(page):
    page.evaluate(AXE_SOURCE)
    return page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast-enhanced']},
                                               resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, nodes: v.nodes.slice(0, 8).map(n => n.target.join(' ') + ' ' + n.failureSummary)}));
        }"""
    )


def care_checks(page):
    return page.evaluate(
        """() => ({
            care: document.documentElement.classList.contains('care'),
            body: parseFloat(getComputedStyle(document.body).fontSize),
            small: [...document.querySelectorAll('main p, main li, main label, main td, main .help')]
                .filter(e => e.offsetParent !== null && e.textContent.trim())
                .map(e => parseFloat(getComputedStyle(e).fontSize)).filter(s => s < 18).length,
            // A checkbox or radio is tapped through its label: the label is the target.
            taps: [...document.querySelectorAll('main button, main .button, main input:not([type=hidden]), main select')]
                .filter(e => e.offsetParent !== null)
                .map(e => ['checkbox', 'radio'].includes(e.type) && e.closest('label') ? e.closest('label') : e)
                .filter(e => e.getBoundingClientRect().height < 47.5)
                .map(e => e.outerHTML.slice(0, 80)),
            animated: [...document.querySelectorAll('*')].filter(e => {
                const s = getComputedStyle(e);
                return (s.animationName && s.animationName !== 'none') || parseFloat(s.transitionDuration) > 0;
            }).length,
        })"""
    )


def test_elders_mode_from_the_station_page_without_javascript(demo_site):
    base = demo_site.url
    with browser_page(width=375, height=812, javascript=False) as page:
        page.goto(f"{base}/s/{demo_site.station_code}/")
        assert page.evaluate("() => document.documentElement.className") == ""
        normal = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
        page.get_by_role("link", name="长辈模式").first.click()
        page.wait_for_load_state()
        assert page.url.rstrip("/").endswith(f"/s/{demo_site.station_code}")
        checks = care_checks(page)
        assert checks["care"] and checks["body"] >= 18 > normal, checks
        assert checks["small"] == 0 and not checks["taps"] and checks["animated"] == 0, checks
        screenshot(page, "everyday-care-station-375")
        # Kept in a cookie: the next page is in 长辈模式 too.
        page.goto(f"{base}/track/")
        checks = care_checks(page)
        assert checks["care"] and checks["body"] >= 18, checks
        page.get_by_role("link", name="退出长辈模式").click()
        page.wait_for_load_state()
        assert page.evaluate("() => document.documentElement.className") == ""


def test_elders_mode_passes_axe_enhanced_contrast_on_public_and_deputy_pages(demo_site):
    base = demo_site.url
    problems = []
    with browser_page(width=375, height=812) as page:
        page.goto(f"{base}/s/{demo_site.station_code}/")
        page.get_by_role("link", name="长辈模式").first.click()
        page.wait_for_load_state()
        for path in (f"/s/{demo_site.station_code}/", "/track/", f"/track/{demo_site.tracking_code}/"):
            page.goto(f"{base}{path}")
            problems += [f"{path}: {v}" for v in enhanced_contrast_violations(page)]
        sign_in(page, base, "deputy", DEMO_PASSWORD)
        assert page.locator("#care-link").count() == 1  # the deputy's pages offer the switch too
        for path in ("/", "/opinions/", "/suggestions/", "/stations/my-duty/"):
            page.goto(f"{base}{path}")
            checks = care_checks(page)
            if not (checks["care"] and checks["body"] >= 18):
                problems.append(f"{path}: not in 长辈模式 {checks}")
            problems += [f"{path}: {v}" for v in enhanced_contrast_violations(page)]
        screenshot(page, "everyday-care-deputy-duty-375")
    assert not problems, "\n".join(str(p) for p in problems)
