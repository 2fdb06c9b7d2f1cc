from datetime import date

from django.core.management.base import BaseCommand, CommandError

from votes import services


class Command(BaseCommand):
    help = "提醒责任单位报送民生实事项目本月进展。每个项目每月每人只提醒一次，可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--day", help="按哪一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, day=None, **options):
        try:
            today = date.fromisoformat(day) if day else None
        except ValueError:
            raise CommandError("日期格式应为 YYYY-MM-DD") from None
        self.stdout.write(f"发出进展提醒 {services.send_progress_reminders(today=today)} 条。")
