"""长辈模式 (issue 23, part 2): a plain link, kept in a cookie, class="care" on <html>."""

import pytest
from django.test import Client

from tests.factories import StationFactory, TownshipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_station_page_links_to_elders_mode_and_the_choice_is_kept():
    station = StationFactory(township=TownshipFactory(name="城关镇"))
    client = Client()
    page = client.get(f"/s/{station.code}/").content.decode()  # stored in the page cache
    assert "长辈模式" in page and f"/care/?on=1&amp;next=/s/{station.code}/" in page
    assert '<html lang="zh-CN">' in page
    response = client.get("/care/", {"on": "1", "next": f"/s/{station.code}/"})
    assert response.status_code == 302 and response["Location"] == f"/s/{station.code}/"
    assert response.cookies["care"].value == "1" and response.cookies["care"]["max-age"] == 365 * 24 * 3600
    cared = client.get(f"/s/{station.code}/").content.decode()  # not the cached page
    assert '<html lang="zh-CN" class="care">' in cared and "退出长辈模式" in cared
    assert 'class="care"' in client.get("/track/").content.decode()
    client.get("/care/", {"on": "0", "next": "/track/"})
    assert 'class="care"' not in client.get("/track/").content.decode()
    assert 'class="care"' not in Client().get(f"/s/{station.code}/").content.decode()


def test_elders_mode_goes_back_only_to_this_site(client):
    assert client.get("/care/", {"next": "https://evil.example/"})["Location"] == "/"
    assert client.get("/care/", {"next": "//evil.example/x"})["Location"] == "/"
    assert client.get("/care/")["Location"] == "/"


def test_deputies_see_the_switch_and_staff_pages_do_not_carry_it(client):
    deputy = UserFactory(role="deputy", username="d1")
    staff = UserFactory(role="staff", username="s1")
    client.force_login(deputy)
    assert 'id="care-link"' in client.get("/").content.decode()
    client.force_login(staff)
    assert 'id="care-link"' not in client.get("/").content.decode()
