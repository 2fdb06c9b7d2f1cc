"""Security headers for every response, and a safe way to serve uploaded files.

Content-Security-Policy allows scripts and styles only from this site (no inline script, no
eval); images also from data: URLs (inline SVG QR codes). Uploaded files are served with a
sandboxing policy so that nothing uploaded can run or render as a page.

Uploaded files are not all public: a reception's photo or an opinion's photo belongs to the
people who may see that visit or opinion. Each app declares who may fetch the files under its
upload folder, in its AppConfig.ready():

    register_media("visits/", visit_photo_visible)   # check(request, name) -> bool
    register_media("stations/", public=True)

A file under a folder nobody registered is never served from /media/ (suggestion attachments
and annual reports have their own permission-checked views)."""

import mimetypes
import os
import posixpath
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponse
from django.utils._os import safe_join
from django.utils.http import content_disposition_header

from core.media import INLINE_TYPES

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# What an uploaded file gets: it can never run script, load anything or be framed.
UPLOAD_CONTENT_SECURITY_POLICY = "default-src 'none'; img-src 'self'; sandbox; frame-ancestors 'none'"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Uploads shown inline are core.media.INLINE_TYPES; these download as themselves, everything else
# as an opaque file.
DOWNLOAD_TYPES = {"application/pdf": "application/pdf"}


def content_security_policy():
    """The pages' CSP; with the files in object storage, images may also come from its origin
    (an <img> of /media/... is redirected there)."""
    from core.media import media_origin

    origin = media_origin()
    if not origin:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace("img-src 'self' data: blob:", f"img-src 'self' data: blob: {origin}")


class SecurityHeadersMiddleware:
    """CSP, Permissions-Policy and COOP on every response (a view may set a stricter CSP)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


def download_name(stem, stored_name):
    """The name a download is offered under: made from the record (`stem`), never the name the
    uploader gave it (`evil.html` served as a PDF), with the extension of the detected type: the
    stored name's, which core.uploads sets from the checked content."""
    suffix = PurePosixPath(stored_name).suffix.lower()
    return f"{stem}{suffix}"


def harden_file_response(response):
    """Headers for any response carrying an uploaded file (also used by the apps' own file views)."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = UPLOAD_CONTENT_SECURITY_POLICY
    response.headers.setdefault("Cache-Control", "private, max-age=3600")
    return response


_media_rules = {}


def register_media(prefix, check=None, *, public=False):
    """Declare who may fetch files under MEDIA_ROOT/<prefix>: everyone (`public=True`) or those for
    whom `check(request, name)` is true (`name` is the file's name as stored in a FileField)."""
    if not prefix.endswith("/") or (check is None) == (not public):
        raise ValueError("register_media needs a folder ending in '/' and either check or public=True")
    _media_rules[prefix] = None if public else check


def _may_fetch(request, name):
    for prefix, check in _media_rules.items():
        if name.startswith(prefix):
            return check is None or bool(check(request, name))
    return False


def serve_upload(request, path):
    """Serve a file from MEDIA_ROOT to those allowed to see it: images inline, PDFs and anything
    else as attachments, never as HTML or script, with a sandboxing CSP. A file the user may not
    see is a 404, like one that does not exist (its existence must not leak). With the files in
    object storage (MEDIA_STORAGE=s3) the answer is a redirect to a short-lived presigned URL
    (core.media)."""
    from django.core.files.storage import default_storage

    from core.media import is_remote, stored_file_response

    if is_remote(default_storage):
        name = posixpath.normpath(path)
        if name.startswith(("/", "../")) or name in {".", ".."} or not _may_fetch(request, name):
            raise Http404
        guessed, _ = mimetypes.guess_type(name)
        inline = guessed in INLINE_TYPES
        response = stored_file_response(
            default_storage, name, attachment=not inline,
            content_type=guessed if inline else DOWNLOAD_TYPES.get(guessed, "application/octet-stream"),
        )
        return harden_file_response(response)
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, path))
    except (SuspiciousFileOperation, ValueError):
        raise Http404 from None
    name = full_path.relative_to(os.path.abspath(settings.MEDIA_ROOT)).as_posix()
    if not full_path.is_file() or not _may_fetch(request, name):
        raise Http404
    guessed, _ = mimetypes.guess_type(full_path.name)
    if not settings.SERVE_MEDIA:
        # A web server in front (nginx `internal` location) sends the file after this check.
        response = HttpResponse(content_type=guessed if guessed in INLINE_TYPES else "application/octet-stream")
        response["X-Accel-Redirect"] = settings.MEDIA_INTERNAL_URL + name
        if guessed not in INLINE_TYPES:
            response["Content-Disposition"] = content_disposition_header(True, full_path.name)
        return harden_file_response(response)
    if guessed in INLINE_TYPES:
        response = FileResponse(full_path.open("rb"), content_type=guessed)
    else:
        content_type = DOWNLOAD_TYPES.get(guessed, "application/octet-stream")
        response = FileResponse(
            full_path.open("rb"), content_type=content_type, as_attachment=True, filename=full_path.name
        )
    return harden_file_response(response)
