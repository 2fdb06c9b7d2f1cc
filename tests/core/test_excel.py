import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.excel import Column, ExcelImportError, read_rows

COLUMNS = [Column("name", "姓名", required=True), Column("phone", "手机号")]


def xlsx(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("x.xlsx", buffer.getvalue())


def test_reads_rows_with_their_row_numbers_and_skips_blank_rows():
    rows = read_rows(xlsx([["姓名*", "手机号"], ["张三", 13812345678], [None, None], ["李四", None]]), COLUMNS)
    assert rows == [(2, {"name": "张三", "phone": "13812345678"}), (4, {"name": "李四", "phone": ""})]


def test_a_file_that_is_not_xlsx_is_refused_with_a_chinese_message():
    with pytest.raises(ExcelImportError) as error:
        read_rows(SimpleUploadedFile("x.xlsx", b"not a workbook"), COLUMNS)
    assert "xlsx" in str(error.value)


def test_a_missing_required_column_is_reported():
    with pytest.raises(ExcelImportError) as error:
        read_rows(xlsx([["手机号"], ["138"]]), COLUMNS)
    assert "姓名" in str(error.value)
