"""Stations in headless Chromium on a phone: a deputy logs a visit, a visitor opens /s/<code>/,
我的值班 at 320 px; accessibility (axe), no horizontal scroll, 44 px touch targets."""

from datetime import timedelta

import pytest
from django.utils import timezone

from stations.models import DutyAssignment, DutyShift, StationMembership, Visit
from stations.scheduler import slot_for
from tests.browser import browser_page, screenshot, sign_in
from tests.factories import CategoryFactory, DeputyFactory, StationFactory, TownshipFactory, UserFactory, VillageFactory
from tests.quality import axe_violations, describe_violations, has_horizontal_scroll, measure_load, touch_targets_smaller_than
from tests.stations.conftest import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def county():
    # Transactional tests flush the database, data migrations included: make what is needed.
    CategoryFactory(name="交通出行", sort_order=10)
    township = TownshipFactory(name="城关镇")
    VillageFactory(township=township, name="前进村")
    station = StationFactory(name="城关镇人大代表之家", kind="home", township=township, address="城关镇人民路8号",
                             opening_hours="工作日 8:30-17:30")
    user = UserFactory(username="deputy1", role="deputy", name="张三丽")
    deputy = DeputyFactory(name="张三丽", township=township, user=user, phone="13912345678")
    colleague = DeputyFactory(name="王建国", township=township, phone="13987654321", level="municipal")
    spare = DeputyFactory(name="李秀英", township=township, phone="13700001111")
    for d in (deputy, colleague, spare):
        StationMembership.objects.create(station=station, deputy=d)
    today = timezone.localdate()
    for day in (today, today + timedelta(days=10)):
        shift = DutyShift.objects.create(station=station, date=day, start_time="09:00", end_time="11:30")
        for position, d in enumerate((deputy, colleague)):
            DutyAssignment.objects.create(shift=shift, deputy=d, slot=slot_for(day, position))
    return station, deputy


def fill_reception(fieldset, *, name, phone, content, handling):
    fieldset.get_by_label("群众姓名").fill(name)
    if phone:
        fieldset.get_by_label("联系电话").fill(phone)
    fieldset.get_by_label("村（社区）").select_option(label="前进村")
    fieldset.get_by_label("类别").select_option(label="交通出行")
    fieldset.get_by_label("反映问题").fill(content)
    fieldset.get_by_label(handling).check()


def test_deputy_logs_a_visit_with_two_receptions_and_a_photo_at_375px(live_server, tmp_path):
    station, deputy = county()
    picture = tmp_path / "现场.jpg"
    picture.write_bytes(jpeg_bytes(size=(800, 600), gps=True))

    with browser_page(width=375) as page:
        sign_in(page, live_server.url, "deputy1")
        page.goto(f"{live_server.url}/stations/visits/new/")
        assert page.get_by_label("站点").input_value() == str(station.pk)
        assert not has_horizontal_scroll(page)
        assert not touch_targets_smaller_than(page), touch_targets_smaller_than(page)
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
        page.get_by_label("开始时间").fill("09:00")
        page.get_by_label("结束时间").fill("11:00")
        receptions = page.locator("fieldset.reception")
        fill_reception(receptions.nth(0), name="李大爷", phone="13812341234",
                       content="村口道路坑洼，雨天积水，希望尽快修补。", handling="当场答复")
        page.get_by_role("button", name="＋ 再接待一位群众").click()
        assert receptions.count() == 2
        fill_reception(receptions.nth(1), name="王阿姨", phone="",
                       content="公交站没有遮雨棚，老人等车不方便。", handling="待跟进")
        page.get_by_label("履职情况").fill("逢6进站，接待群众两人次。")
        page.get_by_label("现场照片").set_input_files(str(picture))
        assert not has_horizontal_scroll(page)
        screenshot(page, "stations-visit-form-375")
        page.get_by_role("button", name="提交", exact=True).click()
        page.wait_for_load_state()
        assert "已登记进站履职，接待群众 2 人次" in page.locator(".messages").inner_text()
        assert page.get_by_role("heading", name="王阿姨").is_visible()
        assert "13812341234" in page.content()  # the recording deputy sees the full number
        assert not has_horizontal_scroll(page)
        screenshot(page, "stations-visit-detail-375")

    visit = Visit.objects.get()
    assert visit.deputy == deputy and visit.photos.count() == 1
    assert list(visit.receptions.values_list("visitor_name", "handling")) == [("李大爷", "answered"), ("王阿姨", "follow_up")]
    assert DutyAssignment.objects.get(shift__date=timezone.localdate(), deputy=deputy).attendance == "attended"


def test_bad_photo_is_refused_in_the_browser_and_nothing_is_saved(live_server, tmp_path):
    county()
    fake = tmp_path / "photo.jpg"
    fake.write_text("这不是图片")
    with browser_page(width=375) as page:
        sign_in(page, live_server.url, "deputy1")
        page.goto(f"{live_server.url}/stations/visits/new/")
        page.get_by_label("开始时间").fill("10:00")
        page.get_by_label("结束时间").fill("09:00")
        page.get_by_label("现场照片").set_input_files(str(fake))
        page.get_by_role("button", name="提交", exact=True).click()
        page.wait_for_load_state()
        text = page.locator("main").inner_text()
        screenshot(page, "stations-visit-errors-375")
    assert "本次没有保存任何内容" in text and "不是有效的图片" in text and "结束时间必须晚于开始时间" in text
    assert not Visit.objects.exists()


def test_visitor_opens_the_station_page_without_javascript(live_server):
    station, _ = county()
    with browser_page(width=375, javascript=False) as page:
        page.goto(f"{live_server.url}/s/{station.code}/")
        assert page.get_by_role("heading", name="城关镇人大代表之家").is_visible()
        main = page.locator("main").inner_text()
        assert "张三丽" in main and "王建国" in main and "市人大代表" in main
        assert "城关镇人民路8号" in main and "代表进站接待日" in main
        assert "1391234" not in page.content() and "13987654321" not in page.content()
        assert not has_horizontal_scroll(page)
        screenshot(page, "stations-public-page-375")
    with browser_page(width=320) as page:
        load = measure_load(page, f"{live_server.url}/s/{station.code}/")
        assert load.total_bytes < 80_000, load.report()
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
        assert not has_horizontal_scroll(page)
        screenshot(page, "stations-public-page-320")


def test_my_duty_fits_a_320px_phone(live_server):
    county()
    with browser_page(width=320) as page:
        sign_in(page, live_server.url, "deputy1")
        page.goto(f"{live_server.url}/stations/my-duty/")
        assert page.get_by_role("heading", name="我的值班").is_visible()
        assert "王建国" in page.locator("main").inner_text()
        assert not has_horizontal_scroll(page)
        assert not touch_targets_smaller_than(page), touch_targets_smaller_than(page)
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
        screenshot(page, "stations-my-duty-320")
        page.get_by_role("link", name="申请调班").first.click()
        page.wait_for_load_state()
        page.get_by_label("调班原因").fill("外出参加培训")
        page.get_by_label("建议替班代表").select_option(label="李秀英")
        page.get_by_role("button", name="提交申请").click()
        page.wait_for_load_state()
        assert "已提交调班申请" in page.locator(".messages").inner_text()
        assert "调班申请处理中" in page.locator("main").inner_text()


def test_staff_station_pages_pass_the_audit(live_server):
    station, _ = county()
    UserFactory(username="staff1", role="staff")
    with browser_page(width=1280, height=900) as page:
        sign_in(page, live_server.url, "staff1")
        for path in ["/stations/", f"/stations/{station.pk}/", f"/stations/{station.pk}/members/", "/stations/duty/",
                     "/stations/duty/report/", "/stations/activities/new/", "/stations/visits/"]:
            page.goto(live_server.url + path)
            violations = axe_violations(page)
            assert not violations, f"{path}\n" + describe_violations(violations)
        page.goto(f"{live_server.url}/stations/{station.pk}/")
        screenshot(page, "stations-detail-1280")
        page.goto(f"{live_server.url}/stations/{station.pk}/poster/")
        screenshot(page, "stations-poster-1280")
    with browser_page(width=375) as page:
        sign_in(page, live_server.url, "staff1")
        page.goto(f"{live_server.url}/stations/")
        assert not has_horizontal_scroll(page)
        screenshot(page, "stations-list-375")
