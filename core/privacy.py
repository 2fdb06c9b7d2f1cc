"""Personal data helpers: phone numbers never appear in full where they need not; what is kept
only to be matched is kept as a keyed hash."""

import hashlib
import hmac

from django.conf import settings


def mask_name(value):
    """王* for 王芳, 欧** for 欧阳修: a citizen's name for those who need not know it (PIPL,
    minimum necessary). The one masking of names: pages, API and exports all call it."""
    text = str(value or "").strip()
    if not text:
        return ""
    return text[0] + "*" * max(1, len(text) - 1)


def mask_phone(value):
    """138****1234 for a mobile number; other values keep only their ends."""
    text = str(value or "")
    if len(text) < 7:
        return "*" * len(text)
    return f"{text[:3]}****{text[-4:]}"


def mask_id_number(tail):
    """**************123X: a 身份证号 shown by its last four characters (all that is kept)."""
    return f"{'*' * 14}{tail}" if tail else ""


def keyed_digest(text):
    """A keyed hash (HMAC-SHA256 under PERSONAL_DATA_KEY) of personal data kept only to be
    matched again (a 身份证号, a phone number in the SMS counts): equal inputs give equal digests,
    and the digest does not give the input back to whoever reads the database."""
    return hmac.new(settings.PERSONAL_DATA_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()
