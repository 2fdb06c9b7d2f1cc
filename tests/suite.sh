#!/usr/bin/env bash
# The whole suite, as `make test` runs it (the Makefile runs ruff and the migrations check first).
#
# Three lanes at once, so that both cores stay busy:
# - most tests, spread over every core by pytest-xdist (a test database per process);
# - one test at a time, what shares something machine-wide, in two lanes of their own: tests
#   marked `services` (the Celery worker on REDIS_URL, PostgreSQL backup and restore), the browser
#   and live-server tests and the fault tests through PgBouncer; and the worker, Redis and
#   database fault tests and the security package. These mostly wait (a throttled browser, a
#   restarted worker).
# pytest's exit code 5 ("no tests collected", e.g. every test skipped away) is not a failure.
set -u
PY="${PY:-.venv/bin/python}"
CALENDAR_DAYS="${CALENDAR_DAYS:-2026-12-31,2028-02-29}"
SERIAL=(tests/e2e tests/services tests/faults tests/security)
IGNORE=()
for dir in "${SERIAL[@]}"; do IGNORE+=("--ignore=$dir"); done

ok() { [ "$1" -eq 0 ] || [ "$1" -eq 5 ]; }

# The demo's data, seeded once for the whole run and read by every test process that needs it
# (tests/demo_snapshot.py); the folder goes when the run ends.
if [ -z "${DEMO_SNAPSHOT_DIR:-}" ]; then
  DEMO_SNAPSHOT_DIR=$(mktemp -d)
  trap 'rm -rf "$DEMO_SNAPSHOT_DIR"' EXIT
fi
export DEMO_SNAPSHOT_DIR

# The one-at-a-time tests run in two lanes beside each other, each on its own test database and
# Redis database (so their Celery workers, rate limits and seeded worlds never meet): the tests
# marked `services` and the browsers in one; the full stack (two nodes, the upgrade from the
# one-county release), faults and security in the other. They mostly wait. Each lane prints its
# slowest tests (--durations) for whoever balances them next.
second_database="${DATABASE_URL:+${DATABASE_URL}_b}"
second_redis="${REDIS_URL:+${REDIS_URL%/*}/14}"
serial_log=$(mktemp)
(
  status=0
  "$PY" -m pytest -p no:cacheprovider --durations=15 -m services "${IGNORE[@]}" || { code=$?; ok $code || status=$code; }
  "$PY" -m pytest -p no:cacheprovider --durations=15 tests/e2e || { code=$?; ok $code || status=$code; }
  # The fault tests once more with the web processes and workers behind a PgBouncer in
  # transaction pooling, as docker-compose.yml runs them (where pgbouncer is installed).
  if command -v pgbouncer >/dev/null; then
    FAULTS_PGBOUNCER=1 "$PY" -m pytest -p no:cacheprovider --durations=5 tests/faults || { code=$?; ok $code || status=$code; }
  fi
  exit $status
) >"$serial_log" 2>&1 &
serial_pid=$!
second_log=$(mktemp)
(
  if [ -n "$second_database" ]; then export DATABASE_URL="$second_database"; fi
  if [ -n "$second_redis" ]; then export REDIS_URL="$second_redis"; fi
  "$PY" -m pytest -p no:cacheprovider --durations=15 tests/services tests/faults tests/security
) >"$second_log" 2>&1 &
second_pid=$!

echo "== the suite on every core (pytest -n auto), the one-at-a-time lane in the background"
"$PY" -m pytest -n auto --durations=15 -m "not services" "${IGNORE[@]}"
parallel=$?
# The date-sensitive tests (marked `calendar`: query budgets, duty scheduler, deadlines,
# dashboard, annual report) again on days chosen to break them: 31 December (the year turns
# while they run) and 29 February. More days: CALENDAR_DAYS=2026-11-30,2027-01-01,2026-02-16,...
echo "== the calendar tests on $CALENDAR_DAYS"
"$PY" -m pytest -n auto -m "calendar and not services" "${IGNORE[@]}" --calendar-days "$CALENDAR_DAYS" -q
calendar=$?

wait "$serial_pid"
serial=$?
wait "$second_pid"
second=$?
echo "== one at a time: the services-marked tests and the browsers"
cat "$serial_log"
echo "== one at a time: full stack, faults and security"
cat "$second_log"
rm -f "$serial_log" "$second_log"

ok $parallel || exit $parallel
ok $calendar || exit $calendar
ok $serial || exit $serial
ok $second || exit $second
exit 0
