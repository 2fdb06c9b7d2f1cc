"""Stations (with their members) and handling units import the same way as deputies."""

import pytest

from divisions.models import Congress, HandlingUnit
from imports import engine
from imports.models import ImportBatch
from stations.models import Station, StationMembership
from tests.factories import DeputyFactory, HandlingUnitFactory, StationFactory
from tests.imports.conftest import sheet

STATION_HEADERS = ["站点名称*", "所在乡镇*", "类型", "形式", "地址", "开放时间", "启用", "驻站代表手机号", "站长手机号"]
UNIT_HEADERS = ["单位名称*", "简称", "所属人大", "联系人", "联系电话", "启用"]


def upload_and_confirm(client, kind, upload):
    response = client.post(f"/imports/{kind}/", {"file": upload})
    assert response.status_code == 302, response.content.decode()
    preview = client.get(response["Location"])
    assert client.post(response["Location"]).status_code == 302
    return preview.content.decode()


def test_stations_are_created_and_updated_with_their_members(staff, login, township):
    a = DeputyFactory(name="王建国", township=township, phone="13912340001")
    b = DeputyFactory(name="陈丽华", township=township, phone="13912340002")
    c = DeputyFactory(name="赵六", township=township, phone="13912340003")
    station = StationFactory(name="城关镇人大代表之家", township=township, address="旧址")
    StationMembership.objects.create(station=station, deputy=c)
    rows = [
        ["城关镇人大代表之家", "城关镇", "代表之家", "固定站", "人民路1号", "逢6日", "是", "王建国13912340001、13912340002", "13912340001"],
        ["东街代表联络站", "城关镇", "代表联络站", "", "东街8号", "", "", "13912340003", ""],
    ]
    client = login(staff)
    html = upload_and_confirm(client, "stations", sheet(STATION_HEADERS, rows))
    assert "地址：旧址 → 人民路1号" in html
    assert "编入：王建国、陈丽华" in html and "移出：赵六" in html
    station.refresh_from_db()
    assert (station.kind, station.address) == ("home", "人民路1号")
    assert set(station.memberships.values_list("deputy", flat=True)) == {a.pk, b.pk}
    assert station.memberships.get(is_leader=True).deputy == a
    new = Station.objects.get(name="东街代表联络站")
    assert list(new.members.all()) == [c]
    # The same sheet again changes nothing.
    checked = engine.preview_file(engine_importer("stations"), sheet(STATION_HEADERS, rows), by=staff)[0]
    assert (checked.created, checked.updated, checked.unchanged, checked.errors) == (0, 0, 2, [])


def engine_importer(kind):
    from imports import registry

    return registry.get(kind)


def test_undoing_a_stations_batch_restores_members_and_removes_new_stations(staff, township):
    a = DeputyFactory(name="王建国", township=township, phone="13912340001")
    c = DeputyFactory(name="赵六", township=township, phone="13912340003")
    station = StationFactory(name="城关镇人大代表之家", township=township)
    StationMembership.objects.create(station=station, deputy=c, is_leader=True)
    rows = [["城关镇人大代表之家", "城关镇", "", "", "", "", "", "13912340001", "13912340001"],
            ["东街代表联络站", "城关镇", "", "", "", "", "", "", ""]]
    engine.import_file(engine_importer("stations"), sheet(STATION_HEADERS, rows), by=staff, dry_run=False)
    assert list(station.members.all()) == [a]
    engine.undo(ImportBatch.objects.get(), by=staff)
    assert list(Station.objects.values_list("name", flat=True)) == ["城关镇人大代表之家"]
    membership = station.memberships.get()
    assert (membership.deputy, membership.is_leader) == (c, True)


def test_station_rows_are_checked(staff, township, other_township):
    DeputyFactory(name="王建国", township=township, phone="13912340001")
    rows = [
        ["", "城关镇", "", "", "", "", "", "", ""],
        ["甲站", "不存在镇", "", "", "", "", "", "", ""],
        ["乙站", "城关镇", "大站", "", "", "", "也许", "13900000000", ""],
        ["丙站", "城关镇", "", "", "", "", "", "13912340001", "13912340009"],
        ["丙站", "城关镇", "", "", "", "", "", "", ""],
    ]
    checked = engine.preview_file(engine_importer("stations"), sheet(STATION_HEADERS, rows), by=staff)[0]
    assert [(e.row, e.column) for e in checked.errors] == [
        (2, "站点名称"), (3, "所在乡镇"), (4, "类型"), (4, "启用"), (4, "驻站代表手机号"), (5, "站长手机号"),
        (6, "站点名称"),
    ]


def test_township_staff_import_stations_only_into_their_township(township_staff, township, other_township):
    rows = [["甲站", "城关镇", "", "", "", "", "", "", ""], ["乙站", "青山镇", "", "", "", "", "", "", ""]]
    checked = engine.preview_file(engine_importer("stations"), sheet(STATION_HEADERS, rows), by=township_staff)[0]
    assert [(e.row, e.column) for e in checked.errors] == [(2, "所在乡镇")]
    assert "本乡镇" in checked.errors[0].message or "青山镇" in checked.errors[0].message


def test_units_are_created_updated_and_can_be_undone(staff, login):
    unit = HandlingUnitFactory(name="县交通运输局", contact_person="老张")
    county = Congress.objects.default()
    rows = [["县交通运输局", "交通局", "", "小李", "0571-1234567", ""],
            ["县水利局", "水利局", county.name, "", "", "是"]]
    client = login(staff)
    html = upload_and_confirm(client, "units", sheet(UNIT_HEADERS, rows))
    assert "联系人：老张 → 小李" in html
    unit.refresh_from_db()
    assert (unit.short_name, unit.contact_person) == ("交通局", "小李")
    assert HandlingUnit.objects.get(name="县水利局").congress == county
    engine.undo(ImportBatch.objects.get(), by=staff)
    unit.refresh_from_db()
    assert unit.contact_person == "老张"
    assert not HandlingUnit.objects.filter(name="县水利局").exists()


def test_unit_rows_are_checked(staff):
    rows = [["县水利局", "", "火星人民代表大会", "", "", ""], ["县水利局", "", "", "", "", "也许"]]
    checked = engine.preview_file(engine_importer("units"), sheet(UNIT_HEADERS, rows), by=staff)[0]
    assert [(e.row, e.column) for e in checked.errors] == [(2, "所属人大"), (3, "启用"), (3, "单位名称")]


@pytest.mark.parametrize("kind", ["stations", "units"])
def test_other_roles_may_not_import(kind, login, deputy_user, unit_user):
    for user in (deputy_user, unit_user):
        assert login(user).get(f"/imports/{kind}/").status_code == 403


def test_an_unknown_kind_is_not_found(staff, login):
    assert login(staff).get("/imports/nothing/").status_code == 404


def test_the_stations_api_previews_and_writes(staff, manager_user, township):
    from django.test import Client
    from accounts import tokens

    DeputyFactory(name="王建国", township=township, phone="13912340001")
    rows = [["东街代表联络站", "城关镇", "", "", "", "", "", "13912340001", ""]]
    headers = {"HTTP_AUTHORIZATION": f"Token {tokens.issue(staff)[0]}"}
    body = Client().post("/api/v1/stations/import/?dry_run=true", {"file": sheet(STATION_HEADERS, rows)},
                         **headers).json()
    assert body == {"created": 1, "updated": 0, "unchanged": 0, "errors": []}
    assert not Station.objects.exists()
    assert Client().post("/api/v1/stations/import/", {"file": sheet(STATION_HEADERS, rows)}, **headers).status_code == 200
    assert Station.objects.get().members.get().name == "王建国"
    manager = {"HTTP_AUTHORIZATION": f"Token {tokens.issue(manager_user)[0]}"}
    assert Client().post("/api/v1/stations/import/", {"file": sheet(STATION_HEADERS, rows)}, **manager).status_code == 403
