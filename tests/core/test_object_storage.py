"""MEDIA_STORAGE=s3: uploads in a private bucket of an S3-compatible server (moto in server mode,
tests/objectstore.py), served after the permission check by a redirect to a short-lived presigned
URL; the bucket itself answers nobody without a signature."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core.security import content_security_policy
from stations.models import VisitPhoto
from tests.factories import DeputyFactory, StationFactory, VisitFactory
from tests.objectstore import object_store  # noqa: F401 (fixture)
from tests.stations.conftest import jpeg_bytes


@pytest.fixture
def s3_media(object_store, settings):  # noqa: F811
    bucket = object_store.make_bucket()
    settings.MEDIA_STORAGE = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "core.objectstorage.PrivateS3Storage",
                    "OPTIONS": object_store.storage_options(bucket, "media")},
    }
    return object_store, bucket


@pytest.fixture
def visit_photo(s3_media, deputy_user):
    visit = VisitFactory(deputy=deputy_user.deputy, station=StationFactory(township=deputy_user.deputy.township))
    photo = VisitPhoto(visit=visit)
    photo.image.save("reception.jpg", ContentFile(jpeg_bytes()), save=True)
    return photo


def test_pages_link_the_checked_address_never_the_bucket(visit_photo):
    assert visit_photo.image.url.startswith("/media/visits/")
    assert visit_photo.image.name.startswith("visits/")


def test_a_visit_photo_is_a_redirect_to_a_short_lived_signed_url_for_those_who_may_see_it(
    visit_photo, deputy_user, staff, login
):
    for user in (deputy_user, staff):
        response = login(user).get(visit_photo.image.url)
        assert response.status_code == 302, user
        assert response["Cache-Control"] == "no-store"
        location = response["Location"]
        query = parse_qs(urlsplit(location).query)
        assert query["X-Amz-Expires"] == ["300"]
        assert query["response-content-type"] == ["image/jpeg"]
        assert "X-Amz-Signature" in query
        fetched = requests.get(location, timeout=10)
        assert fetched.status_code == 200
        assert fetched.content == jpeg_bytes()
        assert fetched.headers["Content-Type"] == "image/jpeg"


def test_others_get_a_404_and_the_bucket_refuses_an_unsigned_request(
    visit_photo, s3_media, client, make_user, township_staff, login
):
    store, bucket = s3_media
    other_deputy = DeputyFactory(user=make_user("deputy", username="deputy2")).user
    assert client.get(visit_photo.image.url).status_code == 404
    for user in (other_deputy, township_staff):
        assert login(user).get(visit_photo.image.url).status_code == 404, user
    # The object itself, without a signature: the bucket is private.
    unsigned = requests.get(f"{store.endpoint}/{bucket}/media/{visit_photo.image.name}", timeout=10)
    assert unsigned.status_code == 403


def test_a_pdf_is_signed_as_a_download_and_nothing_outside_the_declared_folders_is_served(
    s3_media, staff, client, login
):
    name = default_storage.save("stations/notice.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    assert login(staff).get("/media/suggestions/drafts/2026/x.pdf").status_code == 404
    assert login(staff).get("/media/stations/../reports/annual/x.docx").status_code == 404
    response = client.get(f"/media/{name}")  # stations/ is public: the redirect, signed as a download
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["response-content-disposition"][0].startswith("attachment")
    assert query["response-content-type"] == ["application/pdf"]
    assert requests.get(response["Location"], timeout=10).content == b"%PDF-1.4\n%%EOF\n"


def test_the_pages_allow_images_from_the_object_store(s3_media, settings):
    store, _bucket = s3_media
    settings.STORAGES["default"]["OPTIONS"]["endpoint_url"] = store.endpoint
    assert f"img-src 'self' data: blob: {store.endpoint}" in content_security_policy()
    settings.AWS_S3_PUBLIC_ENDPOINT_URL = "https://files.example.gov.cn"
    assert "img-src 'self' data: blob: https://files.example.gov.cn" in content_security_policy()


def test_signed_urls_follow_the_public_address_when_browsers_reach_the_store_elsewhere(
    visit_photo, staff, login, settings
):
    settings.AWS_S3_PUBLIC_ENDPOINT_URL = "https://files.example.gov.cn"
    location = login(staff).get(visit_photo.image.url)["Location"]
    assert location.startswith("https://files.example.gov.cn/")


def test_the_deep_check_reports_the_bucket(s3_media, client, db, settings):
    settings.HEALTHZ_TOKEN = "monitor-token-0123456789"
    auth = {"HTTP_AUTHORIZATION": "Bearer monitor-token-0123456789"}
    response = client.get("/healthz/deep", **auth)
    assert response.status_code == 200 and response.json()["storage"] == "ok", response.content
    settings.STORAGES["default"]["OPTIONS"]["bucket_name"] = "no-such-bucket"
    settings.STORAGES = {**settings.STORAGES}  # a new storage for the changed options
    response = client.get("/healthz/deep", **auth)
    assert response.status_code == 503
    assert response.json()["storage"].startswith("error: ")
