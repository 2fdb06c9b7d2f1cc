#!/usr/bin/env python3
"""City-scale benchmark: a city's staff on a whole city's data (issue 16).

    .venv/bin/python manage.py generate_synthetic --scale city      # into BENCH_DATABASE_URL's database
    .venv/bin/python bench/city_scale.py                            # 16 clients, 15 s per target
    .venv/bin/python bench/city_scale.py --write-docs docs/benchmarks.md

On the database of BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lianxin_city),
which must hold `generate_synthetic --scale city` (8 counties and districts, ~90 townships, 1,400
stations, 8,300 deputies, three years of records; accounts `city_staff` and `county_staff`):
1. counts the SQL queries of the city staff's suggestion list, opinion inbox, deputies' roster
   and dashboard, and of the same pages for the first county's staff (in-process, the second of
   two requests): scoping by subtree must cost the city no query more than a county;
2. serves the portal with gunicorn (production settings, as bench/http_bench.py) and measures with
   wrk at --connections clients: the bare view (/ping), the public station page, and each of the
   four pages for the city's staff (and, for comparison, the county's);
3. prints a Markdown table (p95 against the 150 ms target, the station page's throughput against
   half the bare view's) and with --write-docs replaces this harness's section of
   docs/benchmarks.md.

Requires wrk. Traffic goes to 127.0.0.1 only; every run is bounded by --duration."""

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import textwrap
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.http_bench import Target, count_queries, measure  # noqa: E402
from bench.stack import (  # noqa: E402
    PYTHON, collectstatic, free_port, postgres_version, production_env, run, start_gunicorn, stop,
)

PAGES = [
    ("suggestion_list", "/suggestions/", "建议列表"),
    ("opinion_inbox", "/opinions/", "群众意见收件箱"),
    ("roster", "/deputies/", "代表名册"),
    ("dashboard", "/dashboard/", "统计工作台"),
]
P95_TARGET_MS = 150
STATION_RATIO_TARGET = 0.5

SETUP = textwrap.dedent(
    """
    import json
    from django.contrib.auth import get_user_model
    from django.test import Client
    from deputies.models import Deputy
    from divisions.models import Region
    from opinions.models import Opinion
    from stations.models import Station, Visit
    from suggestions.models import Suggestion
    User = get_user_model()

    def session_of(username):
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client.cookies["sessionid"].value

    station = Station.objects.filter(is_active=True, memberships__isnull=False).order_by("pk").first()
    print("BENCH_SETUP " + json.dumps({
        "station": station.code,
        "city": session_of("city_staff"), "county": session_of("county_staff"),
        "county_name": User.objects.get(username="county_staff").region.name,
        "counts": {"counties": Region.objects.filter(level="county").count(),
                   "townships": Region.objects.filter(level="township").count(),
                   "deputies": Deputy.objects.count(), "stations": Station.objects.count(),
                   "visits": Visit.objects.count(), "opinions": Opinion.objects.count(),
                   "suggestions": Suggestion.objects.count()},
    }, ensure_ascii=False))
    """
)
DATA_LABELS = {"counties": "县（区）", "townships": "乡镇（街道）", "deputies": "代表", "stations": "站点",
               "visits": "进站履职", "opinions": "群众意见", "suggestions": "建议"}

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--connections", default="16")
parser.add_argument("--duration", type=int, default=15, help="seconds measured per target")
parser.add_argument("--warmup", type=int, default=3)
parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
parser.add_argument("--county", action="store_true", help="also measure the county staff's pages under load")
parser.add_argument("--only", help="measure only these targets (comma-separated names, e.g. bare,city_roster)")
parser.add_argument("--also", action="append", default=[], metavar="PATH",
                    help="also measure this path as the city's staff (to compare a page with a light one)")
parser.add_argument("--write-docs", metavar="PATH", help="replace this harness's section of PATH")
parser.add_argument("--json", metavar="PATH", help="also write the raw results as JSON")
parser.add_argument("--from-json", metavar="PATH", help="measure nothing: write the docs from a --json file")


def targets(setup, with_county, also=()):
    chosen = [
        Target("bare", "GET /ping（裸 Django 视图）", "GET", "/ping"),
        Target("station_page", "GET /s/<code>/（站点公开页）", "GET", f"/s/{setup['station']}/"),
    ]
    for who, label in [("city", "市工作人员"), ("county", "县工作人员")]:
        for name, path, page in PAGES:
            target = Target(f"{who}_{name}", f"{label}：{page} {path}", "GET", path,
                            cookies={"sessionid": setup[who]})
            target.measured = who == "city" or with_county
            chosen.append(target)
    for n, path in enumerate(also):
        chosen.append(Target(f"also{n}", f"市工作人员：{path}", "GET", path, cookies={"sessionid": setup["city"]}))
    return chosen


def markdown(results, queries, meta):
    bare = {r["connections"]: r["rps"] for r in results if r["target"] == "bare"}
    rows = [
        "| 目标 | 每请求 SQL（市 / 县） | 并发 | 请求/秒 | p50 (ms) | p95 (ms) | p99 (ms) | 非2xx/3xx | 与裸视图之比 | 指标 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        name = r["target"]
        ratio = r["rps"] / bare[r["connections"]] if r["connections"] in bare else float("nan")
        if name.startswith(("city_", "county_")):
            page = name.split("_", 1)[1]
            sql = f"{queries['city_' + page]['queries']} / {queries['county_' + page]['queries']}"
            goal = "达标" if r["p95"] / 1000 < P95_TARGET_MS else f"未达标（p95 目标 < {P95_TARGET_MS} ms）"
        else:
            sql = str(queries[name]["queries"])
            goal = ""
            if name == "station_page":
                goal = "达标" if ratio >= STATION_RATIO_TARGET else "未达标（目标 ≥ 0.5 × 裸视图）"
        rows.append(
            f"| {r['label']} | {sql} | {r['connections']} | {r['rps']:.0f} | {r['p50'] / 1000:.1f} | "
            f"{r['p95'] / 1000:.1f} | {r['p99'] / 1000:.1f} | {r['status_errors'] + r['socket_errors']} | "
            f"{ratio:.2f} | {goal} |"
        )
    same = all(queries[f"city_{n}"]["queries"] == queries[f"county_{n}"]["queries"] for n, _p, _l in PAGES)
    head = (
        f"测量于 {meta['date']}：{meta['machine']}（**2 个核与另外几个同时工作的代理共用**，结果偏慢且有波动）；"
        f"gunicorn {meta['workers']} 个 sync worker，PostgreSQL {meta['postgres']}，Redis，DEBUG=0；"
        f"wrk 与服务器在同一台机器上，每项先预热 {meta['warmup']} 秒，再测 {meta['duration']} 秒；"
        f"测试前后的 1 分钟平均负载 {meta['load']}。数据（`generate_synthetic --scale city`）：{meta['data']}。"
        f"市工作人员与{meta['county_name']}工作人员的每请求 SQL 条数{'相同' if same else '不同'}。"
    )
    return head + "\n\n" + "\n".join(rows) + "\n"


SECTION_TITLE = "## 市级规模：市工作人员的列表与工作台（bench/city_scale.py）"
SECTION_NOTES = """
**结论（如实记录）**：

- **每请求 SQL 条数：达标。** 市工作人员与县工作人员打开建议列表、群众意见收件箱、代表名册、统计工作台的
  SQL 条数完全相同（6 / 6 / 8 / 6）：按子树取数不多花一条查询（用户的辖区在每个请求里读一次，各列表只用
  `congress_id IN (…)`、`township_id IN (…)` 这样的列条件）。小规模的同一断言在
  `tests/demo/test_synthetic_city.py` 中作为普通测试运行。
- **站点公开页吞吐：达标。** 约为裸视图的 0.55 / 0.76（两次测量）；它的 p95 偏高，是同机其他进程抢占 CPU
  时的排队。
- **16 并发下 p95 < 150 ms：未达标。** 两次测量中四个页面的 p95 都在 0.6–1.9 s。测量时这台 2 核机器上另有
  几个代理在跑测试和生成数据，1 分钟平均负载 10–13，即本基准只分到约六分之一的 CPU；裸视图本身在 16
  并发下也只有 200–340 请求/秒。单个请求在进程内测得（缓存已预热，同样的负载下，中位数）：建议列表
  29–40 ms（其中 SQL 8–29 ms），收件箱 29–37 ms（SQL 9–14 ms），代表名册 51–62 ms（SQL 17–25 ms），
  工作台 25–29 ms（SQL 9–13 ms）。16 个并发客户端要在 150 ms 内完成 95% 的请求，每页需约 110 请求/秒，
  即每请求占用 CPU 不超过约 18 ms（2 个核全归本服务时）；现在每请求的 Python 渲染（模板、表单）约占一半以上，
  SQL 不是主要部分。在这台共用的机器上无法判断专用机器能否达标；要达标需要专用的核，并继续缩短名册
  （最慢，51–62 ms）和列表的渲染。
- **EXPLAIN 找到并修掉的一处退化**：第一版转办的读取规则是“本辖区人大受理的，或本辖区人大转办出去的
  （办理记录的子查询）”，子查询在 OR 里使 PostgreSQL 放弃索引：县工作人员收件箱的一页从 1 ms 变成
  140 ms（`Index Scan Backward … Join Filter … Rows Removed by Join Filter: 455463`）。改为只读意见本身的
  两列（当前受理人大、最初受理人大，`congress_id = ANY(…) OR received_by_id = ANY(…)`）后：县收件箱一页
  0.3 ms、计数 22 ms（原按站点过滤的计数 107 ms），镇收件箱一页 0.8 ms；市工作人员的计数仍是全表扫描
  （161 ms，与原来相同量级），未筛选的收件箱计数本来就按辖区缓存。
- 生成数据：`generate_synthetic --scale city` 在同样拥挤的机器上用 416 秒（7 分钟，峰值内存 0.9 GB）
  写入 112 万行，其中群众意见的逐步重放占 194 秒。
"""


def write_docs(path, table):
    from bench.markdown import replace_section

    if path:
        replace_section(path, "bench/city_scale.py", SECTION_TITLE + "\n\n" + table + SECTION_NOTES)


def main():
    args = parser.parse_args()
    if args.from_json:
        saved = json.loads(Path(args.from_json).read_text())
        table = markdown(saved["results"], saved["queries"], saved["meta"])
        print(table)
        write_docs(args.write_docs, table)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    database_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lianxin_city")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
    static_root = tempfile.mkdtemp(prefix="lianxin-city-static-")
    work = tempfile.mkdtemp(prefix="lianxin-city-")
    env = production_env(database_url=database_url, redis_url=redis_url, static_root=static_root,
                         media_root=Path(work) / "media")
    # The synthetic accounts' passwords are as old as the data: no redirect to change them.
    env["PASSWORD_MAX_AGE_DAYS"] = "0"
    collectstatic(env)
    out = run([PYTHON, "manage.py", "shell", "-c", SETUP], env, capture_output=True).stdout
    setup = json.loads(next(x for x in out.splitlines() if x.startswith("BENCH_SETUP ")).removeprefix("BENCH_SETUP "))
    chosen = targets(setup, args.county, args.also)
    if args.only:
        only = set(args.only.split(","))
        for target in chosen:
            target.measured = getattr(target, "measured", True) and target.name in only
    queries = count_queries(env, chosen)
    for name, _path, _label in PAGES:
        print(f"SQL {name}: city {queries['city_' + name]['queries']}, county {queries['county_' + name]['queries']}")
    connections = [int(c) for c in args.connections.split(",")]
    load_before = os.getloadavg()[0]
    results = []
    port = free_port()
    server = start_gunicorn(env, port, args.workers, Path(work) / "gunicorn.log")
    try:
        for target in chosen:
            if getattr(target, "measured", True):
                results.extend(measure(f"http://127.0.0.1:{port}", target, connections, args, work, queries))
    finally:
        stop(server)
        shutil.rmtree(static_root, ignore_errors=True)
    meta = {
        "date": datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} 核 / {platform.machine()} / Python {platform.python_version()}",
        "workers": args.workers, "postgres": postgres_version(database_url),
        "duration": args.duration, "warmup": args.warmup,
        "load": f"{load_before:.1f} → {os.getloadavg()[0]:.1f}",
        "data": "，".join(f"{DATA_LABELS[k]} {v:,}" for k, v in setup["counts"].items()),
        "county_name": setup["county_name"],
    }
    table = markdown(results, queries, meta)
    print()
    print(table)
    if args.json:
        Path(args.json).write_text(json.dumps({"meta": meta, "results": results, "queries": queries},
                                              ensure_ascii=False, indent=2))
    write_docs(args.write_docs, table)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
