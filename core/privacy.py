"""Personal data helpers: phone numbers never appear in full where they need not."""


def mask_phone(value):
    """138****1234 for a mobile number; other values keep only their ends."""
    text = str(value or "")
    if len(text) < 7:
        return "*" * len(text)
    return f"{text[:3]}****{text[-4:]}"
