"""Budgets and accessibility checks for pages in headless Chromium (issue: pages for everyone).

- `axe_violations(page)`: runs the vendored axe-core (tests/vendor/axe.min.js, 4.14.1) in the
  page and returns the serious and critical violations.
- `measure_load(page, url)`: loads `url` through a CDP session, with the network optionally
  throttled, and returns the bytes transferred per resource and the first contentful paint.
- SLOW_3G: WebPageTest's "3G Slow" profile: 400 kbit/s down and up, 400 ms round trip.
"""

from dataclasses import dataclass, field
from pathlib import Path

AXE_SOURCE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text()

SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400 * 1000 / 8,
    "uploadThroughput": 400 * 1000 / 8,
}


def axe_violations(page, impacts=("serious", "critical")):
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in result if v["impact"] in impacts]


def describe_violations(violations):
    return "\n".join(f"{v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}" for v in violations)


@dataclass
class PageLoad:
    resources: dict = field(default_factory=dict)
    first_contentful_paint_ms: float | None = None

    @property
    def total_bytes(self):
        return sum(self.resources.values())

    def report(self):
        rows = sorted(self.resources.items(), key=lambda item: -item[1])
        return "\n".join(f"{size:>8} B  {url}" for url, size in rows) + f"\n{self.total_bytes:>8} B  total"


def measure_load(page, url, *, network=None):
    """Load `url` in a fresh cache; count encoded bytes per resource (HTML, CSS, JS, images, fonts)."""
    client = page.context.new_cdp_session(page)
    client.send("Network.enable")
    client.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if network:
        client.send("Network.emulateNetworkConditions", network)
    load = PageLoad()
    urls = {}

    def on_response(event):
        urls[event["requestId"]] = event["response"]["url"]

    def on_finished(event):
        request_url = urls.get(event["requestId"], event["requestId"])
        load.resources[request_url] = load.resources.get(request_url, 0) + int(event["encodedDataLength"])

    client.on("Network.responseReceived", on_response)
    client.on("Network.loadingFinished", on_finished)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    load.first_contentful_paint_ms = page.evaluate(
        "() => { const e = performance.getEntriesByName('first-contentful-paint')[0]; return e ? e.startTime : null; }"
    )
    client.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    client.detach()
    return load


def touch_targets_smaller_than(page, minimum=44):
    """Visible links, buttons and form controls whose box is under `minimum` px in height."""
    return page.evaluate(
        """(minimum) => Array.from(document.querySelectorAll(
              'main a, main button, main input:not([type=hidden]), main select, main textarea, main summary'))
            .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0
                && el.type !== 'checkbox' && el.type !== 'radio' && !el.closest('p, li, td, dd, .help')
                && r.height < minimum; })
            .map(el => el.outerHTML.slice(0, 120))""",
        minimum,
    )


def has_horizontal_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")


def set_text_scale(page, factor):
    """Enlarge the browser's default font size (Chromium's 字体大小 setting, what a phone's
    "large text" and WeChat's font setting change) through CDP `Page.setFontSizes`: 16 px × factor.

    Chosen over page zoom, which also shrinks the viewport (a 375 px phone at 200% zoom is a
    187 px page: that is the 320 px reflow check's job), and over rewriting the root font-size
    from the test, which would pass even if our CSS ignored the reader's setting. Pages follow
    the setting because lianxin.css sizes text in rem/em from the browser default."""
    client = page.context.new_cdp_session(page)
    client.send("Page.enable")
    client.send("Page.setFontSizes", {"fontSizes": {"standard": round(16 * factor), "fixed": round(13 * factor)}})
    return client


def clipped_controls(page):
    """Form controls in `main` that stick out of the viewport, or whose text does not fit in
    them (a button's label cut off, an input shorter than its own text)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(
              'main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select, main textarea, main button, main .button'))
            .filter(el => { const r = el.getBoundingClientRect(); if (!r.width || !r.height) return false;
                if (el.closest('.hp')) return false;
                const style = getComputedStyle(el);
                const line = parseFloat(style.fontSize) * 1.15;
                const outside = r.left < -1 || r.right > document.documentElement.clientWidth + 1;
                const tooShort = el.clientHeight + 1 < line;
                const cut = (el.tagName === 'BUTTON' || el.tagName === 'A')
                    && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);
                return outside || tooShort || cut; })
            .map(el => el.outerHTML.slice(0, 120))"""
    )
