import pytest
from django.core.cache import cache
from django.test import RequestFactory

from core import abuse
from core.exceptions import DomainError, RateLimited


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def request_from(ip):
    return RequestFactory().post("/", REMOTE_ADDR=ip)


def test_submission_limit_per_ip(settings):
    settings.PUBLIC_SUBMISSIONS_PER_HOUR = 5
    for _ in range(5):
        abuse.check_submission_rate(request_from("10.0.0.1"), "opinion")
    with pytest.raises(RateLimited) as error:
        abuse.check_submission_rate(request_from("10.0.0.1"), "opinion")
    assert error.value.status_code == 429 and "每小时最多提交5次" in str(error.value)
    abuse.check_submission_rate(request_from("10.0.0.2"), "opinion")  # another address is fine


def test_same_content_from_the_same_ip_is_refused_within_the_window():
    abuse.check_duplicate(request_from("10.0.0.1"), "opinion", "村口路灯坏了很久，晚上很黑")
    with pytest.raises(DomainError):
        abuse.check_duplicate(request_from("10.0.0.1"), "opinion", "村口路灯坏了很久， 晚上很黑")
    abuse.check_duplicate(request_from("10.0.0.9"), "opinion", "村口路灯坏了很久，晚上很黑")


def test_honeypot():
    abuse.check_honeypot({"website": ""})
    with pytest.raises(DomainError):
        abuse.check_honeypot({"website": "http://spam.example"})


def test_limits_fail_open_when_the_cache_is_down(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(cache, "add", broken)
    for _ in range(10):
        abuse.check_submission_rate(request_from("10.0.0.1"), "opinion")
