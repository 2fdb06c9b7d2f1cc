#!/usr/bin/env python3
"""Load test: a realistic mix on gunicorn + PostgreSQL + Redis + a Celery worker, with locust.

    .venv/bin/python bench/load.py                  # find the rate, then 5 minutes at it; docs
    .venv/bin/python bench/load.py --duration 60    # a shorter check (docs left alone)
    .venv/bin/python bench/load.py --users 40       # skip the search, run at 40 users

The mix (bench/locustfile.py): the public reading station pages, submitting opinions
(anonymous, unique content) and looking them up by tracking code; deputies signed in on a
phone logging visits with one to three receptions (CSRF, forms as a browser posts them);
staff opening the suggestions, the opinions inbox and the deputies' roster.

What it does, in order:
1. creates (or reuses) the database of LOAD_DATABASE_URL (default
   postgres://postgres@127.0.0.1:5432/lianxin_load), migrates it and loads the demo county
   (`seed_demo`) when it has none; collects static files into a temporary directory;
2. starts gunicorn (sync workers, DEBUG=0, the public rate limits raised through the
   environment, as bench/http_bench.py does: bench/stack.py) and a Celery worker on
   LOAD_REDIS_URL (default redis://127.0.0.1:6379/14);
3. warms every gunicorn worker up (30 s of the same mix, not measured), then steps the
   number of locust users up (--steps); each step is a fresh locust run whose
   first --warm-up seconds (ramp-up, logins) are left out of the statistics, then
   --step-duration seconds measured; the search stops at the first step whose p95 passes
   --p95 ms or that has an error, and tries once halfway back;
4. runs --duration seconds (default 300) at the highest step that kept p95 under the limit
   with no error, then counts in the database the rows that carry this run's nonce and
   compares them with the submissions locust saw succeed; waits for the Celery queue and
   the outbox to drain;
5. prints the results and, for a full run, replaces this harness's section of
   docs/benchmarks.md (bench/markdown.py). Exit status 1 on any error or count mismatch.

Traffic goes to 127.0.0.1 only and every locust run is bounded by --run-time.
"""

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    # Run as a script, bench/ comes first on the path: find bench.* as package modules instead.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
    sys.path.insert(0, str(ROOT))

from bench import stack  # noqa: E402

LOCUSTFILE = ROOT / "bench" / "locustfile.py"
DEMO_PASSWORD = "lianxin-demo"
MARK = "压测 {nonce}-"  # what bench/locustfile.py puts in every submission of a run


# --- In Django (called through `manage.py shell`, or directly by the CI test) -----------------

def plan(nonce, *, password=DEMO_PASSWORD, staff=("staff", "staff_qs"), deputies=60):
    """What the locust users need from the database: active stations with members (their
    public codes), the opinion categories, existing tracking codes, deputies with an account
    who belong to an active station, and the staff accounts to sign in as."""
    from accounts.models import Role, User
    from opinions.models import Opinion
    from stations.models import Category, Station

    stations = list(
        Station.objects.active().filter(memberships__isnull=False).distinct()
        .order_by("pk").values_list("code", flat=True)[:50]
    )
    deputy_accounts = list(
        User.objects.filter(
            role=Role.DEPUTY, is_active=True, deputy__status="active",
            deputy__memberships__station__is_active=True,
        ).distinct().order_by("username").values_list("username", flat=True)[:deputies]
    )
    return {
        "nonce": nonce,
        "password": password,
        "stations": stations,
        "categories": list(Category.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)),
        "tracking_codes": list(Opinion.objects.order_by("-pk").values_list("tracking_code", flat=True)[:200]),
        "deputies": deputy_accounts,
        "staff": list(User.objects.filter(username__in=staff, is_active=True).values_list("username", flat=True)),
    }


def rows(nonce):
    """The rows a run wrote, found by its nonce, and the Celery work still waiting."""
    from core.models import OutboxMessage
    from opinions.models import Opinion
    from stations.models import Reception, Visit

    mark = MARK.format(nonce=nonce)
    visits = Visit.objects.filter(summary__contains=mark)
    return {
        "opinions": Opinion.objects.filter(content__contains=mark).count(),
        "visits": visits.count(),
        "receptions": Reception.objects.filter(visit__in=visits).count(),
        "follow_up_receptions": Reception.objects.filter(visit__in=visits, handling="follow_up").count(),
        "opinions_from_receptions": Opinion.objects.filter(reception__visit__in=visits).count(),
        "outbox_unsent": OutboxMessage.objects.filter(sent_at__isnull=True).count(),
    }


def mismatches(submitted, found):
    """Where the database and the successful submissions disagree (empty when they agree)."""
    pairs = [
        ("opinions", submitted.get("opinions", 0), found["opinions"]),
        ("visits", submitted.get("visits", 0), found["visits"]),
        ("receptions", submitted.get("receptions", 0), found["receptions"]),
        ("opinions from follow-up receptions", found["follow_up_receptions"], found["opinions_from_receptions"]),
    ]
    return [f"{name}: {expected} submitted, {actual} in the database" for name, expected, actual in pairs
            if expected != actual]


# --- Locust -----------------------------------------------------------------------------------

def run_locust(*, host, plan_data, users, warm_up, measure, workdir, label="run", spawn_seconds=None):
    """One headless locust run of bench/locustfile.py: `users` users spawned over
    `spawn_seconds` (default: the first half of the warm-up, at most 10 s), statistics reset
    after `warm_up` s, then `measure` s measured. Returns the per-request statistics, the
    successful submissions and the load average seen."""
    workdir = Path(workdir)
    spawn_seconds = spawn_seconds or min(10, max(1, warm_up / 2))
    plan_path = workdir / f"{label}-plan.json"
    counts_path = workdir / f"{label}-counts.json"
    prefix = workdir / label
    plan_path.write_text(json.dumps(plan_data, ensure_ascii=False))
    env = {
        **os.environ,
        "LOAD_PLAN": str(plan_path),
        "LOAD_COUNTS": str(counts_path),
        "LOAD_MEASURE_AFTER": str(warm_up),
    }
    cmd = [
        str(stack.BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--host", host,
        "--users", str(users), "--spawn-rate", f"{max(users / spawn_seconds, 1):.2f}",
        "--run-time", f"{warm_up + measure}s", "--stop-timeout", "30",
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
    ]
    load = LoadSampler()
    with load, open(workdir / f"{label}-locust.log", "w") as log:
        # Exit status 1 means "some requests failed": read in the statistics, not raised here.
        subprocess.run(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, timeout=warm_up + measure + 120)
    if not counts_path.exists():
        raise RuntimeError(f"locust did not finish:\n{(workdir / f'{label}-locust.log').read_text()[-3000:]}")
    counts = json.loads(counts_path.read_text())
    return {"users": users, "stats": read_stats(f"{prefix}_stats.csv"), "submitted": counts["submitted"],
            "errors": counts["errors"], "load": load.summary(), "measured": measure, "nonce": plan_data["nonce"]}


def read_stats(path):
    def number(value):
        try:
            return float(value)
        except (TypeError, ValueError):
            return 0.0

    result = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            name = "Aggregated" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
            result[name] = {
                "requests": int(number(row["Request Count"])),
                "failures": int(number(row["Failure Count"])),
                "rps": number(row["Requests/s"]),
                "p50": number(row["50%"]),
                "p95": number(row["95%"]),
                "p99": number(row["99%"]),
                "max": number(row["Max Response Time"]),
            }
    return result


def errors_of(result):
    """Failed requests over the whole run, warm-up included."""
    return sum(result["errors"].values())


class LoadSampler:
    """The 1-minute load average every 5 s while a run lasts (the machine may be shared)."""

    def __enter__(self):
        self.samples = [os.getloadavg()[0]]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(5):
            self.samples.append(os.getloadavg()[0])

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.samples.append(os.getloadavg()[0])

    def summary(self):
        return {"min": min(self.samples), "mean": statistics.mean(self.samples), "max": max(self.samples)}


# --- The harness ------------------------------------------------------------------------------

def django_json(env, code, tag):
    out = stack.manage(env, "shell", "-c", code, capture_output=True).stdout
    line = next(x for x in out.splitlines() if x.startswith(tag + " "))
    return json.loads(line.removeprefix(tag + " "))


def db_rows(env, nonce):
    return django_json(env, f"import json; from bench.load import rows; print('LOAD_ROWS ' + json.dumps(rows({nonce!r})))",
                       "LOAD_ROWS")


PREPARE = textwrap.dedent("""
    import json
    from accounts.models import User
    from bench.load import plan
    from deputies.models import Deputy
    from opinions.models import Opinion
    from stations.models import Station, Visit
    from suggestions.models import Suggestion
    print('LOAD_PREPARE ' + json.dumps({
        "demo": User.objects.filter(username='staff').exists(),
        "plan": plan(""),
        "data": {"deputies": Deputy.objects.count(), "stations": Station.objects.count(),
                 "opinions": Opinion.objects.count(), "visits": Visit.objects.count(),
                 "suggestions": Suggestion.objects.count()},
    }))
""")


def prepare(env):
    """Migrate, load the demo county when it is not there, and read the plan and the data's size."""
    stack.manage(env, "migrate", "--noinput", "-v", "0")
    prepared = django_json(env, PREPARE, "LOAD_PREPARE")
    if not prepared["demo"]:
        print("loading the demo county (seed_demo) ...", flush=True)
        stack.manage(env, "seed_demo", stdout=subprocess.DEVNULL)
        prepared = django_json(env, PREPARE, "LOAD_PREPARE")
    return prepared


def wait_for_queue(env, redis_url, queue, timeout=120):
    """Seconds until the Celery queue is empty and the outbox has nothing unsent (None: not in time)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    unsent = ["psql", env["DATABASE_URL"], "-tAc", "SELECT count(*) FROM core_outboxmessage WHERE sent_at IS NULL"]
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if client.llen(queue) == 0 and subprocess.run(unsent, capture_output=True, text=True).stdout.strip() == "0":
            return time.monotonic() - start
        time.sleep(2)
    return None


def describe(result):
    a = result["stats"]["Aggregated"]
    return (f"{result['users']:4d} users  {a['rps']:6.1f} req/s  p50 {a['p50']:5.0f} ms  p95 {a['p95']:5.0f} ms  "
            f"p99 {a['p99']:5.0f} ms  errors {errors_of(result)}  load {result['load']['mean']:.1f}")


def search(args, host, base_plan, workdir, limit):
    """Step the users up until p95 passes `limit` or an error appears; one step halfway back."""
    steps, good, bad = [], None, None
    for users in args.steps:
        result = step(args, host, base_plan, workdir, users)
        steps.append(result)
        if passes(result, limit):
            good = result
        else:
            bad = result
            break
    if good and bad and bad["users"] - good["users"] >= 10:
        middle = step(args, host, base_plan, workdir, (good["users"] + bad["users"]) // 2)
        steps.append(middle)
        if passes(middle, limit):
            good = middle
    return steps, good


def step(args, host, base_plan, workdir, users):
    nonce = f"step{users}-{uuid.uuid4().hex[:8]}"
    result = run_locust(host=host, plan_data={**base_plan, "nonce": nonce}, users=users, warm_up=args.warm_up,
                        measure=args.step_duration, workdir=workdir, label=f"step-{users}")
    print("  step " + describe(result), flush=True)
    return result


def passes(result, limit):
    return result["stats"]["Aggregated"]["p95"] <= limit and errors_of(result) == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=300, help="seconds of the final run (default 300)")
    parser.add_argument("--users", type=int, help="run at this many users, without the search")
    parser.add_argument("--steps", default="5,10,20,30,40,60,80,100,130,160,200",
                        type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--step-duration", type=int, default=30, help="seconds measured per step")
    parser.add_argument("--warm-up", type=int, default=20, help="seconds of each run left out of the statistics")
    parser.add_argument("--p95", type=float, default=300, help="the p95 limit in ms")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--write-docs", metavar="PATH",
                        help="replace this harness's section of PATH (default: docs/benchmarks.md for a run of "
                             "300 s or more, none for a shorter check)")
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--json", metavar="PATH", help="also write the raw results as JSON")
    args = parser.parse_args()
    docs = None if args.no_docs else args.write_docs or ("docs/benchmarks.md" if args.duration >= 300 else None)

    database_url = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lianxin_load")
    redis_url = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/14")
    queue = "lianxin-load"
    workdir = Path(tempfile.mkdtemp(prefix="lianxin-load-"))
    env = stack.production_env(
        database_url=database_url, redis_url=redis_url, static_root=workdir / "static",
        media_root=workdir / "media", CELERY_QUEUE=queue, CACHE_KEY_PREFIX=f"load-{uuid.uuid4().hex[:6]}",
    )
    print(f"database {database_url}, Redis {redis_url}, work files in {workdir}", flush=True)
    stack.ensure_database(database_url)
    prepared = prepare(env)
    base_plan, data = prepared["plan"], prepared["data"]
    stack.collectstatic(env, compress=False)  # the scenario fetches no static file: the manifest is enough

    port = stack.free_port()
    host = f"http://127.0.0.1:{port}"
    worker = stack.start_celery_worker(env, workdir / "worker.log", wait=False)
    server = stack.start_gunicorn(env, port, args.workers, workdir / "gunicorn.log", wait=False)
    try:
        stack.wait_for_worker(worker)
        stack.wait_for_gunicorn(server)
        # Every gunicorn worker renders every page once (templates, imports, connections)
        # before anything is measured; this run's numbers are dropped.
        print("warming the server up (30 s, not measured) ...", flush=True)
        run_locust(host=host, plan_data={**base_plan, "nonce": f"warm-{uuid.uuid4().hex[:8]}"},
                   users=4 * args.workers, warm_up=30, measure=0, workdir=workdir, label="warm")
        if args.users:
            steps, users = [], args.users
        else:
            print(f"searching for the highest load with p95 ≤ {args.p95:.0f} ms and no error:", flush=True)
            steps, good = search(args, host, base_plan, workdir, args.p95)
            users = good["users"] if good else args.steps[0]
        print(f"final run: {users} users for {args.duration} s", flush=True)
        nonce = f"final-{uuid.uuid4().hex[:8]}"
        final = run_locust(host=host, plan_data={**base_plan, "nonce": nonce}, users=users, warm_up=args.warm_up,
                           measure=args.duration, workdir=workdir, label="final")
        print("  final " + describe(final), flush=True)
        drained = wait_for_queue(env, redis_url, queue)
        found = db_rows(env, nonce)
    finally:
        stack.stop(server)
        stack.stop(worker)
    problems = mismatches(final["submitted"], found)
    errors = errors_of(final)

    meta = {
        "date": datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} 核 / {platform.machine()} / Python {platform.python_version()}",
        "workers": args.workers,
        "postgres": stack.postgres_version(database_url),
        "data": data,
        "p95_limit": args.p95,
        "warm_up": args.warm_up,
        "step_duration": args.step_duration,
        "duration": args.duration,
        "drained": drained,
    }
    text = markdown(meta, steps, final, found, problems)
    print()
    print(text)
    print(f"successful submissions: opinions {final['submitted'].get('opinions', 0)}, "
          f"visits {final['submitted'].get('visits', 0)}, receptions {final['submitted'].get('receptions', 0)}")
    print(f"in the database:        opinions {found['opinions']}, visits {found['visits']}, "
          f"receptions {found['receptions']} (follow-ups {found['follow_up_receptions']} → opinions "
          f"{found['opinions_from_receptions']})")
    if args.json:
        Path(args.json).write_text(json.dumps({"meta": meta, "steps": steps, "final": final, "rows": found},
                                              ensure_ascii=False, indent=2))
    if docs:
        from bench.markdown import replace_section

        replace_section(docs, "bench/load.py", text)
        print(f"wrote the load test's section of {docs}")
    shutil.rmtree(workdir, ignore_errors=True)
    if errors or problems:
        print(f"FAILED: {errors} errors; " + "; ".join(problems + [f"{k} ×{v}" for k, v in final["errors"].items()]))
        sys.exit(1)


LABELS = {
    "GET /s/[code]/": "站点公开页",
    "POST /s/[code]/opinion/": "提交意见（匿名）",
    "GET /track/[code]/submitted/": "提交成功页",
    "GET /track/[code]/": "按查询码查进度",
    "GET /accounts/login/": "登录页",
    "POST /accounts/login/": "登录",
    "GET /stations/visits/new/": "代表：进站登记表",
    "POST /stations/visits/new/": "代表：提交进站登记和接待",
    "GET /stations/visits/[id]/": "代表：登记详情",
    "GET /stations/visits/": "代表：我的进站记录",
    "GET /suggestions/": "工作人员：代表建议列表",
    "GET /opinions/": "工作人员：群众意见收件箱",
    "GET /deputies/": "工作人员：代表名册",
    "GET /deputies/?search=": "工作人员：代表名册检索",
    "GET /stations/": "工作人员：站点列表",
}


def markdown(meta, steps, final, found, problems):
    ms = lambda v: f"{v:.0f}"  # noqa: E731
    lines = [SECTION_TITLE, ""]
    load = final["load"]
    data = meta["data"]
    lines.append(
        f"测量于 {meta['date']}：{meta['machine']}；gunicorn {meta['workers']} 个 sync worker，Celery worker "
        f"（prefork 2 进程），PostgreSQL {meta['postgres']}，Redis，DEBUG=0；locust 与服务器在同一台机器上。"
        f"数据：演示县（`seed_demo`，{data['deputies']} 名代表、{data['stations']} 个站点、"
        f"{data['opinions']} 条意见、{data['visits']} 次进站记录、{data['suggestions']} 件建议）。"
        f"**测量时机器上还有其他会话在运行**：正式运行期间 1 分钟平均负载 {load['min']:.1f}–{load['max']:.1f}"
        f"（平均 {load['mean']:.1f}，2 核），数字偏低且有噪声，应在空闲机器上用同一条命令重测。"
    )
    lines.append("")
    if steps:
        lines += [
            f"**逐级加压**（每级先热身 {meta['warm_up']} 秒——启动用户、登录——不计入统计，再测 "
            f"{meta['step_duration']} 秒）：",
            "",
            "| 用户数 | 请求/秒 | p50 (ms) | p95 (ms) | p99 (ms) | 错误 | 平均负载 | p95 ≤ "
            f"{meta['p95_limit']:.0f} ms 且无错误 |",
            "|---:|---:|---:|---:|---:|---:|---:|:---:|",
        ]
        for s in sorted(steps, key=lambda s: s["users"]):
            a = s["stats"]["Aggregated"]
            ok = a["p95"] <= meta["p95_limit"] and errors_of(s) == 0
            lines.append(f"| {s['users']} | {a['rps']:.1f} | {ms(a['p50'])} | {ms(a['p95'])} | {ms(a['p99'])} | "
                         f"{errors_of(s)} | {s['load']['mean']:.1f} | {'✓' if ok else '✗'} |")
        lines.append("")
    a = final["stats"]["Aggregated"]
    lines += [
        f"**正式运行**：{final['users']} 个用户，{meta['duration']} 秒（另有 {meta['warm_up']} 秒热身不计），"
        f"共 {a['requests']} 个请求，{a['rps']:.1f} 请求/秒，p95 {ms(a['p95'])} ms，错误 {errors_of(final)}。"
        + over_limit(meta, steps, final),
        "",
        "| 请求 | 说明 | 次数 | 错误 | p50 (ms) | p95 (ms) | p99 (ms) | 请求/秒 |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, s in final["stats"].items():
        if name == "Aggregated" or not s["requests"]:  # the logins fall in the warm-up
            continue
        lines.append(f"| `{name}` | {LABELS.get(name, '')} | {s['requests']} | {s['failures']} | {ms(s['p50'])} | "
                     f"{ms(s['p95'])} | {ms(s['p99'])} | {s['rps']:.2f} |")
    lines.append(f"| 合计 | | {a['requests']} | {a['failures']} | {ms(a['p50'])} | {ms(a['p95'])} | "
                 f"{ms(a['p99'])} | {a['rps']:.1f} |")
    sub = final["submitted"]
    drained = meta["drained"]
    lines += [
        "",
        "**数据库核对**（正式运行的全部 {0} 秒，含热身；按本次运行写入每条内容的标记计数）：".format(
            meta["duration"] + meta["warm_up"]),
        "",
        "| | 成功提交（locust） | 数据库中 |",
        "|---|---:|---:|",
        f"| 群众意见 | {sub.get('opinions', 0)} | {found['opinions']} |",
        f"| 进站登记 | {sub.get('visits', 0)} | {found['visits']} |",
        f"| 接待记录 | {sub.get('receptions', 0)} | {found['receptions']} |",
        f"| 待跟进接待 → 自动生成的意见 | {found['follow_up_receptions']} | {found['opinions_from_receptions']} |",
        "",
        ("结果：一致。" if not problems else "结果：**不一致**：" + "；".join(problems) + "。")
        + ("运行结束时 Celery 队列和待发任务（outbox）已经清空。" if drained is not None and drained < 1
           else f"运行结束后 {drained:.0f} 秒内 Celery 队列和待发任务（outbox）清空。" if drained is not None
           else "运行结束后 120 秒内 Celery 队列或待发任务（outbox）**未清空**。"),
        "",
        SECTION_NOTES,
    ]
    return "\n".join(lines)


def over_limit(meta, steps, final):
    """A word when the final run's p95 passed the limit that its step kept."""
    p95 = final["stats"]["Aggregated"]["p95"]
    if p95 <= meta["p95_limit"]:
        return f"p95 在 {meta['p95_limit']:.0f} ms 以内。"
    step = next((s for s in steps if s["users"] == final["users"]), None)
    during = f"（逐级加压时这一级平均负载 {step['load']['mean']:.1f}，正式运行时 {final['load']['mean']:.1f}）" if step else ""
    return (f"**p95 超过了 {meta['p95_limit']:.0f} ms**：同一用户数在逐级加压时没有超过，正式运行期间机器上"
            f"其他会话的负载更高{during}。")


SECTION_TITLE = "## 综合负载：群众、代表、工作人员同时使用（`bench/load.py`，locust）"
SECTION_NOTES = textwrap.dedent(
    """\
    - 复现（一条命令：建库、演示数据、gunicorn + Celery worker、逐级加压、5 分钟正式运行、核对、写本节）：
      `.venv/bin/python bench/load.py`；`--duration 60` 做短检查（不写本节），`--users N` 跳过逐级加压。
      数据库和 Redis 由 `LOAD_DATABASE_URL`、`LOAD_REDIS_URL` 指定。
    - 用户构成（`bench/locustfile.py`，按权重 14 : 4 : 2）：群众（间隔 1–5 秒）打开站点公开页、
      匿名提交意见（每条内容不同）、用查询码查进度；代表（手机上登录一次，间隔 3–8 秒）打开进站登记表，
      提交一次进站和 1–3 条接待（约五分之一“待跟进”，同一请求里生成一条意见），再看详情和自己的记录；
      工作人员（登录一次，间隔 2–6 秒）打开代表建议列表、群众意见收件箱、代表名册（含检索）、站点列表。
      表单都按浏览器的方式提交（页面里的 CSRF 令牌，跳转只检查不跟随）。
    - 群众提交和查询的每 IP 频率限制在测试期间用环境变量调高（`PUBLIC_SUBMISSIONS_PER_HOUR`、
      `PUBLIC_LOOKUPS_PER_MINUTE`，与 `bench/http_bench.py` 相同，见 `bench/stack.py`）：所有请求都来自 127.0.0.1，
      不调高就只会测到 429。限流计数仍照常写入 Redis。
    - “请求/秒”是 locust 统计的全部请求（表单页、提交、提交后的详情页），不是“用户数”：用户之间有思考时间。
      登录（PBKDF2，一次约数百毫秒 CPU）每个会话一次，发生在热身期间，不计入统计。
    - 错误指 5xx、超时、连接失败和任何不符合预期的状态（例如提交后没有跳转到查询页）。
    - 同一台 2 核机器同时跑 locust、gunicorn、PostgreSQL、Redis 和 Celery worker，彼此争用 CPU；
      数据库放在单独的机器上时，Web 进程可用的 CPU 更多。CI 中有同一场景的 20 秒短版本
      （`tests/services/test_load.py`：零错误、数据库行数等于成功提交数）。
    """
)


if __name__ == "__main__":
    main()
