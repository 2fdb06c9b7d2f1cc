"""Issue 22, item 2: the personal-data tool (/privacy/) finds, exports and erases only what the
user may see. Township staff (青山镇) used to reach every township's citizens."""

import io

import pytest
from openpyxl import load_workbook

from opinions.models import Opinion
from stations.models import Reception

PHONE = "13698765432"


@pytest.fixture
def citizen_in_both_townships(township, other_township):
    """The same citizen raised something at a station of 城关镇 and at one of 青山镇."""
    from tests.factories import ReceptionFactory, StationFactory, VisitFactory
    from tests.opinions.factories import OpinionFactory

    at_home = OpinionFactory(station=StationFactory(township=township), name="赵一", phone=PHONE, content="城关镇的路灯")
    at_other = OpinionFactory(station=StationFactory(township=other_township), name="赵一", phone=PHONE,
                              content="青山镇的桥")
    reception = ReceptionFactory(visit=VisitFactory(station=StationFactory(township=township)),
                                 visitor_name="赵一", visitor_phone=PHONE, content="城关镇的学校")
    return at_home, at_other, reception


@pytest.fixture
def only_outside(township):
    from tests.factories import StationFactory
    from tests.opinions.factories import OpinionFactory

    return OpinionFactory(station=StationFactory(township=township), name="钱二", phone="13611112222")


def test_township_staff_find_only_their_townships_records(township_staff, login, citizen_in_both_townships):
    page = login(township_staff).get("/privacy/", {"phone": PHONE}).content.decode()
    assert "青山镇的桥" in page
    assert "城关镇的路灯" not in page and "城关镇的学校" not in page
    assert "共 1 条记录" in page


def test_a_number_held_only_outside_the_scope_reads_as_not_found(township_staff, login, only_outside):
    page = login(township_staff).get("/privacy/", {"phone": "13611112222"}).content.decode()
    unknown = login(township_staff).get("/privacy/", {"phone": "13600000000"}).content.decode()
    assert "未找到" in page and "未找到" in unknown
    assert "钱二" not in page


def test_township_staff_export_only_their_townships_records(township_staff, login, citizen_in_both_townships):
    export = login(township_staff).get("/privacy/", {"phone": PHONE, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [row[5] for row in rows] == ["青山镇的桥"]


def test_township_staff_erase_nothing_outside_their_township(township_staff, login, citizen_in_both_townships):
    at_home, at_other, reception = citizen_in_both_townships
    login(township_staff).post("/privacy/erase/", {"phone": PHONE, "confirm": "on"})
    assert Opinion.objects.get(pk=at_other.pk).phone == ""
    assert Opinion.objects.get(pk=at_home.pk).phone == PHONE
    assert Reception.objects.get(pk=reception.pk).visitor_phone == PHONE


def test_county_staff_still_reach_every_township(staff, login, citizen_in_both_townships):
    page = login(staff).get("/privacy/", {"phone": PHONE}).content.decode()
    assert "共 3 条记录" in page
