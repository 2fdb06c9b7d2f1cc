"""Stored files, served the same way whatever holds them (settings.MEDIA_STORAGE).

On the local disk (the default) a file is sent by the web process itself (or by nginx after the
check, with SERVE_MEDIA=0: core.security.serve_upload). With MEDIA_STORAGE=s3 the bucket is
private and shared by every node: after the view's permission check the answer is a redirect to
a presigned URL that is valid for MEDIA_URL_SECONDS (300 by default) and that fixes the type and
the disposition the object store answers with (an image inline, anything else as a download
under the name the view chose), so nothing uploaded is ever rendered as a page. The redirect
itself is never cached (`no-store`): a new one is signed at each request.
"""

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, HttpResponseRedirect
from django.utils.functional import LazyObject
from django.utils.http import content_disposition_header

# What an upload may be served as inline (core.security serves everything else as an opaque
# download); from object storage, the same rule.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp"}


def is_remote(storage):
    """True for object storage (files reached by presigned URL), False for the local disk."""
    return not isinstance(storage, FileSystemStorage)


@lru_cache(maxsize=8)
def _signer(storage_class, kwargs_items, public_endpoint):
    return storage_class(**{**dict(kwargs_items), "endpoint_url": public_endpoint})


def _signing_storage(storage):
    """The storage whose client signs URLs: `storage` itself, or (AWS_S3_PUBLIC_ENDPOINT_URL set,
    e.g. MinIO reached as http://minio:9000 by the nodes but as https://files.example.gov.cn by
    browsers) the same bucket through the public address, since the signature covers the host."""
    public = settings.AWS_S3_PUBLIC_ENDPOINT_URL
    if not public:
        return storage
    if isinstance(storage, LazyObject):  # default_storage: the storage it stands for
        storage = storages["default"]
    _args, kwargs = getattr(storage, "_constructor_args", ((), {}))
    return _signer(type(storage), tuple(sorted(kwargs.items(), key=lambda item: item[0])), public)


def signed_url(storage, name, *, content_type, filename=None, attachment=False):
    """A presigned GET of `name` valid MEDIA_URL_SECONDS, answered with `content_type` and, for a
    download, `Content-Disposition: attachment` under `filename`."""
    parameters = {"ResponseContentType": content_type, "ResponseCacheControl": "private, no-store"}
    if attachment or filename:
        parameters["ResponseContentDisposition"] = content_disposition_header(attachment, filename or name.rsplit("/", 1)[-1])
    return _signing_storage(storage).presigned_url(name, parameters=parameters, expire=settings.MEDIA_URL_SECONDS)


def media_origin():
    """The origin presigned URLs point at (for the pages' Content-Security-Policy img-src), or ""
    when files are on the local disk."""
    if settings.MEDIA_STORAGE != "s3":
        return ""
    endpoint = settings.AWS_S3_PUBLIC_ENDPOINT_URL or settings.STORAGES["default"]["OPTIONS"].get("endpoint_url")
    if endpoint:
        parts = urlsplit(endpoint)
        return f"{parts.scheme}://{parts.netloc}"
    region = settings.STORAGES["default"]["OPTIONS"].get("region_name") or "us-east-1"
    return f"https://s3.{region}.amazonaws.com"


def stored_file_response(storage, name, *, content_type, filename=None, attachment=False):
    """The answer carrying a stored file once the caller has checked who may see it: the file
    itself from the local disk, or a redirect to a short-lived presigned URL from object storage.
    The caller adds its hardening headers (core.security.harden_file_response)."""
    if is_remote(storage):
        # From the store's origin nothing but an image is shown inline: it carries none of the
        # portal's sandboxing headers (core.security.UPLOAD_CONTENT_SECURITY_POLICY).
        attachment = attachment or content_type not in INLINE_TYPES
        response = HttpResponseRedirect(
            signed_url(storage, name, content_type=content_type, filename=filename, attachment=attachment)
        )
        response["Cache-Control"] = "no-store"
        return response
    return FileResponse(storage.open(name, "rb"), content_type=content_type, as_attachment=attachment,
                        filename=filename or name.rsplit("/", 1)[-1])
