"""Stations for staff and managers: codes, list with counts, scopes, editing, members, QR codes,
posters; the public station page and its panels."""

import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from stations import public
from stations.models import CODE_ALPHABET, Station, StationMembership
from tests.conftest import require_or_skip
from tests.factories import (
    DeputyFactory,
    ReceptionFactory,
    StationFactory,
    StationMembershipFactory,
    TownshipFactory,
    VisitFactory,
)
from tests.stations.conftest import make_shift


def test_public_codes_are_random_unambiguous_unique_and_stable(township):
    stations = [StationFactory(township=township) for _ in range(200)]
    codes = [s.code for s in stations]
    assert len(set(codes)) == 200
    assert all(len(code) == 8 and set(code) <= set(CODE_ALPHABET) for code in codes)
    assert not set("01ilo") & set("".join(codes))
    # Not sequential: consecutive stations do not share a prefix pattern.
    assert len({code[:3] for code in codes}) > 150
    station = stations[0]
    station.name = "改名后的站点"
    station.save()
    station.refresh_from_db()
    assert station.code == codes[0]


def test_list_shows_counts_for_this_year(staff, login, station, deputy, township):
    StationMembershipFactory(station=station)
    StationMembership.objects.create(station=station, deputy=deputy)
    this_year = VisitFactory(station=station, deputy=deputy)
    ReceptionFactory(visit=this_year)
    ReceptionFactory(visit=this_year)
    last_year = VisitFactory(station=station, deputy=deputy, date=timezone.localdate().replace(month=1, day=1) - timedelta(days=1))
    ReceptionFactory(visit=last_year)
    row = login(staff).get("/stations/").context["stations"][0]
    assert (row.member_count, row.visit_count, row.reception_count) == (2, 1, 2)


@pytest.mark.parametrize("count", [5, 60])
def test_list_runs_a_bounded_number_of_queries(count, staff, login, django_assert_max_num_queries):
    townships = [TownshipFactory(name=f"第{i}镇") for i in range(3)]
    for i in range(count):
        station = StationFactory(township=townships[i % 3])
        membership = StationMembershipFactory(station=station)
        ReceptionFactory(visit=VisitFactory(station=station, deputy=membership.deputy))
    client = login(staff)
    with django_assert_max_num_queries(14):
        response = client.get("/stations/")
    assert response.status_code == 200


def test_list_filters(staff, login, station, township):
    StationFactory(name="青山镇联系点", kind="point", township=TownshipFactory(name="青山镇"))
    client = login(staff)
    assert [s.name for s in client.get("/stations/", {"kind": "point"}).context["stations"]] == ["青山镇联系点"]
    assert [s.name for s in client.get("/stations/", {"township": township.pk}).context["stations"]] == [station.name]
    assert [s.name for s in client.get("/stations/", {"search": "代表之家"}).context["stations"]] == [station.name]


def test_scopes_township_staff_manager_and_deputy(township_staff, manager, deputy_user, login, station, other_township):
    mine = StationFactory(name="青山镇代表联络站", township=other_township)
    assert [s.name for s in login(township_staff).get("/stations/").context["stations"]] == [mine.name]
    assert login(township_staff).get(f"/stations/{station.pk}/").status_code == 404
    assert [s.name for s in login(manager).get("/stations/").context["stations"]] == [station.name]
    assert login(manager).get(f"/stations/{mine.pk}/").status_code == 404
    assert login(manager).get(f"/stations/{mine.pk}/qr.png").status_code == 404
    assert login(deputy_user).get("/stations/").status_code == 403


def test_staff_create_a_studio_named_after_a_deputy(staff, login, township, deputy):
    response = login(staff).post(
        "/stations/new/",
        {"name": "张三丽代表工作室", "kind": "studio", "mode": "fixed", "township": township.pk,
         "named_after": deputy.pk, "duty_enabled": "on", "is_active": "on"},
    )
    station = Station.objects.get(name="张三丽代表工作室")
    assert response.status_code == 302 and station.named_after == deputy and len(station.code) == 8


def test_bad_station_input_is_refused(staff, login, township, deputy):
    response = login(staff).post("/stations/new/", {"name": "", "kind": "home", "mode": "fixed", "township": township.pk,
                                                    "named_after": deputy.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert "该字段是必填项" in html and "只有代表工作室可以冠名" in html
    assert not Station.objects.exists()


def test_township_staff_cannot_open_a_station_elsewhere(township_staff, login, township):
    response = login(township_staff).post("/stations/new/", {"name": "越权站", "kind": "home", "mode": "fixed", "township": township.pk})
    assert response.status_code == 400 and not Station.objects.exists()


def test_manager_edits_only_public_details(manager, login, station, other_township):
    form = login(manager).get(f"/stations/{station.pk}/edit/").context["form"]
    assert set(form.fields) == {"name", "address", "opening_hours", "description", "photo"}
    response = login(manager).post(
        f"/stations/{station.pk}/edit/",
        {"name": station.name, "address": "新地址", "opening_hours": "每周一至周五 9:00-17:00", "township": other_township.pk},
    )
    station.refresh_from_db()
    assert response.status_code == 302 and station.address == "新地址" and station.township != other_township


def test_members_are_added_searched_and_removed(staff, login, station, township):
    zhang = DeputyFactory(name="张三丽", township=township)
    elsewhere = DeputyFactory(name="张思力", township=TownshipFactory(name="青山镇"))
    client = login(staff)
    page = client.get(f"/stations/{station.pk}/members/")
    assert zhang in page.context["candidates"] and elsewhere not in page.context["candidates"]
    assert elsewhere in client.get(f"/stations/{station.pk}/members/", {"q": "zsl"}).context["candidates"]
    client.post(f"/stations/{station.pk}/members/", {"deputies": [zhang.pk, elsewhere.pk]})
    assert set(station.members.all()) == {zhang, elsewhere}
    membership = StationMembership.objects.get(deputy=zhang)
    response = client.post(f"/stations/{station.pk}/members/{membership.pk}/remove/", follow=True)
    assert "不属于任何站点" in response.content.decode()
    assert set(station.members.all()) == {elsewhere}


def test_staff_see_deputies_who_belong_to_no_station(staff, login, station, township):
    lonely = DeputyFactory(name="孤单代表", township=township)
    StationMembershipFactory(station=station, deputy=DeputyFactory(name="有站代表", township=township))
    DeputyFactory(name="终止代表", township=township, status="terminated")
    client = login(staff)
    assert list(client.get("/stations/unassigned/").context["deputies"]) == [lonely]
    assert client.get("/stations/").context["unassigned"] == 1


def test_qr_png_decodes_to_the_public_url(staff, login, station, settings, tmp_path):
    if not shutil.which("zbarimg"):
        require_or_skip("zbarimg is not installed (apt-get install zbar-tools)")
    settings.PUBLIC_BASE_URL = "https://rd.example.gov.cn"
    response = login(staff).get(f"/stations/{station.pk}/qr.png")
    assert response["Content-Type"] == "image/png"
    path = tmp_path / "qr.png"
    path.write_bytes(response.content)
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(path)], capture_output=True, text=True, check=True)
    assert decoded.stdout.strip() == f"https://rd.example.gov.cn/s/{station.code}/"


def test_qr_svg_and_posters(staff, login, station, township):
    client = login(staff)
    svg = client.get(f"/stations/{station.pk}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    poster = client.get(f"/stations/{station.pk}/poster/").content.decode()
    assert station.name in poster and "扫码联系人大代表" in poster and "每月6日、16日、26日" in poster
    StationFactory(name="城关镇第二联络站", township=township)
    StationFactory(name="停用站", township=township, is_active=False)
    sheet = client.get(f"/stations/posters/?township={township.pk}").content.decode()
    assert sheet.count('class="poster"') == 2 and "停用站" not in sheet


# --- The public page ------------------------------------------------------------------------


def test_visitor_sees_the_station_its_deputies_and_next_duty_days(client, station, township):
    leader = DeputyFactory(name="王建国", township=township, phone="13912345678", level="county")
    other = DeputyFactory(name="李秀英", township=township, phone="13987654321", level="township")
    gone = DeputyFactory(name="终止代表", township=township, status="terminated")
    for deputy in (leader, other, gone):
        StationMembership.objects.create(station=station, deputy=deputy, is_leader=deputy is leader)
    today = timezone.localdate()
    make_shift(station, today + timedelta(days=3), [leader, other])
    make_shift(station, today - timedelta(days=3), [leader])
    response = client.get(f"/s/{station.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert station.name in html and station.address in html
    assert "王建国" in html and "县人大代表" in html and "李秀英" in html and "终止代表" not in html
    assert (today + timedelta(days=3)).strftime("%-m月%-d日") in html
    assert (today - timedelta(days=3)).strftime("%-m月%-d日") not in html
    assert "1391234" not in html and "5678" not in html.split("<footer")[0].replace(station.code, "")
    assert "<script" not in html.split("<footer")[0]


def test_unknown_and_inactive_codes_are_404(client, station):
    assert client.get("/s/zzzzzzzz/").status_code == 404
    station.is_active = False
    station.save()
    assert client.get(f"/s/{station.code}/").status_code == 404
    assert client.get(f"/s/{station.code.upper()}/").status_code == 404


def test_the_public_page_runs_few_queries(client, station, township, django_assert_max_num_queries):
    for _ in range(20):
        StationMembershipFactory(station=station)
    with django_assert_max_num_queries(8):
        assert client.get(f"/s/{station.code}/").status_code == 200


def test_other_apps_add_panels_and_rerender_with_state(station):
    def panel(request, station, state):
        return f'<div class="card" id="extra">{state.get("message", "空")}</div>'

    public.register_panel("test_extra", order=35, render=panel)
    public.register_panel("test_hidden", order=5, render=lambda request, station, state: "")
    try:
        request = RequestFactory().get(f"/s/{station.code}/")
        request.user = __import__("django.contrib.auth.models", fromlist=["AnonymousUser"]).AnonymousUser()
        response = public.render_station_page(request, station, status=400, state={"message": "表单有误"})
        html = response.content.decode()
        assert response.status_code == 400
        assert 'id="extra">表单有误' in html and "panel-test_hidden" not in html
        order = [m.group(1) for m in re.finditer(r'id="panel-([a-z_]+)"', html)]
        assert order.index("duty") < order.index("test_extra") < order.index("deputies")
    finally:
        public.unregister_panel("test_extra")
        public.unregister_panel("test_hidden")
