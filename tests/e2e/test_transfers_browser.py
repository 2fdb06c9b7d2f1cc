"""转办 in headless Chromium at 375 px: 城关镇's staff open an opinion, refer it up to 连心县 with
a reason (the select offers only the congresses above and below), and then read it without the
handling forms; 连心县's staff find it in their inbox with the hop on its timeline."""

import pytest

from opinions.models import Opinion
from tests.browser import browser_page, screenshot, sign_in
from tests.factories import CategoryFactory, StationFactory
from tests.opinions.factories import OpinionFactory
from tests.quality import has_horizontal_scroll
from tests.regions import build_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_township_staff_refer_an_opinion_up_to_the_county_on_a_phone(live_server):
    city = build_city()
    city.staff(city.township, "staff_cg")
    city.staff(city.county, "staff_lx")
    opinion = OpinionFactory(station=StationFactory(name="城关镇人民路代表联络站", township=city.township),
                             category=CategoryFactory(name="交通出行"))
    base = live_server.url

    with browser_page(width=375) as page:
        sign_in(page, base, "staff_cg")
        page.goto(f"{base}/opinions/{opinion.pk}/")
        page.get_by_text("转办到其他层级人大").click()
        select = page.get_by_label("转办给")
        offered = [text.strip() for text in select.locator("option").all_inner_texts()]
        # Up the parent chain only: 城关镇 has no congress below it, 东山区 is sideways.
        assert offered == ["请选择", "示范市人民代表大会", "连心县人民代表大会"]
        select.select_option(label="连心县人民代表大会")
        page.get_by_label("转办理由").fill("涉及跨乡镇道路改造，需要县里协调交通部门。")
        assert not has_horizontal_scroll(page)
        screenshot(page, "transfers-01-refer-up-375")
        page.get_by_role("button", name="转办", exact=True).click()
        page.wait_for_load_state()
        assert "已转办。" in page.content()
        assert "由城关镇人民代表大会转办" in page.locator("#holder").inner_text()
        assert page.locator("#transfer").count() == 0  # the sender reads it only
        assert "城关镇人民代表大会 → 连心县人民代表大会" in page.locator("#timeline").inner_text()
        assert not has_horizontal_scroll(page)
        screenshot(page, "transfers-02-sender-reads-375")

    with browser_page(width=375) as page:
        sign_in(page, base, "staff_lx")
        page.goto(f"{base}/opinions/")
        page.get_by_role("link", name=opinion.tracking_code).click()
        page.wait_for_load_state()
        assert page.locator("#transfer").count() == 1
        assert "涉及跨乡镇道路改造" in page.locator("#timeline").inner_text()
        screenshot(page, "transfers-03-receiver-375")

    assert Opinion.objects.get(pk=opinion.pk).congress.region == city.county
