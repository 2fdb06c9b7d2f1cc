from datetime import date

from django.core.management.base import BaseCommand, CommandError

from stations import services


class Command(BaseCommand):
    help = "提醒已报名明天（或 --date 指定日期）活动的代表。每条提醒只发一次，重复运行不会重复发送。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="活动日期，格式 YYYY-MM-DD（默认明天）")

    def handle(self, *args, date=None, **options):
        try:
            day = _parse(date)
        except ValueError:
            raise CommandError("日期格式应为 YYYY-MM-DD，例如 2026-11-16。") from None
        sent = services.send_activity_reminders(day=day)
        self.stdout.write(f"新发出活动提醒 {sent} 条。")


def _parse(text):
    return date.fromisoformat(text) if text else None
