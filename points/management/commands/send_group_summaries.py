from datetime import date

from django.core.management.base import BaseCommand

from points import services


class Command(BaseCommand):
    help = "向每个代表小组发送上一季度的履职积分季报（每组每季度只发一次）。可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="按这一天计算上一季度（YYYY-MM-DD）")

    def handle(self, *args, **options):
        sent = services.send_group_summaries(today=options.get("today"))
        self.stdout.write(f"已向 {sent} 个代表小组发送积分季报。")
