"""The Django admin in Chinese (issue 23, part 4): every app, model, column, filter, field and
action label of every registered model, including the third-party ones (axes, otp_totp, celery
beat, authtoken, treebeard), as the admin sees them."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission  # noqa: F401  (registered apps loaded)

from accounts.models import Role

# Words that stay as they are in Chinese government software: names of things, units, formats.
ALLOWED = {
    "TOTP", "IP", "URL", "HTTP", "GET", "POST", "Word", "Excel", "PDF", "JSON", "ID", "SMS", "Token",
    "Celery", "Cron", "crontab", "UTC", "API", "QR", "OTP", "WeChat", "Redis", "sha", "Asia", "Shanghai",
    "AM", "PM", "Unix", "UUID", "SQL", "CSV", "http", "https", "mailto", "admin", "Django", "YYYY", "MM", "DD",
}


class Text(HTMLParser):
    """The text a reader sees: text nodes outside script/style, and the labels of buttons/options."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip, self.tags = [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # Skipped: scripts, and values rather than labels (a filter's choices, a list's cells).
        if tag in ("script", "style", "textarea") or (tag in ("li", "td") and self.in_values()):
            self.skip += 1
            self.tags.append(("skip", tag))
        elif tag in ("nav", "table") and (attrs.get("id") in ("changelist-filter", "result_list")):
            self.tags.append(("values", tag))
        elif tag in ("nav", "table"):
            self.tags.append(("", tag))
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self.parts.append(attrs.get("value") or "")

    def in_values(self):
        return any(kind == "values" for kind, _tag in self.tags)

    def handle_endtag(self, tag):
        if self.tags and self.tags[-1][1] == tag:
            kind, _tag = self.tags.pop()
            if kind == "skip":
                self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def english(html):
    parser = Text()
    parser.feed(html)
    words = set(re.findall(r"[A-Za-z][A-Za-z]+", " ".join(parser.parts)))
    return sorted(w for w in words if w not in ALLOWED)


# Forms whose labels come from third-party packages (the portal's own are written in Chinese).
# No token or TOTP device admin exists (issue 22, item 5).
ADD_FORMS = ["divisions/township", "axes/accessattempt"]


def admin_pages():
    yield "/admin/"
    for model in admin.site._registry:
        yield f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    for path in ADD_FORMS:
        yield f"/admin/{path}/add/"


@pytest.mark.django_db
def test_every_admin_page_speaks_chinese(client, make_user):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_user(Role.ADMIN, username="admin1", is_staff=True, is_superuser=True)
    client.force_login(user)
    # A row in each third-party list, so that its columns and filters show.
    TOTPDevice.objects.create(user=user, name="手机")
    attempt = dict(username="admin1", ip_address="127.0.0.1", user_agent="浏览器", path_info="/accounts/login/")
    AccessAttempt.objects.create(**attempt, http_accept="*/*", get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**attempt, http_accept="*/*")
    AccessFailureLog.objects.create(**attempt, http_accept="*/*")
    found = {}
    for url in admin_pages():
        response = client.get(url)
        if response.status_code != 200:
            continue
        words = english(response.content.decode())
        if words:
            found[url] = words
    assert not found, "\n".join(f"{url}: {' '.join(words)}" for url, words in found.items())
