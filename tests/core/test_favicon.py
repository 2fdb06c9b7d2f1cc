"""/favicon.ico, which every browser asks for on every page, answers 200 with an icon."""

from django.test import Client
from PIL import Image
import io


def test_favicon_ico_answers_200_with_an_icon(db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert Image.open(io.BytesIO(body)).format == "ICO"
