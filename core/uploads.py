"""Uploaded files: checked by content, never trusted by name.

Images (JPEG/PNG/WebP, at most 5 MB each) are decoded with Pillow and re-encoded, which drops
EXIF data (GPS location included) and anything appended to the file; PDFs must start with the
PDF signature. Forms use ImageListField / PdfField; the API uses the same clean functions."""

import io
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PDF_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
LONGEST_SIDE = 2560

Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


def clean_image(uploaded, *, max_bytes=MAX_IMAGE_BYTES):
    """Return a re-encoded copy (ContentFile with a random name) of an uploaded JPEG/PNG/WebP,
    without EXIF or location data. Raises ValidationError with a Chinese message otherwise."""
    name = getattr(uploaded, "name", "") or "photo"
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("照片“%(name)s”超过 %(mb)s MB，请压缩后再上传。"),
            code="too_large",
            params={"name": name, "mb": max_bytes // (1024 * 1024)},
        )
    try:
        uploaded.seek(0)
        with Image.open(uploaded) as probe:
            image_format = probe.format
            probe.verify()
        if image_format not in IMAGE_FORMATS:
            raise UnidentifiedImageError(image_format)
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
            output = io.BytesIO()
            if image_format == "JPEG":
                image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
            elif image_format == "PNG":
                image.save(output, "PNG", optimize=True)
            else:
                image.save(output, "WEBP", quality=85)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("“%(name)s”不是有效的图片，请上传 JPG、PNG 或 WebP 格式的照片。"),
            code="not_an_image",
            params={"name": name},
        ) from None
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{IMAGE_FORMATS[image_format]}")


def clean_pdf(uploaded, *, max_bytes=MAX_PDF_BYTES):
    """Check an uploaded PDF by its signature and size; returns a ContentFile with a random name."""
    name = getattr(uploaded, "name", "") or "file"
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("文件“%(name)s”超过 %(mb)s MB。"), code="too_large",
            params={"name": name, "mb": max_bytes // (1024 * 1024)},
        )
    uploaded.seek(0)
    data = uploaded.read()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise ValidationError(
            _("“%(name)s”不是有效的 PDF 文件，请上传盖章扫描后的 PDF。"), code="not_a_pdf",
            params={"name": name},
        )
    return ContentFile(data, name=f"{uuid.uuid4().hex}.pdf")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImageListField(forms.FileField):
    """Zero to `max_count` photos; cleaned to a list of re-encoded ContentFiles."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def __init__(self, *, max_count=5, **kwargs):
        self.max_count = max_count
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(files) > self.max_count:
            raise ValidationError(
                _("最多上传 %(n)s 张照片。"), code="too_many", params={"n": self.max_count}
            )
        return [clean_image(f) for f in files]


class PdfField(forms.FileField):
    widget = forms.ClearableFileInput(attrs={"accept": "application/pdf"})

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        return clean_pdf(uploaded) if uploaded and hasattr(uploaded, "size") else uploaded


# --- Kept uploads: a refused form keeps the file it was sent -----------------------------------

KEPT_DIR = "kept-uploads"
KEPT_MAX_AGE = 24 * 3600
KEPT_SALT = "core.uploads.kept"


def keep_upload(content, *, owner_id, original_name=""):
    """Store an already checked upload (a ContentFile from clean_pdf/clean_image) for a day, so
    that a refused form need not ask for it again; returns a signed token naming it for `owner_id`
    only. The file lives under MEDIA_ROOT/kept-uploads/ (never served: no record points at it)."""
    from django.core import signing
    from django.core.files.storage import default_storage

    content.seek(0)
    path = default_storage.save(f"{KEPT_DIR}/{owner_id}/{uuid.uuid4().hex}{_suffix(content.name)}", content)
    return signing.dumps({"path": path, "owner": owner_id, "name": original_name}, salt=KEPT_SALT)


def kept_upload(token, *, owner_id):
    """(ContentFile, original name) of a kept upload, or (None, "") when the token is missing,
    forged, expired, someone else's or its file is gone."""
    from django.core import signing
    from django.core.files.storage import default_storage

    if not token:
        return None, ""
    try:
        kept = signing.loads(token, salt=KEPT_SALT, max_age=KEPT_MAX_AGE)
    except signing.BadSignature:
        return None, ""
    path = kept.get("path", "")
    if kept.get("owner") != owner_id or not path.startswith(f"{KEPT_DIR}/{owner_id}/") or ".." in path:
        return None, ""
    try:
        with default_storage.open(path, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        return None, ""
    return ContentFile(data, name=f"{uuid.uuid4().hex}{_suffix(path)}"), kept.get("name", "")


def _suffix(name):
    return "." + name.rsplit(".", 1)[1].lower() if "." in (name or "") else ""
