"""`python manage.py workdays 2026-09-30 5` prints 2026-10-13: the date N working days after a
date, under the official calendar and the local overrides (core.calendar)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from core import calendar


class Command(BaseCommand):
    help = "第 N 个工作日：按国家节假日安排和本地登记的节假日，从某日起算（当日不计）。"

    def add_arguments(self, parser):
        parser.add_argument("start", help="起算日期，如 2026-09-30")
        parser.add_argument("days", type=int, help="工作日数")
        parser.add_argument("--region", type=int, default=None, help="区域 id：加上该区域及其上级登记的节假日")

    def handle(self, *args, start, days, region, **options):
        try:
            day = date.fromisoformat(start)
        except ValueError:
            raise CommandError("日期格式应为 YYYY-MM-DD，例如 2026-09-30。") from None
        if days < 0:
            raise CommandError("工作日数不能为负数。")
        result = calendar.add_working_days(day, days, region=region)
        for year in sorted({day.year, result.year}):
            if not calendar.covers(year):
                self.stderr.write(f"注意：没有{year}年的国家节假日安排，这一年按周一至周五计算。")
        self.stdout.write(result.isoformat())
