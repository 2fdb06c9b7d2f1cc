"""Pages that work for everyone (issue 10), checked on the demo county in headless Chromium.

- The public pages (station page, opinion form, its success page, tracking page): under 60 KB
  transferred on a first load, no web fonts, first contentful paint under 1.5 s on emulated slow
  3G, and an opinion can be submitted and tracked with JavaScript off.
- The deputy's visit form and 我的值班: under 150 KB, usable at 320 and 375 px (no sideways
  scrolling, touch targets of at least 44 px, the form submits).
- axe-core finds no serious or critical violation on those pages nor on the staff lists.
- Large text: the same pages with the browser's default font size at 200% (32 px, see
  `tests.quality.set_text_scale`) do not scroll sideways and clip no form control.

Every check runs and then one assertion lists every failure; a failed budget prints the bytes of
each resource, largest first, so the report says what grew.
"""

import re

import pytest
from django.conf import settings

from tests.browser import browser_page, screenshot, sign_in
from tests.quality import (
    SLOW_3G,
    axe_violations,
    clipped_controls,
    describe_violations,
    has_horizontal_scroll,
    measure_load,
    set_text_scale,
    touch_targets_smaller_than,
)

# django_db: the demo_site fixture writes outside the test transaction; the mark sets the test database up.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DEMO_PASSWORD = "lianxin-demo"
PUBLIC_BUDGET_BYTES = 60_000
DEPUTY_BUDGET_BYTES = 150_000
FIRST_PAINT_BUDGET_MS = 1_500
STAFF_LISTS = [
    "/deputies/",
    "/stations/",
    "/opinions/",
    "/suggestions/",
    "/votes/",
    "/points/",
    "/dashboard/",
    "/notifications/",
]


class Findings:
    """Collects every failed check, so one run reports all of them."""

    def __init__(self):
        self.problems = []

    def check(self, ok, message):
        if not ok:
            self.problems.append(message)

    def budget(self, name, load, limit):
        self.check(
            load.total_bytes < limit,
            f"{name}: {load.total_bytes} B transferred, budget {limit} B. Per resource:\n{load.report()}",
        )

    def audit(self, name, page):
        violations = axe_violations(page)
        self.check(not violations, f"{name}: axe\n{describe_violations(violations)}")

    def __str__(self):
        return f"{len(self.problems)} problem(s):\n\n" + "\n\n".join(self.problems)


def submit_opinion_without_javascript(base, station_code, findings):
    """Returns the tracking code of an opinion submitted from the station page with JS off."""
    with browser_page(width=375, javascript=False) as page:
        page.goto(f"{base}/s/{station_code}/")
        # An empty form comes back with each error next to its field, tied to it for screen readers.
        page.get_by_role("button", name="提交意见").click()
        page.wait_for_load_state()
        unexplained = page.evaluate(
            """() => Array.from(document.querySelectorAll('#opinion [aria-invalid=true]'))
                .filter(el => !(el.getAttribute('aria-describedby') || '').split(' ')
                    .some(id => id.endsWith('_error') && document.getElementById(id)?.textContent.trim()))
                .map(el => el.name)"""
        )
        invalid = page.locator("#opinion [aria-invalid=true]").count()
        findings.check(invalid >= 2 and not unexplained,
                       f"opinion form errors: {invalid} invalid fields, without a linked message: {unexplained}")
        page.get_by_label("类别").select_option(index=1)
        page.get_by_label("您的意见或建议").fill("我们村到镇上的班车太少，早上七点前没有车，请代表帮忙反映。")
        page.get_by_role("button", name="提交意见").click()
        page.wait_for_load_state()
        promise = f"您的意见已提交，代表将在{settings.OPINION_ADOPT_DAYS}个工作日内接单"
        findings.check(promise in page.content(), "success page: does not say what happens next")
        code = page.locator("#tracking-code").inner_text().strip()
        page.get_by_role("link", name="查看办理进度").click()
        page.wait_for_load_state()
        findings.check(page.locator("#status").inner_text() == "已提交", "tracking page without JS: no status")
        return code


def test_public_pages_are_light_fast_and_work_without_javascript(demo_site):
    base = demo_site.url
    findings = Findings()
    code = submit_opinion_without_javascript(base, demo_site.station_code, findings)
    pages = {
        "station page with the opinion form": f"/s/{demo_site.station_code}/",
        "opinion success page": f"/track/{code}/submitted/",
        "tracking page": f"/track/{code}/",
        "tracking code form": "/track/",
    }
    for name, path in pages.items():
        # A fresh browser for each page: a first visit, no connection or cache to reuse.
        with browser_page(width=375) as page:
            load = measure_load(page, base + path, network=SLOW_3G)
            findings.budget(name, load, PUBLIC_BUDGET_BYTES)
            fonts = [url for url in load.resources if re.search(r"\.(woff2?|ttf|otf)(\?|$)", url)]
            findings.check(not fonts, f"{name}: downloads web fonts {fonts} (use the phone's own fonts)")
            paint = load.first_contentful_paint_ms
            findings.check(
                paint is not None and paint < FIRST_PAINT_BUDGET_MS,
                f"{name}: first contentful paint {paint} ms on slow 3G, budget {FIRST_PAINT_BUDGET_MS} ms",
            )
            findings.audit(name, page)
            findings.check(not has_horizontal_scroll(page), f"{name}: scrolls sideways at 375 px")
            print(f"{name}: {load.total_bytes} B, first contentful paint {paint:.0f} ms on slow 3G")
    assert not findings.problems, str(findings)


def test_deputy_phone_pages_fit_320_and_375_px(demo_site):
    base = demo_site.url
    findings = Findings()
    for width in (320, 375):
        with browser_page(width=width) as page:
            sign_in(page, base, "deputy", DEMO_PASSWORD)
            for name, path in [("visit form", "/stations/visits/new/"), ("我的值班", "/stations/my-duty/")]:
                label = f"{name} at {width} px"
                load = measure_load(page, base + path)
                findings.budget(label, load, DEPUTY_BUDGET_BYTES)
                findings.check(not has_horizontal_scroll(page), f"{label}: scrolls sideways")
                small = touch_targets_smaller_than(page)
                findings.check(not small, f"{label}: touch targets under 44 px: {small}")
                findings.audit(label, page)
                print(f"{label}: {load.total_bytes} B")
            # Usable: log a visit with the form's own defaults (the deputy's station, today).
            page.goto(base + "/stations/visits/new/")
            page.get_by_label("履职情况").fill(f"{width} px 手机上登记")
            page.get_by_role("button", name="提交", exact=True).click()
            page.wait_for_load_state()
            findings.check(
                re.search(r"/stations/visits/\d+/", page.url) is not None,
                f"visit form at {width} px: not saved, still at {page.url}",
            )
            screenshot(page, f"budgets-visit-saved-{width}")
    assert not findings.problems, str(findings)


def test_staff_lists_pass_the_audit(demo_site):
    findings = Findings()
    with browser_page(width=1280, height=900) as page:
        sign_in(page, demo_site.url, "staff", DEMO_PASSWORD)
        for path in STAFF_LISTS:
            response = page.goto(demo_site.url + path)
            findings.check(response.ok, f"{path}: HTTP {response.status}")
            findings.audit(path, page)
    assert not findings.problems, str(findings)


def test_pages_stay_usable_with_text_at_200_percent(demo_site):
    base = demo_site.url
    findings = Findings()
    code = demo_site.tracking_code
    public = [f"/s/{demo_site.station_code}/", f"/track/{code}/submitted/", f"/track/{code}/", "/track/"]
    deputy = ["/stations/visits/new/", "/stations/my-duty/"]
    with browser_page(width=375) as page:
        set_text_scale(page, 2)
        for path in public:
            check_large_text(page, base + path, findings)
        sign_in(page, base, "deputy", DEMO_PASSWORD)
        for path in deputy:
            check_large_text(page, base + path, findings)
        # Not full_page: Playwright's full-page capture resets the font-size setting.
        screenshot(page, "budgets-my-duty-large-text-375", full_page=False)
    assert not findings.problems, str(findings)


def check_large_text(page, url, findings):
    page.goto(url)
    size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    findings.check(size >= 32, f"{url}: body text is {size} px at 200% text size (not enlarged)")
    findings.check(not has_horizontal_scroll(page), f"{url}: scrolls sideways at 200% text size")
    clipped = clipped_controls(page)
    findings.check(not clipped, f"{url}: clipped form controls at 200% text size: {clipped}")


def test_dossier_dashboard_and_poster_print_as_documents(demo_site):
    """@media print: no site chrome or controls, tables at full width with ruled cells."""
    from deputies.models import Deputy
    from stations.models import Station

    deputy = Deputy.objects.get(user__username="deputy")
    station = Station.objects.get(code=demo_site.station_code)
    findings = Findings()
    with browser_page(width=1000, height=800) as page:
        sign_in(page, demo_site.url, "staff", DEMO_PASSWORD)
        page.emulate_media(media="print")
        for path in [f"/points/deputies/{deputy.pk}/dossier/", "/dashboard/"]:
            response = page.goto(demo_site.url + path)
            findings.check(response.ok, f"{path}: HTTP {response.status}")
            printed = page.evaluate(
                """() => ({
                    chrome: ['.site-header', '.site-nav', '.site-footer'].map(s => document.querySelector(s))
                        .filter(el => el && getComputedStyle(el).display !== 'none').length,
                    controls: Array.from(document.querySelectorAll('main button, main .button, main .filters'))
                        .filter(el => getComputedStyle(el).display !== 'none').length,
                    clipped: Array.from(document.querySelectorAll('.table-wrap'))
                        .filter(el => getComputedStyle(el).overflowX !== 'visible').length,
                    unruled: Array.from(document.querySelectorAll('main td'))
                        .filter(el => getComputedStyle(el).borderTopStyle === 'none').length,
                })"""
            )
            findings.check(printed == {"chrome": 0, "controls": 0, "clipped": 0, "unruled": 0},
                           f"{path} in print: {printed}")
        page.goto(f"{demo_site.url}/stations/{station.pk}/poster/")
        hidden = page.evaluate("() => getComputedStyle(document.querySelector('.no-print')).display")
        findings.check(hidden == "none", f"poster in print: the toolbar shows ({hidden})")
    assert not findings.problems, str(findings)
