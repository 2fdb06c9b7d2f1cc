"""Personal data helpers: phone numbers never appear in full where they need not."""


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
