import time
from datetime import date

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.caching import bump_all_model_versions
from demo import synthetic


def iso_date(value):
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today 应为 YYYY-MM-DD 格式：{value}") from error


class Command(BaseCommand):
    help = (
        "生成县、市或省规模的合成数据（同一种子和日期得到相同数据），用于性能测试。"
        "只在空数据库上运行；已有数据时须加 --flush 先清空整个数据库。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(synthetic.SCALES), default="county",
                            help="county（市的十分之一）、city（8,300 名代表、1,400 个站点）或 province（市的十倍）")
        parser.add_argument("--factor", type=float,
                            help="直接给出相对市规模的比例（例如 0.005），代替 --scale；测试用")
        parser.add_argument("--counties", type=int,
                            help="县（区）个数：大于1时生成一个市及其县区（默认：county 规模1个，city 规模8个）")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")
        parser.add_argument("--today", type=iso_date,
                            help="数据截止的日期 YYYY-MM-DD（默认今天）；同一种子和日期生成相同的数据")
        parser.add_argument("--flush", action="store_true",
                            help="先清空整个数据库（manage.py flush），再生成。会删除数据库中的全部数据！")
        parser.add_argument("--batch-size", type=int, default=2000, help="每批写入的行数")

    def handle(self, *args, **options):
        factor = options["factor"] if options["factor"] is not None else synthetic.SCALES[options["scale"]]
        if not 0 < factor <= 50:
            raise CommandError("--factor 应在 0 到 50 之间。")
        state, counts = synthetic.database_state()
        if state != "empty":
            if not options["flush"]:
                held = "，".join(f"{name} {n}" for name, n in counts.items() if n)
                if state == "synthetic":
                    raise CommandError(f"数据库中已有一套合成数据（{held}）。要重新生成，请加 --flush 先清空数据库。")
                raise CommandError(
                    f"数据库中已有非合成数据（{held}），为免与真实数据或演示数据混在一起，拒绝运行。"
                    "请换一个空数据库；确认可以删除其中全部数据时，加 --flush 先清空。"
                )
            self.stdout.write("清空数据库……")
            call_command("flush", interactive=False, verbosity=0)
        label = options["scale"] if options["factor"] is None else f"factor {factor:g}"
        self.stdout.write(f"生成合成数据：{label}，种子 {options['seed']}")
        started = time.perf_counter()
        result = synthetic.generate(
            factor=factor, seed=options["seed"], today=options["today"], batch_size=options["batch_size"],
            log=self.stdout.write, counties=options["counties"],
        )
        bump_all_model_versions()  # bulk inserts send no signals: shared filter forms rebuild
        if connection.vendor == "postgresql":
            # A million rows in minutes outrun autovacuum: without fresh statistics the planner
            # takes the new tables for empty (nested loops over 100,000 rows).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        total = sum(result.counts.values())
        for name, count in sorted(result.counts.items()):
            self.stdout.write(f"  {name}: {count:,}")
        self.stdout.write(self.style.SUCCESS(
            f"完成：{total:,} 行，用时 {elapsed:.0f} 秒。账号 admin / staff / staff_t / deputy / unit / manager"
            f"{' / city_staff / county_staff' if result.counties > 1 else ''}，"
            f"密码 {synthetic.PASSWORD}"
        ))
