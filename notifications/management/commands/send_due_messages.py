from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "发送到期的消息：重试、夜间暂缓或超过每日上限的短信、等待配置的消息（与每分钟的定时任务相同）。"

    def handle(self, *args, **options):
        sent = services.send_due()
        self.stdout.write(f"发出 {sent} 条。")
