from django.core.management.base import BaseCommand

from stations import services


class Command(BaseCommand):
    help = "把今天以前没有进站记录的值班标记为缺勤。可重复运行。"

    def handle(self, *args, **options):
        self.stdout.write(f"标记缺勤 {services.close_past_shifts()} 人次。")
