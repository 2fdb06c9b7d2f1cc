from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.exceptions import DomainError
from stations import scheduler


class Command(BaseCommand):
    help = "按值班规则为所有启用的站点排出某月的值班（逢6进站）。重复运行不会重复排班，人工调班保持不变。"

    def add_arguments(self, parser):
        parser.add_argument("--month", help="月份，格式 YYYY-MM（默认本月）")

    def handle(self, *args, month=None, **options):
        today = timezone.localdate()
        try:
            year, number = scheduler.parse_month(month) if month else (today.year, today.month)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        result = scheduler.schedule_month(year, number)
        self.stdout.write(
            f"{year}年{number}月：{result.stations} 个站点新排 {result.shifts} 个班次、"
            f"{result.assignments} 人次。"
        )
