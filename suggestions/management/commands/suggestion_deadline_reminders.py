from django.core.management.base import BaseCommand

from suggestions import services


class Command(BaseCommand):
    help = "发送代表建议答复期限提醒（到期前30、7、1天），并标记逾期未答复的建议。每条提醒只发一次，可重复运行。"

    def handle(self, *args, **options):
        sent, flagged = services.send_deadline_reminders()
        self.stdout.write(f"已发送期限提醒 {sent} 条，新标记逾期 {flagged} 件。")
