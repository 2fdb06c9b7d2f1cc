"""Excel (.xlsx) import and export shared by every list that offers them.

Exports stream rows through openpyxl's write-only mode; imports read every row, report each
bad cell by row number and column header, and leave saving to the caller (all or nothing)."""

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote
from zipfile import BadZipFile

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_ROWS = 5000
MAX_IMPORT_BYTES = 10 * 1024 * 1024


@dataclass
class Column:
    key: str
    header: str
    width: int = 14
    required: bool = False
    choices: list = field(default_factory=list)
    note: str = ""
    # For report sheets (write_table_sheet): "0", "0.00", "0.00%" (the value is a percentage,
    # 85.5 for 85.5 %: stored as 0.855) or "" for text.
    number_format: str = ""


@dataclass
class CellError:
    row: int
    column: str
    message: str

    def __str__(self):
        return _("第%(row)s行“%(column)s”：%(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ExcelImportError(Exception):
    """The file cannot be read at all, or some rows are bad. Nothing was saved."""

    def __init__(self, errors):
        self.errors = errors if isinstance(errors, list) else [errors]
        super().__init__("; ".join(str(e) for e in self.errors))


# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection"):
# `=HYPERLINK(...)` in a citizen's opinion would send other cells to a server when staff open it.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _plain(value):
    """openpyxl needs plain values: lazy translations become str."""
    return str(value) if isinstance(value, Promise) else value


def text_cell(ws, value):
    """The one place every sheet the portal writes turns a value into a cell: user text is stored
    as text, never as a formula. A string that a spreadsheet would take for a formula is written
    as a string cell with Excel's own quote prefix (what typing '=1 does), so it shows as typed
    and stays text when edited."""
    return _as_text(WriteOnlyCell(ws, value=_plain(value)))


def _as_text(cell):
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _append_text(ws, values):
    """ws.append for a sheet in normal (not write-only) mode, with text_cell's rule."""
    ws.append([_plain(value) for value in values])
    for cell in ws[ws.max_row]:
        _as_text(cell)


def _header_cell(ws, value):
    cell = WriteOnlyCell(ws, value=_plain(value))
    cell.font = Font(bold=True, color="FFFFFF")
    cell.fill = PatternFill("solid", fgColor="9B1C1C")
    return cell


def write_sheet(wb, title, columns, rows):
    """Append a sheet with a header row; `rows` yields sequences in the columns' order."""
    ws = wb.create_sheet(title=str(title))
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    ws.append([_header_cell(ws, c.header + ("*" if c.required else "")) for c in columns])
    for row in rows:
        ws.append([text_cell(ws, value) for value in row])
    return ws


PERCENT = "0.00%"


def write_table_sheet(wb, title, columns, rows, total=None):
    """A report sheet (a normal, not write-only, workbook): numbers stay numbers with their
    formats (percentages as fractions shown as 85.50%), a bold 合计 row, the header frozen and
    repeated on every printed page, A4 fitted to the page width."""
    ws = wb.create_sheet(title=str(title))
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
        cell = ws.cell(row=1, column=index, value=_plain(column.header))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="9B1C1C")
    body = [*rows, *([total] if total is not None else [])]
    for row_index, values in enumerate(body, start=2):
        for index, (column, value) in enumerate(zip(columns, values), start=1):
            value = _plain(value)
            is_number = isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
            if column.number_format == PERCENT and is_number:
                value = float(value) / 100
            cell = ws.cell(row=row_index, column=index, value=value)
            if is_number and column.number_format:
                cell.number_format = column.number_format
            if total is not None and row_index == len(body) + 1:
                cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sum(c.width for c in columns) > 90 else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    return ws


def workbook_response(wb, filename):
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def export_response(filename, title, columns, rows):
    wb = Workbook(write_only=True)
    write_sheet(wb, title, columns, rows)
    return workbook_response(wb, filename)


def template_response(filename, title, columns, instructions):
    """An empty import template: headers, drop-down lists for choice columns, and a sheet of
    instructions."""
    wb = Workbook()
    ws = wb.active
    ws.title = str(title)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        cell = ws.cell(row=1, column=index, value=f"{column.header}{'*' if column.required else ''}")
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="9B1C1C")
        if column.choices:
            listed = ",".join(str(c) for c in column.choices)
            if len(listed) <= 250:
                validation = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
                validation.add(f"{letter}2:{letter}{MAX_IMPORT_ROWS + 1}")
                ws.add_data_validation(validation)
    ws.freeze_panes = "A2"
    help_sheet = wb.create_sheet(str(_("填写说明")))
    help_sheet.column_dimensions["A"].width = 18
    help_sheet.column_dimensions["B"].width = 80
    for line in instructions:
        _append_text(help_sheet, line)
    for column in columns:
        text = column.note
        if column.choices:
            text = (text + " " if text else "") + _("可选：") + "、".join(map(str, column.choices))
        _append_text(help_sheet, [f"{column.header}{'（必填）' if column.required else ''}", text])
    return workbook_response(wb, filename)


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(uploaded_file, columns):
    """Read an uploaded .xlsx: yields (row_number, {column.key: text}) for each non-empty row.

    Raises ExcelImportError when the file is not an .xlsx, is too large, or its header does not
    match the template."""
    if uploaded_file.size > MAX_IMPORT_BYTES:
        raise ExcelImportError(CellError(0, _("文件"), _("文件超过10MB，请分批导入。")))
    try:
        wb = load_workbook(uploaded_file, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError):
        raise ExcelImportError(
            CellError(0, _("文件"), _("无法读取该文件，请上传由模板填写的 .xlsx 格式 Excel 文件。"))
        ) from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [_cell_text(v).rstrip("*") for v in next(rows, [])]
    positions = {}
    missing = []
    for column in columns:
        if column.header in header:
            positions[column.key] = header.index(column.header)
        elif column.required:
            missing.append(column.header)
    if missing:
        raise ExcelImportError(
            CellError(1, "、".join(missing), _("表头缺少该列，请使用下载的导入模板。"))
        )
    result = []
    for row_number, values in enumerate(rows, start=2):
        texts = {key: _cell_text(values[pos]) if pos < len(values) else "" for key, pos in positions.items()}
        if not any(texts.values()):
            continue
        result.append((row_number, texts))
        if len(result) > MAX_IMPORT_ROWS:
            raise ExcelImportError(
                CellError(row_number, _("文件"), _("一次最多导入%(n)s行，请分批导入。") % {"n": MAX_IMPORT_ROWS})
            )
    wb.close()
    return result
