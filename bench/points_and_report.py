#!/usr/bin/env python3
"""Benchmark: a city's year of performance points and its annual report.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_reports_bench .venv/bin/python bench/points_and_report.py
    .venv/bin/python bench/points_and_report.py --write-docs docs/benchmarks.md

What it does:
1. migrates the database of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lianxin_reports_bench)
   and EMPTIES it (`flush`): use a database of its own;
2. builds a tenth of a city with bulk inserts and a year of records in proportion (the domain
   brief's Wuxi figures at full scale: 8,300 deputies, 1,400 stations, 13,000 visits, 28,000
   receptions, 36,000 opinions, 2,915 suggestions with co-signers, 3,162 activities with 19,601
   sign-ups, weekly learning materials, the 逢6 duty shifts, a congress session, elected projects);
3. measures the year's points for every deputy (`points.ledger.standings`), one deputy's ledger
   and the whole annual report (`reports.services.build_annual_report`: figures, charts, Word,
   Excel) with their SQL query counts;
4. adds the other nine tenths and measures again: the query counts must be the same;
5. prints a Markdown section; with --write-docs it replaces this harness's section of the file.

The issue's bar: the year's points for all deputies and the annual report each in under 30
seconds at city scale, with a number of queries that does not grow with the deputies.

    .venv/bin/python bench/points_and_report.py --scales county,city,province --write-docs docs/benchmarks.md

measures instead how both grow: the same generator builds a county (a tenth of the city), then
adds to it up to the city, then up to a province (ten cities, 83,000 deputies: about 100 tenths,
some 20 minutes of inserts); at each scale it times the points and the report (no tracing), then
runs them again under tracemalloc for the peak of Python memory they allocate. `--scales
county,city` stops at the city. It writes its own section (`bench/points_and_report.py --scales`)."""

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, bench/ would come first on the path and bench/markdown.py would shadow the
# Markdown package that DRF imports.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

CITY = {
    "deputies": 8300, "stations": 1400, "townships": 60, "visits": 13000, "receptions": 28000,
    "opinions": 36000, "suggestions": 2915, "activities": 3162, "signups": 19601, "units": 60,
}
MATERIALS = 52  # one a week
READ_SHARE = 0.25  # of deputy × material pairs
SHIFT_DAYS = (6, 16, 26)


def setup_django(database_url, reports_root):
    os.environ["DATABASE_URL"] = database_url
    os.environ["REPORTS_ROOT"] = reports_root
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-not-for-production")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def build(part, parts, year, rng):
    """Add part `part` of `parts` of the city (townships, stations, deputies and their year)."""
    from django.db import transaction
    from django.utils import timezone

    from deputies.models import CongressSession, Deputy, Level, SessionAttendance
    from divisions.models import Congress, HandlingUnit, Township
    from opinions.models import Opinion, State as OpinionState
    from stations.models import (
        Activity, ActivitySignup, Category, DutyAssignment, DutyShift, LearningMaterial, MaterialRead,
        Reception, Station, StationMembership, Visit,
    )
    from suggestions.models import Category as SuggestionCategory
    from suggestions.models import Cosigner, Suggestion

    def share(key):
        return CITY[key] // parts

    def moment(day, hour=10):
        return timezone.make_aware(datetime.combine(day, clock(hour, 0)))

    def day_of_year():
        return date(year, 1, 1) + timedelta(days=rng.randrange(365))

    batch = 5000
    with transaction.atomic():
        category, _ = Category.objects.get_or_create(name="交通出行")
        s_category, _ = SuggestionCategory.objects.get_or_create(name="城乡建设")
        units = list(HandlingUnit.objects.all()) or HandlingUnit.objects.bulk_create(
            [HandlingUnit(name=f"市第{i + 1}局") for i in range(CITY["units"])]
        )
        session = CongressSession.objects.filter(level=Level.COUNTY, term=18, number=1).first() or \
            CongressSession.objects.create(level=Level.COUNTY, term=18, number=1, name="第十八届人民代表大会第一次会议",
                                           start_date=date(year, 1, 8), end_date=date(year, 1, 11))
        offset = Township.objects.count()
        towns = Township.objects.bulk_create(
            [Township(name=f"第{offset + i + 1}镇", sort_order=offset + i) for i in range(share("townships"))]
        )
        kinds = list(Station.Kind)
        stations = Station.objects.bulk_create(
            [Station(name=f"{towns[i % len(towns)].name}第{i + 1}站", kind=kinds[i % len(kinds)],
                     township=towns[i % len(towns)]) for i in range(share("stations"))],
            batch_size=batch,
        )
        deputies = Deputy.objects.bulk_create(
            [Deputy(name=f"代表{offset}-{i}", gender="male", level=Level.COUNTY, term=18,
                    township=towns[i % len(towns)]) for i in range(share("deputies"))],
            batch_size=batch,
        )
        StationMembership.objects.bulk_create(
            [StationMembership(station=stations[i % len(stations)], deputy=d) for i, d in enumerate(deputies)],
            batch_size=batch,
        )
        members = {}
        for i, d in enumerate(deputies):
            members.setdefault(stations[i % len(stations)].pk, []).append(d)
        SessionAttendance.objects.bulk_create(
            [SessionAttendance(session=session, deputy=d, status=rng.choices(
                ["present", "excused", "absent"], [90, 7, 3])[0]) for d in deputies],
            batch_size=batch,
        )
        visits = []
        for _ in range(share("visits")):
            station = rng.choice(stations)
            visits.append(Visit(deputy=rng.choice(members[station.pk]), station=station, date=day_of_year(),
                                start_time=clock(9), end_time=clock(11)))
        visits = Visit.objects.bulk_create(visits, batch_size=batch)
        Reception.objects.bulk_create(
            [Reception(visit=rng.choice(visits), visitor_name="群众", category=category, content="反映道路问题")
             for _ in range(share("receptions"))],
            batch_size=batch,
        )
        congress = Congress.objects.default()  # bulk inserts fill in no congress (a county: its own)
        Opinion.objects.bulk_create(
            [Opinion(station=rng.choice(stations), category=category, congress=congress, received_by=congress, content="村口道路坑洼，希望修补。",
                     state=rng.choice([OpinionState.CLOSED, OpinionState.CLOSED, OpinionState.HANDLING,
                                       OpinionState.SUBMITTED]),
                     created_at=moment(day_of_year())) for _ in range(share("opinions"))],
            batch_size=batch,
        )
        suggestions = []
        for i in range(share("suggestions")):
            lead = rng.choice(deputies)
            state = rng.choice(["replied", "evaluated", "closed", "assigned"])
            answered = state != "assigned"
            suggestions.append(Suggestion(
                title=f"建议{offset}-{i}", content="内容", category=s_category, lead_deputy=lead,
                congress=congress, received_by=congress,
                township=lead.township, year=year, number=offset * 10000 + i + 1, state=state,
                lead_unit=rng.choice(units), submitted_at=moment(day_of_year()), assigned_at=moment(date(year, 3, 1)),
                first_replied_at=moment(date(year, 5, 1)) if answered else None,
                reply_class=rng.choice("AABC") if answered else "",
                rating=rng.choice(["satisfied", "satisfied", "basic", "unsatisfied"]) if state in ("evaluated", "closed") else "",
                is_key=i % 40 == 0,
            ))
        suggestions = Suggestion.objects.bulk_create(suggestions, batch_size=batch)
        Cosigner.objects.bulk_create(
            [Cosigner(suggestion=s, deputy=d, confirmed_at=s.submitted_at)
             for s in suggestions for d in {rng.choice(deputies) for _ in range(3)} if d.pk != s.lead_deputy_id],
            batch_size=batch,
        )
        activity_kinds = list(Activity.Kind)
        activities = []
        for i in range(share("activities")):
            starts = moment(day_of_year(), 14)
            station = rng.choice(stations)
            activities.append(Activity(title=f"活动{offset}-{i}", kind=activity_kinds[i % len(activity_kinds)],
                                       starts_at=starts, ends_at=starts + timedelta(hours=2),
                                       signup_deadline=starts - timedelta(days=1), station=station,
                                       township=station.township))
        activities = Activity.objects.bulk_create(activities, batch_size=batch)
        pairs = {(rng.randrange(len(activities)), rng.randrange(len(deputies))) for _ in range(share("signups"))}
        ActivitySignup.objects.bulk_create(
            [ActivitySignup(activity=activities[a], deputy=deputies[d],
                            attendance=rng.choice(["attended", "attended", "attended", "absent"])) for a, d in pairs],
            batch_size=batch,
        )
        materials = list(LearningMaterial.objects.all()) or LearningMaterial.objects.bulk_create(
            [LearningMaterial(title=f"第{w + 1}周学习资料", published_at=moment(date(year, 1, 1) + timedelta(weeks=w)))
             for w in range(MATERIALS)]
        )
        reads = [MaterialRead(material=m, deputy=d) for d in deputies for m in materials if rng.random() < READ_SHARE]
        MaterialRead.objects.bulk_create(reads, batch_size=batch)
        MaterialRead.objects.filter(deputy__in=deputies).update(read_at=moment(date(year, 6, 1)))
        shifts = DutyShift.objects.bulk_create(
            [DutyShift(station=s, date=date(year, month, day), start_time=clock(9), end_time=clock(11, 30))
             for s in stations for month in range(1, 13) for day in SHIFT_DAYS],
            batch_size=batch,
        )
        assignments = []
        for shift in shifts:
            for slot, deputy in enumerate(rng.sample(members[shift.station_id], min(2, len(members[shift.station_id])))):
                assignments.append(DutyAssignment(shift=shift, deputy=deputy, slot=slot,
                                                  attendance="absent" if rng.random() < 0.1 else "attended"))
        DutyAssignment.objects.bulk_create(assignments, batch_size=batch)
    return len(deputies)


def build_projects(year):
    from votes.models import Candidate, ProjectVote

    vote = ProjectVote.objects.create(title=f"{year}年民生实事项目票决", year=year, term=18, seats=10,
                                      status="implementing")
    Candidate.objects.bulk_create(
        [Candidate(vote=vote, number=i + 1, title=f"民生实事项目{i + 1}", summary="项目简介", elected=i < 10,
                   rank=i + 1 if i < 10 else None, progress_percent=10 * i % 100) for i in range(12)]
    )


def counts():
    from deputies.models import Deputy
    from opinions.models import Opinion
    from stations.models import ActivitySignup, DutyAssignment, MaterialRead, Reception, Station, Visit
    from suggestions.models import Suggestion

    return {
        "deputies": Deputy.objects.count(), "stations": Station.objects.count(), "visits": Visit.objects.count(),
        "receptions": Reception.objects.count(), "opinions": Opinion.objects.count(),
        "suggestions": Suggestion.objects.count(), "signups": ActivitySignup.objects.count(),
        "reads": MaterialRead.objects.count(), "duty": DutyAssignment.objects.count(),
    }


def measure(year):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from deputies.models import Deputy
    from points.ledger import ledger, standings
    from reports import services
    from reports.models import GeneratedReport

    results = {}
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        table = standings(year)
        results["points"] = (time.perf_counter() - started, len(queries), len(table.rows))
    deputy = Deputy.objects.get(pk=table.rows[0].deputy_id)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        entries = ledger(deputy, year)
        results["ledger"] = (time.perf_counter() - started, len(queries), len(entries))
    report = GeneratedReport.objects.create(year=year)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        report = services.build_annual_report(report.pk)
        results["report"] = (time.perf_counter() - started, len(queries), report.status)
    assert report.status == "done", report.error
    assert sum(e.points for e in entries) == table.rows[0].total
    return results


SCALE_PARTS = {"county": 1, "city": 10, "province": 100}  # in tenths of the city
SCALE_LABELS = {"county": "县（城市的十分之一）", "city": "市", "province": "省（十个城市）"}


def traced_peak(function, *args):
    """`function(*args)` under tracemalloc: its result and the peak of Python memory it allocated."""
    import tracemalloc

    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    try:
        result = function(*args)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    return result, peak


def measure_growth(year):
    """Points and the annual report: seconds and queries untraced, then the traced peaks."""
    from points.ledger import standings
    from reports import services
    from reports.models import GeneratedReport

    results = measure(year)

    def report():
        built = services.build_annual_report(GeneratedReport.objects.create(year=year).pk)
        assert built.status == "done", built.error

    results["points_peak"] = traced_peak(standings, year)[1]
    results["report_peak"] = traced_peak(report)[1]
    return results


def analyze(connection):
    """Fresh planner statistics after a bulk load, as autovacuum gives a database that grew over
    years: right after inserting a province in minutes it has not run, and the planner takes the
    new rows for a handful (a province's points took 56 s instead of a few)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def growth(scales, write_docs, connection):
    from django.utils import timezone

    year = timezone.localdate().year - 1
    rng = random.Random(2026)
    built_parts, build_seconds, rows = 0, 0.0, []
    for scale in scales:
        started = time.perf_counter()
        while built_parts < SCALE_PARTS[scale]:
            build(built_parts, 10, year, rng)
            built_parts += 1
            if built_parts % 10 == 0:
                print(f"built {built_parts} tenths of a city", flush=True)
        if not rows:
            build_projects(year)
        analyze(connection)
        if not rows:
            measure(year)  # warm-up (fonts, imports)
        build_seconds += time.perf_counter() - started
        row = {"scale": scale, "counts": counts(), "build": build_seconds, **measure_growth(year)}
        print(scale, {k: v for k, v in row.items() if k != "counts"}, flush=True)
        rows.append(row)
    text = render_growth(year, rows, connection)
    print(text)
    if write_docs:
        from bench.markdown import replace_section

        replace_section(ROOT / write_docs, "bench/points_and_report.py --scales", text)


def render_growth(year, rows, connection):
    lines = [
        "## 履职积分和年度工作报告：县、市、省三级规模（`bench/points_and_report.py --scales`）",
        "",
        f"同一个造数程序先建一个县（城市的十分之一），再补齐到市、到省（十个城市），每级十倍，记录一年（{year}年）。"
        f"每级先计时（不跟踪内存），再在 tracemalloc 下重跑一次，记录 Python 分配内存的峰值。"
        f"运行于 {os.cpu_count()} 核 {platform.machine()}，"
        f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}，Python {platform.python_version()}，"
        f"{date.today():%Y-%m-%d}。",
        "",
        "| 规模 | 代表 | 站点 | 进站 | 接待 | 意见 | 值班人次 | 累计造数 | 积分：用时 | 查询 | 内存峰值 | "
        "年度报告：用时 | 查询 | 内存峰值 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        c = row["counts"]
        lines.append(
            f"| {SCALE_LABELS[row['scale']]} | {c['deputies']:,} | {c['stations']:,} | {c['visits']:,} | "
            f"{c['receptions']:,} | {c['opinions']:,} | {c['duty']:,} | {row['build']:.0f} s | "
            f"{row['points'][0]:.2f} s | {row['points'][1]} | {row['points_peak'] / 2**20:.1f} MiB | "
            f"{row['report'][0]:.2f} s | {row['report'][1]} | {row['report_peak'] / 2**20:.1f} MiB |"
        )
    lines.append("")
    for previous, row in zip(rows, rows[1:]):
        size = row["counts"]["deputies"] / previous["counts"]["deputies"]
        lines.append(
            f"- {SCALE_LABELS[previous['scale']]} → {SCALE_LABELS[row['scale']]}（代表 ×{size:.0f}）：积分用时 "
            f"×{row['points'][0] / previous['points'][0]:.1f}、内存 ×{row['points_peak'] / previous['points_peak']:.1f}；"
            f"年度报告用时 ×{row['report'][0] / previous['report'][0]:.1f}、"
            f"内存 ×{row['report_peak'] / previous['report_peak']:.1f}。"
        )
    lines += [
        "",
        "复现：`DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_reports_bench .venv/bin/python "
        "bench/points_and_report.py --scales county,city,province --write-docs docs/benchmarks.md`（会清空该数据库）。",
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", help="county,city,province: measure the growth instead (see above)")
    parser.add_argument("--database-url", default=os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lianxin_reports_bench"))
    parser.add_argument("--write-docs", help="replace this harness's section of the given Markdown file")
    args = parser.parse_args()
    reports_root = tempfile.mkdtemp(prefix="lianxin-bench-reports-")
    setup_django(args.database_url, reports_root)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    if args.scales:
        growth(args.scales.split(","), args.write_docs, connection)
        return
    year = timezone.localdate().year - 1
    rng = random.Random(2026)
    parts = 10
    started = time.perf_counter()
    build(0, parts, year, rng)
    build_projects(year)
    analyze(connection)
    measure(year)  # warm-up (fonts, imports)
    small = (counts(), measure(year))
    for part in range(1, parts):
        build(part, parts, year, rng)
    analyze(connection)
    built = time.perf_counter() - started
    full = (counts(), measure(year))
    section = render(year, small, full, built, connection)
    print(section)
    if args.write_docs:
        from bench.markdown import replace_section

        replace_section(ROOT / args.write_docs, "bench/points_and_report.py", section)
    ok = all(full[1][k][0] < 30 for k in ("points", "report")) and all(
        small[1][k][1] == full[1][k][1] for k in ("points", "ledger", "report"))
    sys.exit(0 if ok else 1)


def render(year, small, full, built, connection):
    def n(value):
        return f"{value:,}"

    lines = [
        "## 履职积分和年度工作报告（`bench/points_and_report.py`）",
        "",
        f"一个城市一年的记录（{year}年）：先建十分之一，再补齐到全量。运行于 {os.cpu_count()} 核 {platform.machine()}，"
        f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}，Python {platform.python_version()}，"
        f"{date.today():%Y-%m-%d}；造数 {built:.0f} 秒。",
        "",
        "| 规模 | 代表 | 站点 | 进站 | 接待 | 意见 | 建议 | 活动报名 | 阅读 | 值班人次 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, (c, _r) in (("十分之一", small), ("全量", full)):
        lines.append(f"| {label} | {n(c['deputies'])} | {n(c['stations'])} | {n(c['visits'])} | {n(c['receptions'])} | "
                     f"{n(c['opinions'])} | {n(c['suggestions'])} | {n(c['signups'])} | {n(c['reads'])} | {n(c['duty'])} |")
    lines += [
        "",
        "| 计算 | 十分之一：用时 | 查询 | 全量：用时 | 查询 |",
        "|---|---:|---:|---:|---:|",
    ]
    names = {"points": "全体代表年度积分和排名（standings）", "ledger": "一名代表的积分明细（ledger）",
             "report": "年度工作报告（统计、图表、Word、Excel）"}
    for key, label in names.items():
        s, f = small[1][key], full[1][key]
        lines.append(f"| {label} | {s[0]:.2f} s | {s[1]} | {f[0]:.2f} s | {f[1]} |")
    lines += [
        "",
        f"- 目标：全量下积分和年度报告各在 30 秒内完成，查询数不随代表人数增长。"
        f"十分之一与全量的查询数：积分 {small[1]['points'][1]} / {full[1]['points'][1]}，"
        f"年度报告 {small[1]['report'][1]} / {full[1]['report'][1]}。",
        "- 积分按事项在数据库中分组计数（每个事项一条 GROUP BY 查询），再按规则和年度上限计分；排名在内存中对 8,300 行排序。",
        "- 一名代表的积分明细与排名表中的总分一致（脚本断言）。",
        "",
        "复现：`DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_reports_bench .venv/bin/python "
        "bench/points_and_report.py --write-docs docs/benchmarks.md`（会清空该数据库）。",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
