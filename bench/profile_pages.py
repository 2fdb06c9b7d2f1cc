#!/usr/bin/env python3
"""What limits each page of bench/http_bench.py: a profile of each, in process.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/profile_pages.py
    .venv/bin/python bench/profile_pages.py --requests 20 --write-docs docs/benchmarks.md

Against the benchmark's database (the same data set as bench/http_bench.py; run that first, it
migrates and prepares it) and with production settings (DEBUG=0, Redis cache), it sends each page
--requests times through Django's test client after two warm-up requests, and reports per request:
the time, the SQL queries and the time waiting for them, and where the rest went, by the
profiler's own time (cProfile, tottime) of the functions grouped by what they do — templates and
forms, the ORM (building queries and model instances), the PostgreSQL driver, the cache and
Redis, JSON/DRF serialization, the portal's own code, and the rest of Django (middleware, URL
resolving, sessions). With --write-docs it replaces its section of docs/benchmarks.md.
"""

import argparse
import cProfile
import os
import platform
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

GROUPS = [  # (label, substrings of the file path), first match wins
    ("模板和表单渲染", ("django/template/", "django/forms/", "django_filters/", "core/widgets.py", "/templatetags/")),
    ("SQL 驱动（等待 PostgreSQL）", ("psycopg",)),
    ("缓存和 Redis", ("django/core/cache/", "/redis/", "socket")),
    ("ORM（组装查询、生成模型对象）", ("django/db/",)),
    ("序列化（DRF、JSON）", ("rest_framework/", "/json/", "drf_spectacular")),
    ("Django 其他（中间件、路由、会话、国际化）", ("django/",)),
]
PROJECT = "本项目代码"
OTHER = "其他（标准库、第三方）"
# The middleware and the harness wrap every request: not worth listing as a page's cost.
WRAPPERS = ("__call__", "bench/", "wrapped")


def group_of(filename, function):
    where = f"{filename}:{function}"
    if filename.startswith(str(ROOT)) and "/.venv/" not in filename:
        return PROJECT
    return next((g for g, keys in GROUPS if any(k in where for k in keys)), OTHER)


def setup(database_url, redis_url):
    os.environ.update(
        DATABASE_URL=database_url, REDIS_URL=redis_url, DEBUG="0", DJANGO_SETTINGS_MODULE="congress.settings",
        SECRET_KEY="benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="testserver,127.0.0.1", SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0", LOG_LEVEL="WARNING", DB_CONN_MAX_AGE="600",
        PUBLIC_SUBMISSIONS_PER_HOUR="100000000", PUBLIC_LOOKUPS_PER_MINUTE="100000000", OPINION_SMS="0",
        STATIC_ROOT=tempfile.mkdtemp(prefix="lianxin-profile-static-"),
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def pages():
    """(name, label, user, method, path, body, content type) for each page of the HTTP benchmark."""
    import json

    from django.utils import timezone

    from deputies.models import Deputy
    from stations.models import Category, Station

    station = Station.objects.filter(is_active=True, memberships__isnull=False).order_by("pk").first()
    category = Category.objects.filter(is_active=True).order_by("sort_order", "pk").first()
    deputy = (Deputy.objects.filter(user__isnull=False, user__is_active=True, status="active",
                                    memberships__isnull=False).select_related("user").order_by("pk").first())
    from accounts.models import Role, User

    staff = User.objects.filter(role=Role.STAFF, township__isnull=True, is_active=True).order_by("pk").first()
    opinion = json.dumps({"station": station.code, "category": category.name, "consent": False,
                          "content": "性能剖析 {n}：村口道路坑洼不平，雨天积水严重，希望尽快修补。"}, ensure_ascii=False)
    visit = {
        "station": deputy.memberships.order_by("pk").first().station_id, "date": timezone.localdate().isoformat(),
        "start_time": "09:00", "end_time": "10:30", "summary": "性能剖析 {n}",
        "r-TOTAL_FORMS": "1", "r-INITIAL_FORMS": "0", "r-MIN_NUM_FORMS": "0", "r-MAX_NUM_FORMS": "30",
        "r-0-visitor_name": "群众", "r-0-category": category.pk, "r-0-content": "反映村口路灯不亮",
        "r-0-handling": "answered", "r-0-feedback": "已联系村委会",
    }
    return [
        ("bare", "GET /ping", None, "GET", "/ping", None, None),
        ("station_page", "GET /s/<code>/", None, "GET", f"/s/{station.code}/", None, None),
        ("opinion_post", "POST /api/v1/public/opinions/", None, "POST", "/api/v1/public/opinions/", opinion,
         "application/json"),
        ("visit_form", "GET /stations/visits/new/", deputy.user, "GET", "/stations/visits/new/", None, None),
        ("visit_post", "POST /stations/visits/new/", deputy.user, "POST", "/stations/visits/new/", visit, None),
        ("suggestion_list", "GET /suggestions/", staff, "GET", "/suggestions/", None, None),
        ("opinion_inbox", "GET /opinions/", staff, "GET", "/opinions/", None, None),
        ("dashboard", "GET /dashboard/", staff, "GET", "/dashboard/", None, None),
    ]


def profile(page, requests):
    from django.db import connection
    from django.test import Client

    name, label, user, method, path, body, content_type = page
    client = Client(REMOTE_ADDR="127.0.0.9")
    if user is not None:
        client.force_login(user)
    counter = iter(range(10**9))

    def send():
        n = f"{time.time_ns()}-{next(counter)}"
        if method == "GET":
            return client.get(path)
        if content_type:
            return client.post(path, data=body.replace("{n}", n), content_type=content_type)
        return client.post(path, data={k: str(v).replace("{n}", n) for k, v in body.items()})

    for _ in range(2):
        status = send().status_code
    started = time.perf_counter()
    for _ in range(requests):
        send()
    plain = (time.perf_counter() - started) / requests
    queries = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(time.perf_counter() - started)

    with connection.execute_wrapper(timed):
        send()
    sql = sum(queries)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        send()
    profiler.disable()
    stats = pstats.Stats(profiler)
    groups, total = defaultdict(float), 0.0
    top = []
    for (filename, line, function), (_cc, _nc, tottime, cumtime, _callers) in stats.stats.items():
        total += tottime
        groups[group_of(filename, function)] += tottime
        if group_of(filename, function) == PROJECT and not any(w in f"{filename}:{function}" for w in WRAPPERS):
            top.append((cumtime, f"{Path(filename).relative_to(ROOT)}:{line}({function})"))
    top.sort(reverse=True)
    return {
        "name": name, "label": label, "status": status, "ms": plain * 1000, "queries": len(queries),
        "sql_ms": sql * 1000, "groups": {g: t / total for g, t in groups.items()},
        "top": [(c / requests * 1000, where) for c, where in top[:6]],
    }


def section(rows, meta):
    lines = [
        "## 各页面的瓶颈（`bench/profile_pages.py`）",
        "",
        f"与 HTTP 基准同一数据（{meta['data']}），生产设置（DEBUG=0、Redis 缓存），在进程内用 Django 测试客户端"
        f"逐页各发 {meta['requests']} 次请求（先预热两次）；“用时”不含剖析开销，“SQL 用时”是一次请求中等待 PostgreSQL 的时间，"
        f"其余各列是 cProfile 下各类函数自身用时（tottime）的占比。运行于 {meta['machine']}，{meta['date']}，"
        f"测量时机器上还有其他进程（1 分钟平均负载 {meta['load']}），绝对时间偏大，占比更可信。",
        "",
        "| 页面 | 状态 | 用时 (ms) | SQL | SQL 用时 (ms) | " + " | ".join(g for g, _k in GROUPS) + f" | {PROJECT} | {OTHER} |",
        "|---|---:|---:|---:|---:|" + "---:|" * (len(GROUPS) + 2),
    ]
    for r in rows:
        shares = " | ".join(f"{100 * r['groups'].get(g, 0):.0f}%" for g, _k in GROUPS + [(PROJECT, ()), (OTHER, ())])
        lines.append(f"| {r['label']} | {r['status']} | {r['ms']:.1f} | {r['queries']} | {r['sql_ms']:.1f} | {shares} |")
    lines += ["", "各页面中本项目函数的累计用时（cProfile，每次请求，含剖析开销）："]
    for r in rows:
        if r["top"]:
            where = "；".join(f"`{w}` {ms:.1f} ms" for ms, w in r["top"][:4])
            lines.append(f"- {r['label']}：{where}")
    lines += [
        "",
        "复现：`BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python "
        "bench/profile_pages.py --write-docs docs/benchmarks.md`（先运行 `bench/http_bench.py` 准备数据库）。",
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--pages", help="comma-separated names (default: all)")
    parser.add_argument("--write-docs", metavar="PATH")
    args = parser.parse_args()
    setup(os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lianxin_bench"),
          os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4"))
    from deputies.models import Deputy
    from opinions.models import Opinion
    from stations.models import Station

    load = os.getloadavg()[0]
    chosen = [p for p in pages() if not args.pages or p[0] in args.pages.split(",")]
    rows = []
    for page in chosen:
        row = profile(page, args.requests)
        rows.append(row)
        print(f"{row['label']:32} {row['status']} {row['ms']:7.1f} ms  {row['queries']:3} SQL {row['sql_ms']:6.1f} ms  "
              + "  ".join(f"{g[:6]} {100 * s:.0f}%" for g, s in sorted(row["groups"].items(), key=lambda x: -x[1])[:4]),
              flush=True)
    meta = {
        "data": f"代表 {Deputy.objects.count():,}，站点 {Station.objects.count():,}，群众意见 {Opinion.objects.count():,}",
        "requests": args.requests, "machine": f"{os.cpu_count()} 核 {platform.machine()}，Python {platform.python_version()}",
        "date": date.today().isoformat(), "load": f"{load:.1f} → {os.getloadavg()[0]:.1f}",
    }
    text = section(rows, meta)
    print()
    print(text)
    if args.write_docs:
        from bench.markdown import replace_section

        replace_section(args.write_docs, "bench/profile_pages.py", text)


if __name__ == "__main__":
    main()
