"""Issue 22, item 15: a download is named from the record, with the extension of the detected
type, never with the uploader's file name (an attachment uploaded as `evil.html` used to be
offered as `evil.html`, served as a PDF)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from core.security import download_name
from suggestions.models import Attachment, Suggestion
from tests.suggestions.conftest import PDF_BYTES, loop  # noqa: F401 (the fixture)


def test_an_attachment_uploaded_as_html_downloads_under_the_records_name_as_pdf(loop, login):  # noqa: F811
    client = login(loop.lead)
    client.post("/suggestions/new/", {
        "title": "增设学校门口红绿灯", "kind": "suggestion", "category": loop.category.pk, "content": "上下学高峰车流大。",
        "attachments": [SimpleUploadedFile("evil.html", PDF_BYTES, content_type="text/html")],
    })
    suggestion = Suggestion.objects.get(title="增设学校门口红绿灯")
    attachment = Attachment.objects.get(suggestion=suggestion)
    response = client.get(f"/suggestions/{suggestion.pk}/files/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert "evil" not in disposition and ".html" not in disposition
    assert disposition.endswith('.pdf"') or disposition.endswith(".pdf")
    assert f"{attachment.pk}" in disposition


def test_download_names_take_the_detected_types_extension():
    assert download_name("S2026-001-附件3", "suggestions/drafts/2026/ab12.PDF") == "S2026-001-附件3.pdf"
    assert download_name("照片", "stations/visits/9f.jpg") == "照片.jpg"
