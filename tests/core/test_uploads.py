import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.uploads import ImageListField, clean_image, clean_pdf


def jpeg_with_gps(size=(64, 48)):
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (31.0, 30.0, 0.0), 3: "E", 4: (120.0, 18.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_clean_image_reencodes_and_drops_exif_and_location():
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif()
    cleaned = clean_image(SimpleUploadedFile("IMG_0001.jpg", raw))
    assert cleaned.name.endswith(".jpg") and "IMG_0001" not in cleaned.name
    image = Image.open(io.BytesIO(cleaned.read()))
    assert image.format == "JPEG"
    assert not image.getexif()


def test_text_renamed_jpg_is_refused_in_chinese():
    with pytest.raises(ValidationError) as error:
        clean_image(SimpleUploadedFile("photo.jpg", b"just some text, not an image"))
    assert "不是有效的图片" in error.value.messages[0]


def test_twenty_megabyte_file_is_refused():
    with pytest.raises(ValidationError) as error:
        clean_image(SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (20 * 1024 * 1024)))
    assert "超过 5 MB" in error.value.messages[0]


def test_gif_is_not_accepted():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "GIF")
    with pytest.raises(ValidationError):
        clean_image(SimpleUploadedFile("a.gif", buffer.getvalue()))


def test_image_list_field_limits_the_count():
    files = [SimpleUploadedFile(f"{i}.jpg", jpeg_with_gps()) for i in range(4)]
    with pytest.raises(ValidationError) as error:
        ImageListField(max_count=3).clean(files)
    assert "最多上传 3 张" in error.value.messages[0]
    assert len(ImageListField(max_count=5).clean(files)) == 4


def test_pdf_is_checked_by_signature():
    assert clean_pdf(SimpleUploadedFile("reply.pdf", b"%PDF-1.4\n...\n%%EOF\n")).name.endswith(".pdf")
    with pytest.raises(ValidationError):
        clean_pdf(SimpleUploadedFile("reply.pdf", b"<html>not a pdf</html>"))
