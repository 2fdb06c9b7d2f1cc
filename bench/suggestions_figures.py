#!/usr/bin/env python3
"""Benchmark: the suggestions' figures, lists and daily reminders at city scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_suggestions_bench .venv/bin/python bench/suggestions_figures.py
    .venv/bin/python bench/suggestions_figures.py --write-docs docs/benchmarks.md

What it does:
1. migrates the database of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lianxin_suggestions_bench)
   and EMPTIES it (`flush`): use a database of its own;
2. builds --count suggestions (default 30,000: ten years of a city like Wuxi, 2,915 a year) in
   every state over 30 units, 12 townships and 11 categories, first a tenth of them, then all;
   half of the newest year's are being handled (deadlines from April to June), with units' accounts;
3. at each size times `suggestion_figures()` for the newest year and for all years (one call
   serves the dashboard, its Excel export, the API and the annual report), the dashboard page,
   the staff list page and the API list (100 rows), counting SQL queries (they must not grow);
4. times the daily reminder task over the handling suggestions, twice (the second run must
   send nothing: each notice exactly once). Prints a Markdown section; with --write-docs
   replaces this harness's section of the file."""

import argparse
import os
import platform
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))
OWNER = "bench/suggestions_figures.py"


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-not-for-production")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    import django
    from django.conf import settings

    django.setup()
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    from congress.celery import app

    app.conf.update(task_always_eager=False, broker_url="memory://")


STATE_SHARES = [  # of 100, for years before the newest
    ("closed", 80), ("evaluated", 6), ("replied", 3), ("rehandling", 1), ("hearing", 1),
    ("reference", 5), ("merged", 2), ("withdrawn", 2),
]


def build(count, start_index, years, rng):
    """Suggestions start_index .. count-1, spread over `years` years (the last is the newest)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from deputies.models import Deputy
    from divisions.models import HandlingUnit
    from suggestions.models import Assignment, Category, Suggestion

    units = list(HandlingUnit.objects.order_by("pk"))
    categories = list(Category.objects.order_by("pk"))
    deputies = list(Deputy.objects.order_by("pk"))
    states = [state for state, share in STATE_SHARES for _ in range(share)]
    newest = years[-1]
    rows = []
    from divisions.models import Congress

    congress = Congress.objects.default()  # bulk inserts fill in no congress (a county: its own)
    for i in range(start_index, count):
        year = years[i % len(years)]
        state = states[i % 100] if year != newest else ("assigned" if (i // 10) % 2 == 0 else states[i % 100])
        assigned = timezone.make_aware(datetime(year, 2, 1 + i % 20, 10))
        deputy = deputies[i % len(deputies)]
        answered = state in ("closed", "evaluated", "replied", "hearing")
        rows.append(Suggestion(
            kind="suggestion", state=state, title=f"建议{i}", content="内容", category=categories[i % len(categories)],
            lead_deputy=deputy, township_id=deputy.township_id, year=year, number=i + 1,
            congress=congress, received_by=congress,
            lead_unit=units[i % len(units)] if state not in ("reference", "merged", "withdrawn") else None,
            assigned_at=assigned if state not in ("reference", "merged", "withdrawn") else None,
            deadline=(date(year, 4, 1) + timedelta(days=i % 90)) if state not in ("reference", "merged", "withdrawn") else None,
            max_deadline=date(year, 8, 1) if state not in ("reference", "merged", "withdrawn") else None,
            reply_class=rng.choices("ABC", weights=[62, 30, 8])[0] if answered or state == "rehandling" else "",
            rating=(rng.choice(["satisfied"] * 8 + ["basic"] * 2) if state in ("closed", "evaluated") else
                    "unsatisfied" if state in ("rehandling", "hearing") else ""),
            first_replied_at=assigned + timedelta(days=60) if answered or state == "rehandling" else None,
            replied_at=assigned + timedelta(days=60) if answered else None,
            replied_late=i % 13 == 0,
            submitted_at=assigned - timedelta(days=20),
        ))
    created = Suggestion.objects.bulk_create(rows, batch_size=2000)
    Assignment.objects.bulk_create(
        [Assignment(suggestion=s, unit_id=s.lead_unit_id, role="lead") for s in created if s.lead_unit_id],
        batch_size=2000,
    )
    User = get_user_model()
    if not User.objects.filter(role="unit").exists():
        User.objects.bulk_create([
            User(username=f"unit{i}", role="unit", handling_unit=unit, password="!") for i, unit in enumerate(units)
        ])
    return len(created)


def base_data():
    from django.contrib.auth import get_user_model

    from deputies.models import Deputy
    from divisions.models import HandlingUnit, Township

    from importlib import import_module

    from suggestions.models import Category

    defaults = import_module("suggestions.migrations.0002_default_categories").DEFAULT_CATEGORIES
    Category.objects.bulk_create([Category(name=name, sort_order=i) for i, name in enumerate(defaults)])
    townships = Township.objects.bulk_create([Township(name=f"第{i}镇", sort_order=i) for i in range(12)])
    HandlingUnit.objects.bulk_create([HandlingUnit(name=f"县第{i}局") for i in range(30)])
    Deputy.objects.bulk_create([
        Deputy(name=f"代表{i}", gender="male", level="county", term=18, township=townships[i % 12],
               phone=f"139{i:08d}", search_keys=f"daibiao{i}")
        for i in range(3000)
    ])
    get_user_model().objects.create(username="staff", role="staff", password="!")


def measure(function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
    return result, elapsed, len(queries)


def run_size(label, newest, client):
    from suggestions.selectors import suggestion_figures

    rows = []
    for name, call in [
        (f"suggestion_figures(year={newest})", lambda: suggestion_figures(year=newest)),
        ("suggestion_figures()（全部年度）", lambda: suggestion_figures()),
        ("统计页 /suggestions/figures/", lambda: client.get(f"/suggestions/figures/?year={newest}")),
        ("建议列表 /suggestions/", lambda: client.get("/suggestions/")),
        ("接口列表 /api/v1/suggestions/?page_size=100", lambda: client.get("/api/v1/suggestions/?page_size=100")),
    ]:
        call()  # warm
        result, elapsed, queries = measure(call)
        status = getattr(result, "status_code", 200)
        assert status == 200, (name, status)
        rows.append((label, name, elapsed, queries))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=30000)
    parser.add_argument("--write-docs", metavar="FILE")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lianxin_suggestions_bench")
    setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from notifications.models import Notification
    from suggestions import services

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    base_data()
    rng = random.Random(5)
    years = list(range(2017, 2027))
    newest = years[-1]
    client = Client()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="staff"))
    tenth = args.count // 10
    build(tenth, 0, years, rng)
    results = run_size(f"{tenth:,}", newest, client)
    build(args.count, tenth, years, rng)
    build_seconds = time.perf_counter() - started
    results += run_size(f"{args.count:,}", newest, client)

    today = date(newest, 4, 28)
    from unittest import mock

    from django.utils import timezone

    moment = timezone.make_aware(datetime.combine(today, datetime.min.time().replace(hour=8)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        (first, flagged), first_seconds, first_queries = measure(lambda: services.send_deadline_reminders(today))
        (second, _), second_seconds, second_queries = measure(lambda: services.send_deadline_reminders(today))
    handling = services.Suggestion.objects.handling().count()
    assert second == 0, "a second run must send nothing"
    assert Notification.objects.filter(kind="suggestion-deadline").count() == first

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version") if connection.vendor == "postgresql" else cursor.execute("SELECT sqlite_version()")
        server = cursor.fetchone()[0].split()[0]
    engine = f"PostgreSQL {server}" if connection.vendor == "postgresql" else f"SQLite {server}"
    lines = [
        "## 代表建议统计、列表和期限提醒（`bench/suggestions_figures.py`）",
        "",
        f"{args.count:,} 件建议（十个年度，每年约 {args.count // 10:,} 件，相当于无锡一年 2,915 件的规模），30 个承办单位、12 个乡镇、"
        f"11 个类别；先建十分之一，再补齐到全量。运行于 {os.cpu_count()} 核 {platform.machine()}，{engine}，"
        f"Python {platform.python_version()}，{date.today().isoformat()}；造数 {build_seconds:.0f} 秒。",
        "",
        "| 规模 | 计算 | 用时 | SQL 查询 |",
        "|---|---|---:|---:|",
    ]
    lines += [f"| {size} | {name} | {seconds * 1000:.0f} ms | {queries} |" for size, name, seconds, queries in results]
    lines += [
        "",
        f"- 每日期限提醒（{today.isoformat()}，办理中 {handling:,} 件）：第一次运行发出 {first:,} 条提醒、标记逾期 {flagged:,} 件，"
        f"用时 {first_seconds:.2f} s、{first_queries:,} 条 SQL；同日再运行发出 0 条，用时 {second_seconds:.2f} s、"
        f"{second_queries:,} 条 SQL（每条提醒有唯一键，只发一次）。",
        "- 统计全部在数据库中聚合（COUNT … FILTER），按单位、类别、乡镇各一条 GROUP BY；十分之一与全量的查询数相同。",
        "",
        "复现：`DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_suggestions_bench .venv/bin/python "
        "bench/suggestions_figures.py --write-docs docs/benchmarks.md`（会清空该数据库）。",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write_docs:
        from bench.markdown import replace_section

        replace_section(args.write_docs, OWNER, text)


if __name__ == "__main__":
    main()
