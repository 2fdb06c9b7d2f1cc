"""The load test's people (locust): the public on station pages, deputies logging visits, staff
opening their lists. Run by bench/load.py and tests/services/test_load.py, not by hand:

    LOAD_PLAN=plan.json LOAD_COUNTS=counts.json locust -f bench/locustfile.py --headless ...

LOAD_PLAN (written by bench.load.plan) names the stations, categories, tracking codes and
accounts to use, the password and the run's nonce. Every submission carries the nonce, so the
rows of one run can be counted in the database afterwards. LOAD_COUNTS receives, at exit, the
successful submissions of the whole run (locust's own statistics may be reset after the
ramp-up: LOAD_MEASURE_AFTER seconds after the start, so that the logins and the first,
cold requests stay out of the percentiles).

Everything is plain HTML as a phone sends it: a form's CSRF token is read from the page that
carries the form; redirects are checked, not followed blindly.
"""

import itertools
import json
import os
import random
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
NONCE = PLAN["nonce"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STATION_SELECT = re.compile(r'<select name="station"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"( selected)?')
DATE_VALUE = re.compile(r'name="date" value="(\d{4}-\d{2}-\d{2})"')
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

SUBMITTED = Counter()  # successful submissions over the whole run, by kind
ERRORS = Counter()  # failed requests over the whole run (the statistics' own may be reset)
TRACKING_CODES = list(PLAN["tracking_codes"])  # grows with the codes this run receives
SERIAL = itertools.count(1)
ACCOUNTS = {role: itertools.cycle(PLAN[role]) for role in ("deputies", "staff")}

ISSUES = [
    "村口道路坑洼不平，雨天积水严重，希望尽快修补",
    "小区路灯坏了好几盏，晚上出行不安全",
    "学校门口上下学时段车辆拥堵，建议增设交通协管",
    "农贸市场排水沟堵塞，夏天气味很大",
    "村里自来水水压不足，高处的住户经常停水",
    "希望在社区增设老年人日间照料中心",
]


@events.test_start.add_listener
def reset_after_warm_up(environment, **kwargs):
    delay = float(os.environ.get("LOAD_MEASURE_AFTER", "0"))
    if delay > 0:
        gevent.spawn_later(delay, environment.stats.reset_all)


@events.request.add_listener
def count_errors(request_type, name, exception, **kwargs):
    if exception is not None:
        ERRORS[f"{request_type} {name}: {exception}"[:300]] += 1


@events.quitting.add_listener
def write_counts(environment, **kwargs):
    if os.environ.get("LOAD_COUNTS"):
        Path(os.environ["LOAD_COUNTS"]).write_text(
            json.dumps({"submitted": dict(SUBMITTED), "errors": dict(ERRORS)}, ensure_ascii=False)
        )


def csrf_token(response):
    match = CSRF.search(response.text or "")
    return match.group(1) if match else None


def unique(text):
    return f"{text}（压测 {NONCE}-{next(SERIAL)}）"


class Portal(FastHttpUser):
    abstract = True
    # Loopback: no connection or network delay to model; a slow answer is the server's.
    network_timeout = 30.0
    connection_timeout = 30.0

    def log_in(self, role):
        username = next(ACCOUNTS[role])
        with self.client.get("/accounts/login/", name="/accounts/login/", catch_response=True) as page:
            token = csrf_token(page)
            if page.status_code != 200 or not token:
                page.failure(f"login page: {page.status_code}")
                return False
        body = urlencode({"username": username, "password": PLAN["password"], "csrfmiddlewaretoken": token})
        with self.client.post(
            "/accounts/login/", data=body, headers=FORM, name="/accounts/login/",
            allow_redirects=False, catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{username} not signed in: {response.status_code}")
                return False
        return True

    def open_list(self, path, name):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")


class Citizen(Portal):
    """Someone who scanned a station's QR code: reads the page, sometimes raises an opinion,
    sometimes follows one up with its tracking code."""

    weight = 14
    wait_time = between(1, 5)

    def station_page(self):
        code = random.choice(PLAN["stations"])
        with self.client.get(f"/s/{code}/", name="/s/[code]/", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return code, None
            return code, csrf_token(response)

    @task(6)
    def read_station_page(self):
        self.station_page()

    @task(2)
    def submit_opinion(self):
        code, token = self.station_page()
        if token is None:
            return
        body = urlencode({
            "csrfmiddlewaretoken": token,
            "category": random.choice(PLAN["categories"]),
            "content": unique(random.choice(ISSUES)),
            "name": "", "phone": "", "website": "",
        })
        with self.client.post(
            f"/s/{code}/opinion/", data=body, headers=FORM, name="/s/[code]/opinion/",
            allow_redirects=False, catch_response=True,
        ) as response:
            location = response.headers.get("Location", "") if response.status_code == 302 else ""
            match = re.fullmatch(r"/track/([^/]+)/submitted/", location)
            if not match:
                response.failure(f"not saved: {response.status_code} {location}")
                return
            SUBMITTED["opinions"] += 1
        TRACKING_CODES.append(match.group(1))
        self.open_list(location, "/track/[code]/submitted/")

    @task(2)
    def track_opinion(self):
        if TRACKING_CODES:
            self.open_list(f"/track/{random.choice(TRACKING_CODES)}/", "/track/[code]/")


class Deputy(Portal):
    """A deputy on a phone, signed in once: logs a visit to their station with the people
    received there, then looks at the record and at their own visits."""

    weight = 4
    wait_time = between(3, 8)

    def on_start(self):
        self.signed_in = self.log_in("deputies")

    @task
    def log_visit(self):
        if not self.signed_in:
            return
        with self.client.get("/stations/visits/new/", name="/stations/visits/new/", catch_response=True) as form:
            token = csrf_token(form)
            select = STATION_SELECT.search(form.text or "")
            date = DATE_VALUE.search(form.text or "")
            if form.status_code != 200 or not (token and select and date):
                form.failure(f"visit form: {form.status_code}")
                return
        options = OPTION.findall(select.group(1))
        station = next((pk for pk, selected in options if selected), options[0][0])
        receptions = random.randint(1, 3)
        fields = {
            "csrfmiddlewaretoken": token, "station": station, "date": date.group(1),
            "start_time": "09:00", "end_time": "11:30", "summary": unique("接待群众，走访村民"),
            "r-TOTAL_FORMS": receptions, "r-INITIAL_FORMS": 0, "r-MIN_NUM_FORMS": 0, "r-MAX_NUM_FORMS": 30,
        }
        for i in range(receptions):
            fields.update({
                f"r-{i}-visitor_name": random.choice(["王秀英", "李建国", "张桂兰", "刘志强"]),
                f"r-{i}-visitor_phone": f"139{random.randint(0, 99999999):08d}",
                f"r-{i}-village": "",
                f"r-{i}-category": random.choice(PLAN["categories"]),
                f"r-{i}-content": random.choice(ISSUES),
                # One in five is left to follow up: it opens an opinion in the same request.
                f"r-{i}-handling": random.choices(["answered", "referred", "follow_up"], [3, 1, 1])[0],
                f"r-{i}-feedback": "已当面解释政策",
            })
        with self.client.post(
            "/stations/visits/new/", data=urlencode(fields), headers=FORM, name="/stations/visits/new/",
            allow_redirects=False, catch_response=True,
        ) as response:
            location = response.headers.get("Location", "") if response.status_code == 302 else ""
            if not re.fullmatch(r"/stations/visits/\d+/", location):
                response.failure(f"not saved: {response.status_code} {location}")
                return
            SUBMITTED["visits"] += 1
            SUBMITTED["receptions"] += receptions
        self.open_list(location, "/stations/visits/[id]/")
        self.open_list("/stations/visits/", "/stations/visits/")


class Staff(Portal):
    """Congress staff at a desk, signed in once: the suggestions, the opinions inbox and the
    deputies' roster (first pages, a search)."""

    weight = 2
    wait_time = between(2, 6)

    def on_start(self):
        self.signed_in = self.log_in("staff")

    @task
    def open_lists(self):
        if not self.signed_in:
            return
        path, name = random.choice([
            ("/suggestions/", "/suggestions/"),
            ("/opinions/", "/opinions/"),
            ("/deputies/", "/deputies/"),
            ("/deputies/?search=" + random.choice(["z", "l", "w", "c"]), "/deputies/?search="),
            ("/stations/", "/stations/"),
        ])
        self.open_list(path, name)
