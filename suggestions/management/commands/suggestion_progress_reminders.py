from django.core.management.base import BaseCommand

from suggestions import services


class Command(BaseCommand):
    help = "提醒重点督办建议的主办单位报送本月办理进展。每月每件只提醒一次，可重复运行。"

    def handle(self, *args, **options):
        sent = services.send_progress_reminders()
        self.stdout.write(f"已发送进展提醒 {sent} 条。")
