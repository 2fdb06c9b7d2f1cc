"""Every URL pattern of the portal, resolved against the seeded world, requested as every role.

    python -m tests.security.routes     # print the observed table (to review and paste into
                                        # tests/security/test_permission_matrix.py)
needs a database where `seed_demo` ran (DATABASE_URL, DJANGO_SETTINGS_MODULE=tests.settings)."""

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.security.world import ROLES
from tests.urlconf import url_patterns


def all_routes():
    """(name, route) for every URL pattern; unnamed ones are named by their route."""
    return [(name, route) for name, route, _pattern in url_patterns()]


def url_for(name, route, world, which="own"):
    if name == route:  # unnamed: a fixed path
        return "/" + route
    return reverse(name, kwargs=world.kwargs(name, which))


def outcome(response):
    """200, 403, 404, 405 …; a redirect to the sign-in page is "login", any other redirect "302"."""
    if response.status_code in (301, 302, 303):
        location = response.headers.get("Location", "")
        return "login" if location.startswith(reverse(settings.LOGIN_URL)) else "302"
    return str(response.status_code)


def clients(world, roles=ROLES):
    result = {"anon": Client()}
    for role in roles:
        if role == "anon":
            continue
        client = Client()
        client.force_login(world.users[role])
        result[role] = client
    return result


def observe(world, which="own", names=None, forms=None, roles=ROLES):
    """{name: {role: outcome}} for GET requests to every route (or to `names`) as each of `roles`.
    With a dict as `forms`, also collect {(role, action URL)} of every POST form on the pages that
    answered 200."""
    by_role = clients(world, roles)
    table = {}
    for name, route in all_routes():
        if names is not None and name not in names:
            continue
        url = url_for(name, route, world, which)
        table[name] = {}
        for role in roles:
            response = by_role[role].get(url)
            table[name][role] = outcome(response)
            if forms is not None and response.status_code == 200 and response.get(
                "Content-Type", ""
            ).startswith("text/html"):
                for action in post_forms(response.content.decode(), url):
                    forms.setdefault(action, (role, name))
    return table


FORM = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""(\w+)\s*=\s*("[^"]*"|'[^']*')""")


def post_forms(html, page_url):
    """The action URLs of the page's POST forms (an empty action posts to the page itself)."""
    actions = set()
    for tag in FORM.findall(html):
        attributes = {k.lower(): unescape(v[1:-1]) for k, v in ATTRIBUTE.findall(tag)}
        if attributes.get("method", "get").lower() != "post":
            continue
        action = urljoin(page_url, attributes.get("action") or page_url)
        actions.add(urlsplit(action).path + (f"?{urlsplit(action).query}" if urlsplit(action).query else ""))
    return actions


def format_table(table, roles=ROLES):
    width = max(len(name) for name in table) + 3
    lines = [f'    # {"route".ljust(width - 2)}' + "".join(f"{r:>9}" for r in roles)]
    for name, row in table.items():
        cells = "".join(f"{row[r]:>9}" for r in roles)
        lines.append(f'    {(repr(name) + ":").ljust(width)}"{cells.strip()}",'.replace(
            f'"{cells.strip()}"', '"' + " ".join(f"{row[r]:<6}" for r in roles).rstrip() + '"'))
    return "\n".join(lines)


if __name__ == "__main__":
    import django

    django.setup()
    from tests.security.world import build

    print(format_table(observe(build())))
