"""Issue 16: a database of the previous, one-county release migrates into a one-county tree with
nothing lost.

The previous release (git commit 763b470, before regions) is checked out with `git archive` into
a temporary folder; its own `migrate` and `seed_demo` build a fresh PostgreSQL database with the
shared virtualenv; then this release's `migrate` runs on that database. Row counts of deputies,
stations, suggestions, opinions, visits, votes, ballots and points are the same before and after,
and every row reaches the county's region (deputies and stations by their township under the
county, suggestions and votes by the county's congress). Slow (two migrations and the old seed):
marked `services`, so it runs one at a time."""

import os
import subprocess
import sys
import tarfile
import time
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from tests.conftest import require_or_skip

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parent.parent.parent
PREVIOUS_RELEASE = "763b470"
COUNTED = {
    "deputies": "deputies_deputy",
    "stations": "stations_station",
    "suggestions": "suggestions_suggestion",
    "opinions": "opinions_opinion",
    "visits": "stations_visit",
    "receptions": "stations_reception",
    "votes": "votes_projectvote",
    "ballots": "votes_ballot",
    "point rules": "points_pointrule",
    "group points": "points_groupsummary",
    "session attendance": "deputies_sessionattendance",
    "users": "accounts_user",
}
# Every row of these reaches the county: (what, SQL counting the rows that do).
TAGGED = {
    "deputies": "SELECT count(*) FROM deputies_deputy d JOIN divisions_region r ON r.id = d.township_id "
                "WHERE r.path LIKE %(path)s",
    "stations": "SELECT count(*) FROM stations_station s JOIN divisions_region r ON r.id = s.township_id "
                "WHERE r.path LIKE %(path)s",
    "opinions": "SELECT count(*) FROM opinions_opinion o JOIN stations_station s ON s.id = o.station_id "
                "JOIN divisions_region r ON r.id = s.township_id WHERE r.path LIKE %(path)s",
    "visits": "SELECT count(*) FROM stations_visit v JOIN stations_station s ON s.id = v.station_id "
              "JOIN divisions_region r ON r.id = s.township_id WHERE r.path LIKE %(path)s",
    "suggestions": "SELECT count(*) FROM suggestions_suggestion x JOIN divisions_congress c ON c.id = x.congress_id "
                   "WHERE c.region_id = %(county)s",
    "votes": "SELECT count(*) FROM votes_projectvote x JOIN divisions_congress c ON c.id = x.congress_id "
             "WHERE c.region_id = %(county)s",
    "ballots": "SELECT count(*) FROM votes_ballot b JOIN votes_projectvote x ON x.id = b.vote_id "
               "JOIN divisions_congress c ON c.id = x.congress_id WHERE c.region_id = %(county)s",
}


def server_settings():
    db = connection.settings_dict
    return {"user": db.get("USER") or "postgres", "password": db.get("PASSWORD") or None,
            "host": db.get("HOST") or "127.0.0.1", "port": db.get("PORT") or 5432}


def url_of(name):
    s = server_settings()
    auth = f"{s['user']}:{s['password']}" if s["password"] else s["user"]
    return f"postgres://{auth}@{s['host']}:{s['port']}/{name}"


def admin_connection(dbname="postgres"):
    conn = psycopg2.connect(dbname=dbname, **{k: v for k, v in server_settings().items() if v is not None})
    conn.autocommit = True
    return conn


def manage(code_dir, database, *args, timeout=900):
    """`manage.py <args>` of the code in `code_dir` on `database`, with the shared virtualenv."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL", "PYTEST_XDIST_WORKER")}
    env.update(DATABASE_URL=url_of(database), DEBUG="1", SECRET_KEY="upgrade-test-only", SEED_DEMO="0",
               MPLCONFIGDIR=str(Path(code_dir) / "var" / "matplotlib"), LOG_LEVEL="WARNING")
    started = time.monotonic()
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=code_dir, env=env, capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, f"{args} in {code_dir}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return time.monotonic() - started


def counts(database):
    conn = admin_connection(database)
    try:
        with conn.cursor() as cursor:
            found = {}
            for what, table in COUNTED.items():
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (table names from COUNTED)
                found[what] = cursor.fetchone()[0]
            return found
    finally:
        conn.close()


@pytest.fixture
def previous_release(tmp_path):
    """The previous release's code, unpacked from git."""
    if connection.vendor != "postgresql":
        require_or_skip("the upgrade test needs PostgreSQL (DATABASE_URL)")
    archive = tmp_path / "previous.tar"
    result = subprocess.run(["git", "archive", "--format=tar", "-o", str(archive), PREVIOUS_RELEASE], cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode != 0:
        require_or_skip(f"git cannot read the previous release {PREVIOUS_RELEASE}: {result.stderr.strip()}")
    code = tmp_path / "previous"
    with tarfile.open(archive) as tar:
        tar.extractall(code, filter="data")
    return code


@pytest.fixture
def scratch_database():
    name = f"lianxin_upgrade_{uuid.uuid4().hex[:8]}"
    conn = admin_connection()
    with conn.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    yield name
    conn = admin_connection()
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def test_a_one_county_database_of_the_previous_release_migrates_with_nothing_lost(
    previous_release, scratch_database, capsys
):
    timings = {
        "old migrate": manage(previous_release, scratch_database, "migrate", "--noinput", "-v0"),
        "old seed_demo": manage(previous_release, scratch_database, "seed_demo", "-v0"),
    }
    before = counts(scratch_database)
    assert before["deputies"] == 300 and before["suggestions"] > 100 and before["ballots"] > 0, before
    timings["migrate"] = manage(ROOT, scratch_database, "migrate", "--noinput", "-v0")
    after = counts(scratch_database)
    assert after == before

    conn = admin_connection(scratch_database)
    with conn.cursor() as cursor:
        cursor.execute("SELECT id, path, name FROM divisions_region WHERE level = 'county'")
        (county_id, county_path, county_name), *others = cursor.fetchall()
        assert not others, "one county"
        cursor.execute("SELECT count(*) FROM divisions_region WHERE level = 'township' AND path LIKE %s",
                       [county_path + "%"])
        assert cursor.fetchone()[0] == 12
        for what, sql in TAGGED.items():
            cursor.execute(sql, {"path": county_path + "%", "county": county_id})
            assert cursor.fetchone()[0] == before[what], f"{what} not all tagged with {county_name}"
        # Every deputy has a seat (the county's congress for the county's deputies).
        cursor.execute("SELECT count(DISTINCT deputy_id) FROM deputies_seat")
        assert cursor.fetchone()[0] == before["deputies"]
        cursor.execute("SELECT count(*) FROM deputies_deputy d WHERE d.level = 'county' AND NOT EXISTS ("
                       "SELECT 1 FROM deputies_seat s JOIN divisions_congress c ON c.id = s.congress_id "
                       "WHERE s.deputy_id = d.id AND c.region_id = %s)", [county_id])
        assert cursor.fetchone()[0] == 0
    conn.close()
    with capsys.disabled():
        print("\n  upgrade test timings: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()))
