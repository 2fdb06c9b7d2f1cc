"""Using a running portal over HTTP as a person does (the requests library, cookies and CSRF
tokens): the station page's opinion form, a sign-in, a deputy's visit form."""

import re

import requests
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from stations.models import StationMembership
from tests.factories import CategoryFactory, DeputyFactory, StationFactory, TownshipFactory, UserFactory

PASSWORD = "correct-horse-9"  # tests.factories.UserFactory's
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMEOUT = 20


def csrf_token(response):
    match = CSRF_FIELD.search(response.text)
    assert match, f"no CSRF token in {response.url} ({response.status_code})"
    return match.group(1)


def station_with_members(count=2, *, township_name="城关镇"):
    """An active station with `count` member deputies who have accounts (and e-mail addresses)."""
    township = TownshipFactory(name=township_name)
    station = StationFactory(township=township)
    users = []
    for n in range(count):
        user = UserFactory(role=Role.DEPUTY, email=f"member{n}@example.cn")
        StationMembership.objects.create(station=station, deputy=DeputyFactory(township=township, user=user))
        users.append(user)
    return station, users


def submit_opinion_form(base, station, content, *, category=None, session=None):
    """点单 on the station page /s/<code>/; returns the response to the POST (not followed)."""
    category = category or CategoryFactory()
    session = session or requests.Session()
    page = session.get(f"{base}/s/{station.code}/", timeout=TIMEOUT)
    assert page.status_code == 200, page.text[:500]
    return session.post(
        f"{base}{reverse('opinions:submit', args=[station.code])}",
        data={"csrfmiddlewaretoken": csrf_token(page), "category": category.pk, "content": content},
        allow_redirects=False, timeout=TIMEOUT,
    )


def sign_in(base, username, password=PASSWORD):
    session = requests.Session()
    url = f"{base}{reverse('accounts:login')}"
    page = session.get(url, timeout=TIMEOUT)
    response = session.post(
        url, data={"csrfmiddlewaretoken": csrf_token(page), "username": username, "password": password},
        allow_redirects=False, timeout=TIMEOUT,
    )
    assert response.status_code == 302, response.text[:1000]
    return session


def visit_form_data(token, station, receptions, *, category):
    """The visit form's fields with `receptions` (dicts of visitor_name, content, handling)."""
    data = {
        "csrfmiddlewaretoken": token, "station": station.pk, "date": f"{timezone.localdate():%Y-%m-%d}",
        "start_time": "09:00", "end_time": "11:30", "summary": "接待群众，听取意见",
        "r-TOTAL_FORMS": len(receptions), "r-INITIAL_FORMS": 0, "r-MIN_NUM_FORMS": 0, "r-MAX_NUM_FORMS": 1000,
    }
    for n, reception in enumerate(receptions):
        data.update({
            f"r-{n}-visitor_name": reception.get("visitor_name", f"群众{n}"),
            f"r-{n}-category": category.pk,
            f"r-{n}-content": reception.get("content", "反映村口道路坑洼，下雨积水严重"),
            f"r-{n}-handling": reception.get("handling", "answered"),
        })
    return data


def log_visit_form(session, base, station, receptions, *, category=None):
    """进站履职 through /stations/visits/new/ as the signed-in deputy; the POST's response."""
    url = f"{base}{reverse('stations:visit_create')}"
    page = session.get(url, timeout=TIMEOUT)
    assert page.status_code == 200, page.text[:500]
    data = visit_form_data(csrf_token(page), station, receptions, category=category or CategoryFactory())
    return session.post(url, data=data, allow_redirects=False, timeout=TIMEOUT)
