import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from deputies.spreadsheets import IMPORT_COLUMNS
from tests.factories import DeputyFactory, DeputyGroupFactory, TownshipFactory


@pytest.fixture
def many_deputies(db):
    """Create `n` deputies spread over townships and groups."""

    def make(n):
        townships = [TownshipFactory(name=f"第{i}镇") for i in range(4)]
        groups = [DeputyGroupFactory(name=f"第{i}组") for i in range(3)]
        return [
            DeputyFactory(township=townships[i % 4], group=groups[i % 3], phone=f"137{i:08d}")
            for i in range(n)
        ]

    return make


def import_file(rows, headers=None):
    wb = Workbook()
    ws = wb.active
    ws.append(headers or [c.header + ("*" if c.required else "") for c in IMPORT_COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("deputies.xlsx", buffer.getvalue())


def good_row(name="王建国", phone="13912340001", township="城关镇"):
    return [name, "男", "汉族", "1970-05-01", "中共党员", "县", "18", "第1选区", township, "", "县一中教师", "专业技术人员", phone, ""]
