#!/usr/bin/env bash
# The whole suite, as `make test` runs it (the Makefile runs ruff and the migrations check first).
#
# Two lanes at once, so that both cores stay busy:
# - most tests, spread over every core by pytest-xdist (a test database per process);
# - one test at a time, what shares something machine-wide: tests marked `services` (the Celery
#   worker on REDIS_URL, PostgreSQL backup and restore), then the browser and live-server tests,
#   the worker, Redis and database fault tests and the security package. These mostly wait
#   (a throttled browser, a restarted worker), so they cost the first lane little.
# pytest's exit code 5 ("no tests collected", e.g. every test skipped away) is not a failure.
set -u
PY="${PY:-.venv/bin/python}"
CALENDAR_DAYS="${CALENDAR_DAYS:-2026-11-30,2026-12-31,2027-01-01,2028-02-29,2026-02-16,2026-09-30}"
SERIAL=(tests/e2e tests/services tests/faults tests/security)
IGNORE=()
for dir in "${SERIAL[@]}"; do IGNORE+=("--ignore=$dir"); done

ok() { [ "$1" -eq 0 ] || [ "$1" -eq 5 ]; }

serial_log=$(mktemp)
(
  status=0
  "$PY" -m pytest -p no:cacheprovider -m services "${IGNORE[@]}" || { code=$?; ok $code || status=$code; }
  "$PY" -m pytest -p no:cacheprovider "${SERIAL[@]}" || { code=$?; ok $code || status=$code; }
  exit $status
) >"$serial_log" 2>&1 &
serial_pid=$!

echo "== the suite on every core (pytest -n auto), the one-at-a-time lane in the background"
"$PY" -m pytest -n auto -m "not services" "${IGNORE[@]}"
parallel=$?
# The date-sensitive tests (marked `calendar`: query budgets, duty scheduler, deadlines,
# dashboard, annual report) again on days chosen to break them: a month's last day, 31 December
# and 1 January, 29 February, the day before 春节 (2026-02-17) and before 国庆.
echo "== the calendar tests on $CALENDAR_DAYS"
"$PY" -m pytest -n auto -m "calendar and not services" "${IGNORE[@]}" --calendar-days "$CALENDAR_DAYS" -q
calendar=$?

wait "$serial_pid"
serial=$?
echo "== one at a time: services, browsers, faults, security"
cat "$serial_log"
rm -f "$serial_log"

ok $parallel || exit $parallel
ok $calendar || exit $calendar
ok $serial || exit $serial
exit 0
