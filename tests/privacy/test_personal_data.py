import io

import pytest
from openpyxl import load_workbook

from audit.models import AuditEntry
from opinions.models import Opinion

PHONE = "13612345678"


@pytest.fixture
def person_records(db):
    from tests.factories import ReceptionFactory
    from tests.opinions.factories import OpinionFactory

    opinion = OpinionFactory(name="王小二", phone=PHONE, content="村口路灯坏了，晚上看不见路")
    reception = ReceptionFactory(visitor_name="王小二", visitor_phone=PHONE, content="孩子上学路远")
    other = OpinionFactory(name="李四", phone="13700000000", content="另一个人的意见内容")
    return opinion, reception, other


def test_staff_find_export_and_erase_one_persons_data(staff, login, person_records):
    opinion, reception, other = person_records
    client = login(staff)
    page = client.get("/privacy/", {"phone": PHONE})
    html = page.content.decode()
    assert page.status_code == 200
    assert "共 2 条记录" in html and "村口路灯" in html and "孩子上学" in html
    assert "另一个人" not in html

    export = client.get("/privacy/", {"phone": PHONE, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert {row[4] for row in rows} == {PHONE}
    assert len(rows) == 2

    refused = client.post("/privacy/erase/", {"phone": PHONE})
    assert refused.status_code == 302
    assert Opinion.objects.get(pk=opinion.pk).phone == PHONE

    client.post("/privacy/erase/", {"phone": PHONE, "confirm": "on"})
    opinion.refresh_from_db()
    reception.refresh_from_db()
    other.refresh_from_db()
    assert (opinion.name, opinion.phone) == ("", "")
    assert opinion.erased_at is not None
    assert opinion.content == "村口路灯坏了，晚上看不见路"
    assert (reception.visitor_name, reception.visitor_phone) == ("（已清除）", "")
    assert other.phone == "13700000000"
    entries = AuditEntry.objects.filter(object_repr__contains="136****5678")
    assert {e.action for e in entries} >= {"export", "delete"}
    assert not AuditEntry.objects.filter(object_repr__contains=PHONE).exists()


def test_a_bad_number_is_a_clear_400(staff, login):
    response = login(staff).get("/privacy/", {"phone": "12345"})
    assert response.status_code == 400
    assert "11位手机号码" in response.content.decode()


@pytest.mark.parametrize("role_fixture", ["deputy_user", "unit_user", "manager_user"])
def test_only_staff_reach_personal_data(role_fixture, request, login):
    client = login(request.getfixturevalue(role_fixture))
    assert client.get("/privacy/", {"phone": PHONE}).status_code == 403
    assert client.post("/privacy/erase/", {"phone": PHONE, "confirm": "on"}).status_code == 403
