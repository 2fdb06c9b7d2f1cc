import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook


def sheet(headers, rows, name="import.xlsx"):
    """An .xlsx upload with `headers` and `rows`."""
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def as_upload(response, name="export.xlsx"):
    """A downloaded workbook (an export) as an upload."""
    return SimpleUploadedFile(name, response.content)
