#!/usr/bin/env python3
"""Benchmark: a livelihood-projects vote (民生实事项目票决) at the largest electorate one congress has.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_votes_bench .venv/bin/python bench/votes_ballots.py
    .venv/bin/python bench/votes_ballots.py --write-docs docs/benchmarks.md

What it does:
1. migrates the database of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lianxin_votes_bench)
   and EMPTIES it (`flush`): use a database of its own;
2. builds --deputies active deputies of one congress (default 3,000: ten times a county's
   county-level congress, five times a city's) with accounts, and a vote of --candidates
   candidates for --seats seats;
3. times `open_voting` (freezing the electorate), every deputy casting at once from --threads
   threads (each with its own connection; latency per ballot), a mix of all ballots, publishing
   (last mix, count, SHA-256 digest) and the public results page, counting queries at a tenth
   of the electorate and at the whole (they must not grow);
4. checks that every ballot was counted exactly once and that the digest recounts; prints a
   Markdown section, and with --write-docs replaces this harness's section of the file."""

import argparse
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/ itself must not shadow packages (bench/markdown.py would hide the markdown package).
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))
START, END = "<!-- bench/votes_ballots.py:start -->", "<!-- bench/votes_ballots.py:end -->"


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
    # The results page is rendered without collectstatic: plain static storage.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    # Notices to the electorate are a worker's job: publish them nowhere here and time them apart.
    from congress.celery import app

    app.conf.update(task_always_eager=False, broker_url="memory://")


def build(deputies, candidates, seats):
    from datetime import date, timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from deputies.models import CongressSession, Deputy
    from divisions.models import HandlingUnit, Township
    from votes import services
    from votes.models import Candidate, ProjectVote

    User = get_user_model()
    township = Township.objects.create(name="城关镇")
    unit = HandlingUnit.objects.create(name="县住房和城乡建设局")
    password = make_password("bench-password-1")
    users = User.objects.bulk_create(
        [User(username=f"d{i:05d}", role="deputy", password=password) for i in range(deputies)]
    )
    Deputy.objects.bulk_create([
        Deputy(name=f"代表{i}", gender="male", level="county", term=18, township=township, user=user,
               phone=f"139{i:08d}", search_keys=f"daibiao{i}")
        for i, user in enumerate(users)
    ])
    staff = User.objects.create(username="staff", role="staff", password=password)
    session = CongressSession.objects.create(level="county", term=18, number=1, name="县第十八届人民代表大会第一次会议",
                                             start_date=date(2026, 1, 8), end_date=date(2026, 1, 11))
    vote = services.create_vote(by=staff, title="基准票决", year=2026, level="county", term=18,
                                session=session, seats=seats)
    services.start_screening(vote, by=staff)
    Candidate.objects.bulk_create([
        Candidate(vote=vote, number=i + 1, title=f"项目{i + 1}", summary="…", responsible_unit=unit, budget=100)
        for i in range(candidates)
    ])
    now = timezone.now()
    ProjectVote.objects.filter(pk=vote.pk).update(opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(hours=1))
    vote = ProjectVote.objects.get(pk=vote.pk)
    return vote, staff, list(User.objects.filter(role="deputy").select_related("deputy").order_by("pk"))


def timed(function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
    return result, elapsed, len(queries)


def cast_all(vote, users, candidates, seats, threads):
    import random

    from django.db import connections

    from votes import services

    latencies, failures = [], []
    ids = [c.pk for c in candidates]
    chunks = [users[i::threads] for i in range(threads)]
    barrier = threading.Barrier(threads)

    def worker(chunk, seed):
        rng = random.Random(seed)
        try:
            barrier.wait()
            for user in chunk:
                approve = rng.sample(ids, rng.randint(0, seats))
                start = time.perf_counter()
                services.cast_ballot(vote, by=user, approve=approve)
                latencies.append(time.perf_counter() - start)
        except Exception as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=worker, args=(chunk, n)) for n, chunk in enumerate(chunks)]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - start, latencies, failures


def page_queries(vote):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(f"/projects/votes/{vote.pk}/")
        elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    return elapsed, len(queries)


def run(args):
    import hashlib
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from votes import services, tally

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    start = time.perf_counter()
    vote, staff, users = build(args.deputies, args.candidates, args.seats)
    build_seconds = time.perf_counter() - start
    vote, open_seconds, open_queries = timed(lambda: services.open_voting(vote, by=staff))
    candidates = list(vote.candidates.order_by("number"))
    tenth = users[: args.deputies // 10]
    cast_seconds_10, lat_10, fail_10 = cast_all(vote, tenth, candidates, args.seats, args.threads)
    _m, mix_small_seconds, mix_small_queries = timed(lambda: services.mix_ballots(vote))
    _r, count_small_seconds, count_small_queries = timed(lambda: services.vote_result(vote))
    cast_seconds, latencies, failures = cast_all(vote, users[len(tenth):], candidates, args.seats, args.threads)
    assert not fail_10 and not failures, (fail_10 + failures)[:3]
    mixed, mix_seconds, mix_queries = timed(lambda: services.mix_ballots(vote))
    _r, count_seconds, count_queries = timed(lambda: services.vote_result(vote))
    services.close_voting(vote, by=staff)
    vote, publish_seconds, publish_queries = timed(
        lambda: services.publish_results(vote, by=staff, now=timezone.now() + timedelta(seconds=1)))
    page_seconds, page_query_count = page_queries(vote)
    cached_seconds, cached_query_count = page_queries(vote)
    from votes.services.cycle import notify_electorate

    _n, notify_seconds, notify_queries = timed(lambda: notify_electorate(vote, "published"))
    text = Client().get(f"/projects/votes/{vote.pk}/ballots.txt").content
    assert hashlib.sha256(text).hexdigest() == vote.result_digest
    lines = text.decode().splitlines()
    assert len(lines) == args.deputies == mixed
    recount = tally.decide(tally.recount(lines, [(c.pk, c.number) for c in candidates]), seats=args.seats,
                           eligible=args.deputies, cast=len(lines))
    assert recount == services.vote_result(vote)
    all_latencies = sorted(lat_10 + latencies)
    p95 = all_latencies[int(len(all_latencies) * 0.95) - 1]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0].split()[0]
    rows = [
        ("开始投票（冻结名单）", f"{args.deputies:,} 名代表", f"{open_seconds:.2f} s", open_queries),
        ("十分之一同时投票", f"{len(tenth):,} 张，{args.threads} 线程", f"{cast_seconds_10:.2f} s", "—"),
        ("其余同时投票", f"{len(users) - len(tenth):,} 张，{args.threads} 线程", f"{cast_seconds:.2f} s", "—"),
        ("重新随机排列（十分之一时）", f"{len(tenth):,} 张", f"{mix_small_seconds:.2f} s", mix_small_queries),
        ("重新随机排列（全部）", f"{mixed:,} 张 × {args.candidates} 项", f"{mix_seconds:.2f} s", mix_queries),
        ("计票（十分之一时）", f"{len(tenth):,} 张", f"{count_small_seconds:.3f} s", count_small_queries),
        ("计票（全部）", f"{mixed:,} 张", f"{count_seconds:.3f} s", count_queries),
        ("计票并公布（含最后一次排列和摘要）", f"{mixed:,} 张", f"{publish_seconds:.2f} s", publish_queries),
        ("公开结果页（首次，重新计票并核对摘要）", f"{args.candidates} 个候选项目", f"{page_seconds:.2f} s", page_query_count),
        ("公开结果页（缓存）", f"{args.candidates} 个候选项目", f"{cached_seconds:.3f} s", cached_query_count),
        ("通知全部代表（后台任务）", f"{args.deputies:,} 条", f"{notify_seconds:.1f} s", notify_queries),
    ]
    table = "\n".join(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows)
    return f"""{START}
## 民生实事项目票决（`bench/votes_ballots.py`）

一次票决：{args.deputies:,} 名投票代表（县级代表大会的十倍、市级的五倍），{args.candidates} 个候选项目、应选 {args.seats} 个，无记名投票。运行于 {os.cpu_count()} 核 {platform.machine()}，PostgreSQL {pg}，Python {platform.python_version()}，{timezone.localdate().isoformat()}；造数 {build_seconds:.0f} 秒。

| 步骤 | 规模 | 用时 | SQL 查询 |
|---|---|---:|---:|
{table}

- 每张选票（网上投票，含资格检查、共享锁、领取投票记录、写入选票）：中位 {statistics.median(all_latencies) * 1000:.0f} ms，95% {p95 * 1000:.0f} ms；全部 {args.deputies:,} 张 {(cast_seconds_10 + cast_seconds):.1f} 秒投完，吞吐约 {args.deputies / (cast_seconds_10 + cast_seconds):.0f} 张/秒。
- 每张选票恰好计入一次；公开的选票清单的 SHA-256 等于公布的摘要，按清单重新计票与数据库计票一致。
- 计票和重新排列的查询数不随选票数增长（十分之一与全部相同）。

复现：`DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_votes_bench .venv/bin/python bench/votes_ballots.py --write-docs docs/benchmarks.md`（会清空该数据库）。
{END}"""


def write_docs(path, section):
    path = Path(path)
    text = path.read_text() if path.exists() else "# 性能测试\n"
    if START in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lianxin_votes_bench"))
    parser.add_argument("--deputies", type=int, default=3000)
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--seats", type=int, default=15)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--write-docs", metavar="FILE")
    args = parser.parse_args()
    setup_django(args.database_url)
    section = run(args)
    print(section)
    if args.write_docs:
        write_docs(args.write_docs, section)


if __name__ == "__main__":
    main()
