#!/usr/bin/env python3
"""HTTP benchmark: gunicorn on PostgreSQL (and Redis), measured with wrk.

    .venv/bin/python bench/http_bench.py                       # default targets, 1 and 16 clients
    .venv/bin/python bench/http_bench.py --targets bare,station_page --duration 20
    .venv/bin/python bench/http_bench.py --write-docs docs/benchmarks.md

What it does, in order:
1. creates (or reuses) the database of BENCH_DATABASE_URL (default
   postgres://postgres@127.0.0.1:5432/lianxin_bench), migrates it and makes sure there is one
   active station with member deputies (a `seed_demo` county if one is there, else a small one);
2. collects static files into a temporary directory (DEBUG off needs the manifest);
3. starts gunicorn once, with the same sync workers for every target (--workers, default
   2 × cores + 1), production settings (DEBUG=0), persistent database connections, Redis from
   BENCH_REDIS_URL (default redis://127.0.0.1:6379/4) for the cache, rate limits and Celery;
   the public limits (submissions per hour, look-ups per minute) are raised through the
   environment so the benchmark measures the page and not the 429;
4. for every target and every concurrency (--connections, default 1,16) runs wrk for a short
   warm-up (at least two connections per worker, so that every worker is warm) and then
   --duration seconds, with a Lua script whose done() prints requests/s and
   p50/p95/p99 latency (wrk's own --latency has no p95), and counts non-2xx/3xx answers;
5. prints a Markdown table with each target's ratio to the bare Django view (`/ping`: no
   database, no template) at the same concurrency, and with --write-docs replaces this
   harness's section of docs/benchmarks.md (between its markers), leaving the rest alone.

Requires wrk (Debian: `apt-get install -y wrk`). Traffic goes to 127.0.0.1 only; every run is
bounded by --duration. POST targets send unique content per request (the duplicate rule).
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, bench/ comes first on the path: let bench.markdown (the shared writer of
# docs/benchmarks.md) be found as a package module instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.stack import (  # noqa: E402
    PYTHON, collectstatic, ensure_database, free_port, postgres_version, production_env, run,
    start_gunicorn, stop,
)

# wrk Lua: one script for every target. wrk.method/path/body come from the target; POST bodies
# get a per-thread counter and a run nonce so that no two requests carry the same content.
LUA = textwrap.dedent(
    r"""
    local threads = {}
    function setup(thread)
      thread:set("id", #threads + 1)
      table.insert(threads, thread)
    end
    function init(args)
      counter = 0
      nonce = args[1] or "0"
      template = args[2]
    end
    function request()
      if template == nil or template == "" then
        return wrk.request()
      end
      counter = counter + 1
      local body = string.gsub(template, "{n}", nonce .. "-" .. id .. "-" .. counter)
      return wrk.format(nil, nil, nil, body)
    end
    function done(summary, latency, requests)
      local e = summary.errors
      io.write(string.format(
        'BENCH_JSON {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, ' ..
        '"mean": %.1f, "status_errors": %d, "socket_errors": %d}\n',
        summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
        latency:percentile(99), latency.mean, e.status, e.connect + e.read + e.write + e.timeout))
    end
    """
)


@dataclass
class Target:
    name: str
    label: str
    method: str
    path: str
    body: str = ""  # a template; "{n}" becomes a unique token per request
    content_type: str = ""
    pgoptions: str = ""  # libpq PGOPTIONS for the server that serves this target
    cookies: dict = field(default_factory=dict)  # a signed-in user's session (and CSRF) cookies


def targets_for(setup):
    station_code, tracking_code = setup["station"], setup["tracking_code"]
    post_body = json.dumps(
        {
            "station": station_code,
            "category": setup["category"],
            "content": "基准测试 {n}：村口道路坑洼不平，雨天积水严重，希望尽快修补。",
            "consent": False,
        },
        ensure_ascii=False,
    )
    deputy, staff = setup["deputy"], setup["staff"]
    deputy_cookies = {"sessionid": deputy["session"], "csrftoken": deputy["csrf"]}
    staff_cookies = {"sessionid": staff["session"]}
    # The deputy's visit as the phone form posts it, with one reception answered on the spot.
    visit_body = urlencode({
        "csrfmiddlewaretoken": deputy["csrf"], "station": deputy["station_id"], "date": setup["today"],
        "start_time": "09:00", "end_time": "10:30", "summary": "基准测试 {n}：接待群众，走访村（社区）",
        "r-TOTAL_FORMS": "1", "r-INITIAL_FORMS": "0", "r-MIN_NUM_FORMS": "0", "r-MAX_NUM_FORMS": "30",
        "r-0-visitor_name": "群众", "r-0-category": setup["category_id"], "r-0-content": "反映村口路灯不亮",
        "r-0-handling": "answered", "r-0-feedback": "已联系村委会",
    }).replace("%7Bn%7D", "{n}")
    return {
        t.name: t
        for t in [
            Target("bare", "GET /ping（裸 Django 视图，无数据库）", "GET", "/ping"),
            Target("station_page", "GET /s/<code>/（站点公开页，含意见表单）", "GET", f"/s/{station_code}/"),
            Target(
                "opinion_post", "POST /api/v1/public/opinions/（提交意见）", "POST",
                "/api/v1/public/opinions/", post_body, "application/json",
            ),
            Target(
                "opinion_post_async_commit", "POST /api/v1/public/opinions/（synchronous_commit=off，对照）",
                "POST", "/api/v1/public/opinions/", post_body, "application/json",
                pgoptions="-c synchronous_commit=off",
            ),
            Target("track_page", "GET /track/<code>/（查询办理进度）", "GET", f"/track/{tracking_code}/"),
            Target(
                "track_api", "GET /api/v1/public/opinions/<code>/", "GET",
                f"/api/v1/public/opinions/{tracking_code}/",
            ),
            Target(
                "visit_form", "GET /stations/visits/new/（代表：进站履职表单）", "GET", "/stations/visits/new/",
                cookies=deputy_cookies,
            ),
            Target(
                "visit_post", "POST /stations/visits/new/（代表：提交进站履职，含一条接待）", "POST",
                "/stations/visits/new/", visit_body, "application/x-www-form-urlencoded", cookies=deputy_cookies,
            ),
            Target(
                "suggestion_list", "GET /suggestions/（工作人员：建议列表）", "GET", "/suggestions/",
                cookies=staff_cookies,
            ),
            Target(
                "opinion_inbox", "GET /opinions/（工作人员：群众意见收件箱）", "GET", "/opinions/",
                cookies=staff_cookies,
            ),
            Target("dashboard", "GET /dashboard/（工作人员：统计工作台）", "GET", "/dashboard/", cookies=staff_cookies),
        ]
    }


DATA_LABELS = {"deputies": "代表", "stations": "站点", "opinions": "群众意见", "suggestions": "建议", "visits": "进站"}
DEFAULT_TARGETS = "bare,station_page,opinion_post,visit_form,visit_post,suggestion_list,opinion_inbox,dashboard"
ALL_TARGETS = DEFAULT_TARGETS + ",opinion_post_async_commit,track_page,track_api"


SETUP = textwrap.dedent(
    """
    import json
    from opinions import services
    from opinions.models import Opinion
    from stations.models import Category, Station, StationMembership, Visit
    from suggestions.models import Suggestion
    from deputies.models import Deputy
    from divisions.models import Township
    station = (Station.objects.filter(is_active=True, memberships__isnull=False)
               .order_by("pk").first())
    if station is None:
        township, _ = Township.objects.get_or_create(name="基准镇")
        station = Station.objects.create(name="基准测试代表联络站", township=township, address="人民路1号")
        for i in range(6):
            deputy = Deputy.objects.create(name=f"基准代表{i}", gender="male", level="county", term=18,
                                           township=township)
            StationMembership.objects.create(station=station, deputy=deputy)
    category = Category.objects.filter(is_active=True).order_by("sort_order", "pk").first()
    opinion = Opinion.objects.filter(station=station).first() or services.submit_opinion(
        station=station, category=category, content="基准测试查询页面用的意见，内容不少于十个字。")

    # Signed-in users: a deputy who is a member of a station and a county-wide staff member (the
    # data set's own accounts when there are, else bench_* accounts).
    from django.contrib.auth import get_user_model
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client
    from django.utils import timezone
    from accounts.models import Role
    User = get_user_model()
    deputy = (Deputy.objects.filter(user__isnull=False, user__is_active=True, status="active",
                                    memberships__isnull=False).select_related("user").order_by("pk").first())
    if deputy is None:
        deputy = Deputy.objects.filter(user__isnull=True, status="active", memberships__isnull=False).first()
        deputy.user = User.objects.create_user("bench_deputy", role=Role.DEPUTY)
        deputy.save(update_fields=["user"])
    staff = User.objects.filter(role=Role.STAFF, region__isnull=True, is_active=True).order_by("pk").first()
    if staff is None:
        staff = User.objects.create_user("bench_staff", role=Role.STAFF)

    def session_of(user):
        client = Client()
        client.force_login(user)
        return client.cookies["sessionid"].value

    print("BENCH_SETUP " + json.dumps({
        "station": station.code, "category": category.name, "category_id": category.pk,
        "tracking_code": opinion.tracking_code, "today": timezone.localdate().isoformat(),
        "deputy": {"username": deputy.user.username, "session": session_of(deputy.user),
                   "csrf": _get_new_csrf_string(),
                   "station_id": deputy.memberships.order_by("pk").first().station_id},
        "staff": {"username": staff.username, "session": session_of(staff)},
        "counts": {"deputies": Deputy.objects.count(), "stations": Station.objects.count(),
                   "opinions": Opinion.objects.count(), "suggestions": Suggestion.objects.count(),
                   "visits": Visit.objects.count()},
    }, ensure_ascii=False))
    """
)


QUERY_COUNT = textwrap.dedent(
    """
    import json, time
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    targets = json.loads(TARGETS)
    counts = {}
    for name, method, path, body, content_type, cookies in targets:
        client = Client(REMOTE_ADDR="127.0.0.9")
        for key, value in cookies.items():
            client.cookies[key] = value
        for attempt in range(2):  # the second request is the one counted (warm caches)
            with CaptureQueriesContext(connection) as queries:
                if method == "GET":
                    response = client.get(path)
                else:
                    data = body.replace("{n}", f"count-{time.time()}-{attempt}")
                    response = client.post(path, data=data, content_type=content_type)
        counts[name] = {"queries": len(queries), "status": response.status_code}
    print("BENCH_QUERIES " + json.dumps(counts))
    """
)


def count_queries(env, targets):
    """SQL queries per request of each target (in-process, the second of two requests)."""
    payload = json.dumps(
        [[t.name, t.method, t.path, t.body, t.content_type, t.cookies] for t in targets], ensure_ascii=False
    )
    code = f"TARGETS = {payload!r}\n" + QUERY_COUNT
    out = run([PYTHON, "manage.py", "shell", "-c", code], env, capture_output=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH_QUERIES "))
    return json.loads(line.removeprefix("BENCH_QUERIES "))


def prepare(env, seed_demo):
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    if seed_demo:
        run([PYTHON, "manage.py", "seed_demo"], env, stdout=subprocess.DEVNULL)
    out = run([PYTHON, "manage.py", "shell", "-c", SETUP], env, capture_output=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH_SETUP "))
    return json.loads(line.removeprefix("BENCH_SETUP "))


def wrk(url, target, connections, duration, script, nonce):
    threads = max(1, min(connections, 2))
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script)]
    if target.method != "GET":
        cmd += ["-H", f"Content-Type: {target.content_type}"]
    if target.cookies:
        cmd += ["-H", "Cookie: " + "; ".join(f"{k}={v}" for k, v in target.cookies.items())]
    cmd += [url + target.path, "--", nonce, target.body]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def measure(url, target, connections, args, work, queries):
    script = script_for(target, work)
    for c in connections:
        nonce = f"{int(time.time() * 1000)}"
        # Warm every worker (lazy imports, the broker connection) whatever `c` is measured.
        wrk(url, target, max(c, 2 * args.workers), args.warmup, script, "warm" + nonce)
        result = wrk(url, target, c, args.duration, script, nonce)
        result.update(target=target.name, label=target.label, connections=c, queries=queries[target.name]["queries"])
        print(
            f"{target.name:14} c={c:<3} {result['rps']:8.0f} req/s  p50 {result['p50'] / 1000:6.1f} ms  "
            f"p95 {result['p95'] / 1000:6.1f} ms  p99 {result['p99'] / 1000:6.1f} ms  "
            f"errors {result['status_errors'] + result['socket_errors']}",
            flush=True,
        )
        yield result


def script_for(target, directory):
    """The Lua script, with the method set for this target."""
    path = Path(directory) / f"{target.name}.lua"
    path.write_text(f'wrk.method = "{target.method}"\n' + LUA)
    return path


def markdown(results, meta):
    rows = [
        "| 目标 | 每请求 SQL | 并发 | 请求/秒 | p50 (ms) | p95 (ms) | p99 (ms) | 非2xx/3xx | 与裸视图之比 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    bare = {r["connections"]: r["rps"] for r in results if r["target"] == "bare"}
    for r in results:
        ratio = r["rps"] / bare[r["connections"]] if r["connections"] in bare else float("nan")
        rows.append(
            f"| {r['label']} | {r['queries']} | {r['connections']} | {r['rps']:.0f} | {r['p50'] / 1000:.1f} | "
            f"{r['p95'] / 1000:.1f} | {r['p99'] / 1000:.1f} | {r['status_errors'] + r['socket_errors']} | "
            f"{ratio:.2f} |"
        )
    head = (
        f"测量于 {meta['date']}：{meta['machine']}；gunicorn {meta['workers']} 个 sync worker（每个目标相同），"
        f"PostgreSQL {meta['postgres']}，Redis（缓存、限流、Celery 队列），DEBUG=0；"
        f"wrk 与服务器在同一台机器上，每项先预热 {meta['warmup']} 秒，再测 {meta['duration']} 秒；"
        f"测试前后的 1 分钟平均负载 {meta['load']}。数据：{meta['data']}。"
    )
    return head + "\n\n" + "\n".join(rows) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--targets", default=DEFAULT_TARGETS, help=f"comma-separated, of: {ALL_TARGETS}"
    )
    parser.add_argument("--connections", default="1,16")
    parser.add_argument("--duration", type=int, default=15, help="seconds measured per target and concurrency")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--seed-demo", action="store_true", help="load the demo county first (slower)")
    parser.add_argument("--write-docs", metavar="PATH", help="replace this harness's section of PATH")
    parser.add_argument("--json", metavar="PATH", help="also write the raw results as JSON")
    parser.add_argument("--from-json", metavar="PATH", help="measure nothing: write the docs from a --json file")
    args = parser.parse_args()
    if args.from_json:
        saved = json.loads(Path(args.from_json).read_text())
        table = markdown(saved["results"], saved["meta"])
        print(table)
        write_docs(args.write_docs, table)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    database_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lianxin_bench")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
    static_root = tempfile.mkdtemp(prefix="lianxin-bench-static-")
    work = tempfile.mkdtemp(prefix="lianxin-bench-")
    env = production_env(
        database_url=database_url, redis_url=redis_url, static_root=static_root,
        media_root=Path(work) / "media",
    )
    ensure_database(database_url)
    collectstatic(env)
    setup = prepare(env, args.seed_demo)
    available = targets_for(setup)
    chosen = [available[name] for name in args.targets.split(",")]
    if "bare" not in args.targets.split(","):
        chosen.insert(0, available["bare"])
    connections = [int(c) for c in args.connections.split(",")]
    queries = count_queries(env, chosen)

    load_before = os.getloadavg()[0]
    results = []
    try:
        # One server per PGOPTIONS variant (the same workers); targets keep their order.
        for pgoptions in dict.fromkeys(t.pgoptions for t in chosen):
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            server_env = {**env, "PGOPTIONS": pgoptions} if pgoptions else env
            server = start_gunicorn(server_env, port, args.workers, Path(work) / "gunicorn.log")
            try:
                for target in (t for t in chosen if t.pgoptions == pgoptions):
                    results.extend(measure(url, target, connections, args, work, queries))
            finally:
                stop(server)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    postgres = postgres_version(database_url)
    meta = {
        "date": datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} 核 / {platform.machine()} / Python {platform.python_version()}",
        "workers": args.workers,
        "postgres": postgres,
        "duration": args.duration,
        "warmup": args.warmup,
        "load": f"{load_before:.1f} → {os.getloadavg()[0]:.1f}",
        "data": "，".join(
            f"{DATA_LABELS[key]} {value:,}" for key, value in setup["counts"].items()
        ),
    }
    table = markdown(results, meta)
    print()
    print(table)
    if args.json:
        Path(args.json).write_text(json.dumps({"meta": meta, "results": results}, ensure_ascii=False, indent=2))
    if args.write_docs:
        write_docs(args.write_docs, table)
    shutil.rmtree(work, ignore_errors=True)


def write_docs(path, table):
    from bench.markdown import replace_section

    if path:
        replace_section(path, "bench/http_bench.py", SECTION_TITLE + "\n\n" + table + "\n" + SECTION_NOTES)


SECTION_TITLE = "## 公开页、代表和工作人员页面与裸 Django 视图对比（`bench/http_bench.py`）"
SECTION_NOTES = textwrap.dedent(
    """\
    - 复现（一条命令；先造一次城市规模数据，2–7 分钟，视机器）：`apt-get install -y wrk`，
      `DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python manage.py migrate`、
      `DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python manage.py generate_synthetic
      --scale city --seed 1`，然后
      `BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/http_bench.py
      --write-docs docs/benchmarks.md`（约 7 分钟）。`--targets` 可加 `track_page,track_api,opinion_post_async_commit`。
    - “与裸视图之比”= 该目标的请求/秒 ÷ 同一并发下 `GET /ping` 的请求/秒（`/ping` 不访问数据库、不渲染模板，
      只经过同一套中间件），即 Django 本身之外，页面和接口的开销。
    - 登录页面：开始前用 `force_login` 为数据中的 `deputy`（驻站代表）和 `staff`（全县工作人员）各建一个会话，
      wrk 每个请求带会话 cookie；提交进站履职另带 CSRF cookie 和表单字段，每次内容不同，成功时返回 302。
      提交意见和查询的频率限制在测试期间用环境变量调高，计数照常写入 Redis。“每请求 SQL”在进程内用测试客户端数得。
    - **机器的快慢**：表头记录了测量时的负载。不同会话的机器不同：2026-12-02 所用机器的单核速度约为本次的三分之一
      （裸视图 16 并发 872 对本次约 2,600 请求/秒；纯 Python 一千万次循环约 2 秒对 0.65 秒），绝对数字不能跨机器比较，
      与裸视图之比更有参考意义。wrk、gunicorn、PostgreSQL 和 Redis 同在这台 2 核机器上。
    - 站点公开页（目标：不低于裸视图的 50%）：匿名访客的整页缓存在 Redis（`stations/public.py`），重复访问 0 条 SQL、
      一次 Redis 往返；页面内容不变，只把表单里的 CSRF 令牌换成访客自己的。站点、成员、值班日和值班代表、代表信息、
      值班规则、乡镇、意见类别、征集中的票决任何变更都立即让页面失效（版本键；事务提交后再失效一次，渲染中途提交的变更
      不会被缓存成旧页面），月排班的批量写入也会失效；`tests/stations/test_public_cache.py` 逐项验证。此前每次 6 条 SQL、
      约 40 ms，为裸视图的 5–7%。
    - 工作人员页面（目标：16 并发 p95 < 150 ms）：
      - 建议列表和群众意见收件箱：一页先只读 30 行的（主键、`updated_at`[、办理时限]），每行的 HTML 按行保存在 Redis
        （`core.caching.rendered_rows`，`LIST_ROW_CACHE_SECONDS`），该行保存（每一步办理都更新 `updated_at`，
        清除个人信息也是）、行上显示的名称（代表、乡镇、类别、承办单位、会议、站点）变更、日期翻过一天（剩余天数）
        或意见超过时限时重新渲染，只渲染缺的行；每次发布都会运行的 `migrate` 让旧版本模板渲染的行全部作废。
        空筛选表单（全部选项，城市规模下建议约 300 个、意见含 1,400 个站点）按角色和范围共享
        （`FILTER_FORM_CACHE_SECONDS`）。收件箱不加筛选时的总数（扫描十万条意见，约占页面用时的三分之一）
        按范围共享，任何意见或站点变更即失效。进程内（见下节）：建议列表约 8 ms（各行都要渲染时约 18 ms），
        收件箱约 10 ms（此前约 27 ms；再之前在上一台机器上约 480 ms）。行的缓存和失效由
        `tests/suggestions/test_row_cache.py`、`tests/opinions/test_row_cache.py` 逐项验证（改名、换状态、跨日、
        逾期、承办单位的主办/协办、缓存不可用时照常渲染）。
      - 统计看板：全年统计（13 条聚合查询：每张表按月份、乡镇、类型一次分组，合计和分项由分组相加）和渲染好的
        图块、图表、表格按“年度 × 范围”共享 `DASHBOARD_CACHE_SECONDS`（默认 60 秒，年度报告和接口仍实时计算），
        每次请求剩 4 条 SQL（会话、用户、未读通知、乡镇选项）和外层模板。
      - 16 并发时 2 个核上同时排着 16 个请求，p95 约等于 16 ÷ 每秒请求数，由每个请求的 CPU 用时（Python 加
        PostgreSQL）决定，不是由单个请求的快慢决定。
    - 进站履职表单（代表手机）：先列本人和本乡镇的站点（`?all=1` 列全部），接待记录的村（社区）只列这些站点所在乡镇的
      村（`?all=1` 列全部；任何村都接受，已选的村在表单退回时仍在列表里）。城市规模下页面从 85 KB 降到 12 KB，
      进程内从约 33 ms 降到约 17 ms（原来全部村的下拉框出现两次：表单和“再接待一位”的模板）。
    - 提交意见（11 条 SQL，一个事务）和提交进站履职（23 条：进站、接待、审计、值班签到、待发任务）受数据库限制：
      写入和提交时的磁盘等待，见下节的 SQL 用时。
    """
)


if __name__ == "__main__":
    main()
