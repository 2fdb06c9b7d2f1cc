#!/usr/bin/env python3
"""One web node against two, side by side (docs/deploy.md): requests/s of the public station
page and the staff's suggestion list, measured with wrk.

    .venv/bin/python bench/nodes.py --seed-demo              # 8 clients, 10 s per measurement
    .venv/bin/python bench/nodes.py --connections 16 --duration 20 --workers 2

Each node is a gunicorn with --workers sync workers (production settings, DEBUG off, the
database of BENCH_DATABASE_URL, Redis of BENCH_REDIS_URL: bench/http_bench.py prepares both the
same way). "One node" is wrk with --connections clients on one gunicorn; "two nodes" is two wrk
at once, each with half the clients, one per gunicorn (what a load balancer spreading requests
evenly does), their requests/s added. Both nodes share one PostgreSQL and one Redis.

On one machine two nodes share its cores: the figure says what a second process costs or gains
there, not what a second machine gives (that is nearly linear until PostgreSQL is the limit).
"""

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.http_bench import prepare, script_for, targets_for, wrk  # noqa: E402
from bench.stack import (  # noqa: E402
    collectstatic, ensure_database, free_port, postgres_version, production_env, start_gunicorn, stop,
)

TARGETS = ("station_page", "suggestion_list")


def measure(urls, target, connections, duration, warmup, work):
    script = script_for(target, work)
    share = max(1, connections // len(urls))
    nonce = f"{int(time.time() * 1000)}"
    with ThreadPoolExecutor(len(urls)) as pool:
        list(pool.map(lambda url: wrk(url, target, share, warmup, script, "warm" + nonce), urls))
        results = list(pool.map(lambda url: wrk(url, target, share, duration, script, nonce), urls))
    return {
        "rps": sum(r["rps"] for r in results),
        "p95": max(r["p95"] for r in results) / 1000,
        "errors": sum(r["status_errors"] + r["socket_errors"] for r in results),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=8, help="clients in all (split between the nodes)")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per node")
    parser.add_argument("--seed-demo", action="store_true", help="load the demo county first (an empty database)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    database_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lianxin_bench")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
    work = tempfile.mkdtemp(prefix="lianxin-nodes-")
    env = production_env(database_url=database_url, redis_url=redis_url, static_root=Path(work) / "static",
                         media_root=Path(work) / "media")
    ensure_database(database_url)
    collectstatic(env, compress=False)
    setup = prepare(env, seed_demo=args.seed_demo)
    targets = targets_for(setup)
    load_before = os.getloadavg()[0]
    servers = []
    rows = []
    try:
        for n in (1, 2):
            port = free_port()
            servers.append(start_gunicorn(env, port, args.workers, Path(work) / f"node{n}.log"))
        urls = [f"http://127.0.0.1:{s.port}" for s in servers]
        for name in TARGETS:
            one = measure(urls[:1], targets[name], args.connections, args.duration, args.warmup, work)
            two = measure(urls, targets[name], args.connections, args.duration, args.warmup, work)
            rows.append((targets[name].label, one, two))
            print(f"{name:16} one node {one['rps']:7.0f} req/s (p95 {one['p95']:.0f} ms)   "
                  f"two nodes {two['rps']:7.0f} req/s (p95 {two['p95']:.0f} ms)", flush=True)
    finally:
        for server in servers:
            stop(server)
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(f"{os.cpu_count()} 核 / {platform.machine()} / Python {platform.python_version()} / "
          f"PostgreSQL {postgres_version(database_url)}; {args.workers} workers per node, "
          f"{args.connections} clients, {args.duration} s each; load {load_before:.1f} → {os.getloadavg()[0]:.1f}")
    print()
    print("| page | one node: req/s (p95) | two nodes: req/s (p95) | errors |")
    print("|---|---:|---:|---:|")
    for label, one, two in rows:
        print(f"| {label} | {one['rps']:.0f} ({one['p95']:.0f} ms) | {two['rps']:.0f} ({two['p95']:.0f} ms) | "
              f"{one['errors'] + two['errors']} |")


if __name__ == "__main__":
    main()
