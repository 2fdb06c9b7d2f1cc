"""/media/: uploaded files go only to those who may see them, and never run as a page."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from audit.models import AuditEntry
from stations.models import Reception, VisitPhoto
from tests.factories import DeputyFactory, ReceptionFactory, StationFactory, VisitFactory
from tests.stations.conftest import jpeg_bytes

SANDBOX = "sandbox"


@pytest.fixture
def stored():
    """Save a file under MEDIA_ROOT and remove it after the test."""
    names = []

    def save(name, content):
        names.append(default_storage.save(name, ContentFile(content)))
        return names[-1]

    yield save
    for name in names:
        default_storage.delete(name)


def assert_hardened(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert SANDBOX in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]


@pytest.fixture
def visit_photo(deputy_user, stored):
    visit = VisitFactory(deputy=deputy_user.deputy, station=StationFactory(township=deputy_user.deputy.township))
    return VisitPhoto.objects.create(visit=visit, image=stored("visits/2026/11/reception.jpg", jpeg_bytes()))


def test_reception_photo_is_served_to_the_recording_deputy_and_staff(visit_photo, deputy_user, staff, login):
    url = visit_photo.image.url
    for user in (deputy_user, staff):
        response = login(user).get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "image/jpeg"
        assert_hardened(response)
        assert b"".join(response.streaming_content) == visit_photo.image.open("rb").read()


def test_reception_photo_is_hidden_from_the_public_other_deputies_and_other_townships(
    visit_photo, client, make_user, township_staff, unit_user, login
):
    other_deputy = DeputyFactory(user=make_user("deputy", username="deputy2")).user
    url = visit_photo.image.url
    assert client.get(url).status_code == 404
    for user in (other_deputy, township_staff, unit_user):
        assert login(user).get(url).status_code == 404, user


def test_station_photos_are_public(client, stored):
    name = stored("stations/front.jpg", jpeg_bytes())
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert_hardened(response)


def test_a_file_in_no_declared_folder_is_never_served(staff, login, stored):
    # Suggestion attachments have their own permission-checked view; /media/ does not serve them.
    name = stored("suggestions/drafts/2026/plan.pdf", b"%PDF-1.4\n%%EOF\n")
    assert login(staff).get(f"/media/{name}").status_code == 404


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("stations/page.html", b"<html><script>alert(document.cookie)</script></html>"),
        ("stations/logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        # A JPEG whose tail is an HTML page: a browser sniffing it could render the page.
        ("stations/poly.html", b"\xff\xd8\xff\xe0" + b"<html><script>alert(1)</script>"),
    ],
)
def test_html_svg_and_polyglots_download_as_opaque_attachments(client, stored, name, content):
    response = client.get(f"/media/{stored(name, content)}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert_hardened(response)


def test_path_traversal_is_a_404(client):
    assert client.get("/media/../congress/settings.py").status_code == 404
    assert client.get("/media/stations/%2e%2e/%2e%2e/manage.py").status_code == 404


def test_behind_nginx_the_checked_file_is_handed_over_by_x_accel_redirect(client, stored, settings):
    settings.SERVE_MEDIA = False
    name = stored("stations/front.jpg", jpeg_bytes())
    response = client.get(f"/media/{name}")
    assert response["X-Accel-Redirect"] == f"/internal-media/{name}"
    assert response.content == b""
    assert_hardened(response)


def test_reception_visitor_name_and_phone_stay_out_of_the_audit_log(db):
    reception = ReceptionFactory(visitor_name="李大爷", visitor_phone="13812341234")
    reception.visitor_phone = "13999990000"
    reception.handling = Reception.Handling.FOLLOW_UP
    reception.save()
    entries = AuditEntry.objects.filter(object_id=str(reception.pk), content_type__model="reception")
    assert entries.count() == 2
    text = " ".join(f"{e.object_repr} {e.changes}" for e in entries)
    for secret in ("李大爷", "13812341234", "13999990000", "村口道路"):
        assert secret not in text
    assert "follow_up" in text  # what is not personal is still logged


def test_a_mistyped_mobile_number_is_masked_in_the_failed_login_entry(client, db):
    client.post("/accounts/login/", {"username": "13900001234", "password": "not-the-password-1"})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.object_repr == "139****1234"
    assert "13900001234" not in str(entry.changes)


def test_suggestion_files_are_served_with_the_sandbox(deputy_user, login, stored):
    from suggestions.models import Attachment, Category, Suggestion

    suggestion = Suggestion.objects.create(
        title="修路", content="村口道路坑洼。", lead_deputy=deputy_user.deputy,
        township=deputy_user.deputy.township, category=Category.objects.first(), year=2026,
    )
    attachment = Attachment.objects.create(
        suggestion=suggestion, name="照片.jpg", file=stored("suggestions/drafts/2026/a.jpg", jpeg_bytes())
    )
    response = login(deputy_user).get(f"/suggestions/{suggestion.pk}/files/{attachment.pk}/")
    assert response.status_code == 200
    assert_hardened(response)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"<html><body><script>alert(1)</script></body></html>"),
        ("photo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'),
    ],
)
def test_html_and_svg_uploads_are_refused_as_photos(name, content):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.uploads import clean_image

    with pytest.raises(ValidationError):
        clean_image(SimpleUploadedFile(name, content))


def test_a_jpeg_html_polyglot_is_re_encoded_without_its_payload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.uploads import clean_image

    polyglot = jpeg_bytes() + b"<html><script>alert(document.cookie)</script></html>"
    cleaned = clean_image(SimpleUploadedFile("photo.jpg", polyglot)).read()
    assert cleaned.startswith(b"\xff\xd8") and b"<script" not in cleaned
