"""QR codes for station posters: they encode the station's public page, /s/<code>/ on the
portal's public address (core.links: PUBLIC_BASE_URL, else the host the page is served on)."""

import io

import segno


def station_qr(station):
    return segno.make(station.public_url, error="m", micro=False)


def png_bytes(station, *, scale=10):
    buffer = io.BytesIO()
    station_qr(station).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def svg_bytes(station, *, scale=8):
    buffer = io.BytesIO()
    station_qr(station).save(buffer, kind="svg", scale=scale, border=4, title=station.name)
    return buffer.getvalue()


def svg_inline(station):
    """An <svg> with a viewBox (no fixed size), to be sized by CSS on posters."""
    return station_qr(station).svg_inline(omitsize=True, border=4)
