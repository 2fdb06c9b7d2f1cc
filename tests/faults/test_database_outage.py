"""PostgreSQL lost under load: requests during the outage get 503 with the Chinese message, the
portal recovers by itself when the database is back, and no half-written record remains.

gunicorn reaches PostgreSQL through a TCP proxy of the test's own (tests.faults.conftest.TcpProxy);
cutting it resets every connection and refuses new ones, as a restarting server does. The
machine's PostgreSQL is never stopped."""

import json
import threading
from collections import Counter

import pytest
import requests
from django.utils import timezone

from accounts import tokens as api_tokens
from core.errors import DATABASE_UNAVAILABLE_MESSAGE
from notifications.models import Delivery, Notification
from opinions.models import Opinion
from stations.models import Reception, Visit
from tests.factories import CategoryFactory, DeputyFactory, StationMembershipFactory, UserFactory
from tests.faults.conftest import proxied_database_url, wait_until
from tests.faults.test_worker_killed import reminder_run, tomorrows_roster
from tests.services.portal import log_visit_form, sign_in, station_with_members

pytestmark = pytest.mark.services

MESSAGE = str(DATABASE_UNAVAILABLE_MESSAGE)
THREADS = 3
MAX_REQUESTS_PER_THREAD = 400


@pytest.fixture
def portal(stack_factory, database_proxy):
    station, _ = station_with_members(1)
    category = CategoryFactory(name="交通出行")
    deputy = UserFactory(role="deputy", username="outage-deputy")
    # A member of the station: deputies log visits only where they belong (issue 22, item 10).
    StationMembershipFactory(station=station, deputy=DeputyFactory(township=station.township, user=deputy, name="王芳"))
    stack = stack_factory(database=proxied_database_url(database_proxy))
    base = stack.web(PUBLIC_SUBMISSIONS_PER_HOUR="100000")
    return base, stack, station, category, deputy


def test_a_visit_cut_off_between_its_rows_leaves_nothing_and_answers_503_in_chinese(portal, database_proxy):
    base, stack, station, category, deputy = portal
    session = sign_in(base, "outage-deputy")
    # The connection is reset when the first reception is sent: the visit row is already written
    # in the open transaction, the receptions are not.
    database_proxy.cut_on(b'INSERT INTO "stations_reception"')
    response = log_visit_form(session, base, station, [{}, {}, {"handling": "follow_up"}], category=category)
    assert database_proxy.triggered.is_set()
    assert response.status_code == 503, response.text[:2000]
    assert MESSAGE in response.text
    assert response.headers["Retry-After"] == "30"

    database_proxy.restore()
    stack.settle()
    again = log_visit_form(session, base, station, [{}, {}, {"handling": "follow_up"}], category=category)
    assert again.status_code == 302, again.text[:2000]
    # All or nothing: only the second visit exists, with its three receptions.
    visit = Visit.objects.get()
    assert again.headers["Location"].endswith(f"/stations/visits/{visit.pk}/")
    assert visit.receptions.count() == 3 and Reception.objects.count() == 3
    assert Opinion.objects.count() == 1  # the follow-up of the second visit only


def test_requests_during_an_outage_under_load_get_503_and_the_portal_recovers_by_itself(portal, database_proxy):
    base, stack, station, category, deputy = portal
    token = api_tokens.issue(deputy)[0]
    results = []  # (phase, kind, status, body)
    phase = {"now": "before"}
    stop = threading.Event()

    def submit_opinion(n, tag):
        return requests.post(
            base + "/api/v1/public/opinions/",
            json={"station": station.code, "category": "交通出行", "content": f"{tag}第{n}条意见：路灯不亮，请尽快修复"},
            timeout=20,
        )

    def log_visit(n, tag):
        return requests.post(
            base + "/api/v1/visits/",
            json={
                "station": station.pk, "date": f"{timezone.localdate():%Y-%m-%d}", "start_time": "09:00",
                "end_time": "10:00", "summary": f"第{n}次进站",
                "receptions": [
                    {"visitor_name": "张三", "category": category.pk, "content": "反映道路积水", "handling": "answered"},
                    {"visitor_name": "李四", "category": category.pk, "content": "咨询医保报销", "handling": "answered"},
                ],
            },
            headers={"Authorization": f"Token {token}"},
            timeout=20,
        )

    def load(kind, send, tag):
        for n in range(MAX_REQUESTS_PER_THREAD):
            if stop.is_set():
                return
            current = phase["now"]
            try:
                response = send(n, tag)
                results.append((current, kind, response.status_code, response.text))
            except requests.RequestException as exc:
                results.append((current, kind, 0, repr(exc)))

    def count(phase_name, status):
        return sum(1 for p, _, s, _ in list(results) if p == phase_name and s == status)

    threads = [
        threading.Thread(target=load, args=("opinion", submit_opinion, "甲")),
        threading.Thread(target=load, args=("opinion", submit_opinion, "乙")),
        threading.Thread(target=load, args=("visit", log_visit, "丙")),
    ]
    for thread in threads:
        thread.start()
    try:
        wait_until(lambda: len(results) >= 6, timeout=60, message=lambda: f"{results[-3:]}\n{stack.logs()}")
        phase["now"] = "outage"
        database_proxy.cut()
        wait_until(lambda: count("outage", 503) >= 6, timeout=30, message=lambda: str(results[-5:]))
        phase["now"] = "after"
        database_proxy.restore()
        wait_until(lambda: count("after", 201) >= 6, timeout=60, message=lambda: f"{results[-5:]}\n{stack.logs()}")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    statuses = Counter((p, s) for p, _, s, _ in results)
    # Only success or 503 with the Chinese message: no 500, no dropped connection.
    assert {s for _, _, s, _ in results} <= {201, 503}, [r for r in results if r[2] not in (201, 503)][:3]
    assert all(MESSAGE in body for _, _, s, body in results if s == 503)
    assert statuses[("outage", 503)] >= 6, statuses
    # Recovered by itself: the last requests of every kind succeeded, and /healthz says so.
    for kind in ("opinion", "visit"):
        assert [s for _, k, s, _ in results if k == kind][-1] == 201, statuses
    assert requests.get(base + "/healthz", timeout=20).json()["status"] == "ok"

    # No half-written record: every visit has both its receptions.
    assert set(Visit.objects.values_list("receptions__visit_id", flat=True)) == set(Visit.objects.values_list("pk", flat=True))
    assert all(visit.receptions.count() == 2 for visit in Visit.objects.all())
    # Every acknowledged submission is stored. A request whose COMMIT reached PostgreSQL just as
    # the connection was cut can be stored although it was answered 503: at most one per thread.
    answered = {json.loads(r)["tracking_code"] for _, k, s, r in results if k == "opinion" and s == 201}
    stored = set(Opinion.objects.values_list("tracking_code", flat=True))
    assert answered <= stored
    assert len(stored - answered) <= THREADS
    visits_answered = sum(1 for _, k, s, _ in results if k == "visit" and s == 201)
    assert visits_answered <= Visit.objects.count() <= visits_answered + 1


def test_a_reminder_run_that_meets_the_outage_is_retried_until_the_database_is_back(stack_factory, database_proxy):
    deputies, day = tomorrows_roster(4)
    stack = stack_factory(database=proxied_database_url(database_proxy))
    stack.env["TASK_DATABASE_RETRY_SECONDS"] = "1"
    stack.worker()
    database_proxy.cut()
    reminder_run(stack, day)
    # The run and at least one retry found the database gone (congress.celery.DatabaseRetryTask).
    wait_until(lambda: database_proxy.refused >= 2, timeout=60, message=stack.logs)
    assert not Notification.objects.exists()
    database_proxy.restore()
    wait_until(
        lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == len(deputies),
        timeout=60, message=stack.logs,
    )
    assert sorted(Notification.objects.filter(kind="duty_reminder").values_list("recipient_id", flat=True)) == sorted(
        d.user_id for d in deputies
    )
