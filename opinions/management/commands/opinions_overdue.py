from django.core.management.base import BaseCommand

from opinions import services


class Command(BaseCommand):
    help = "督单：标记超过时限的群众意见，并通知负责的代表、承办单位和工作人员（每条通知只发一次）。"

    def handle(self, *args, **options):
        opened = services.open_missing_from_receptions()
        if opened:
            self.stdout.write(f"补登接待待跟进意见 {opened} 条")
        count = services.flag_overdue()
        self.stdout.write(f"新标记逾期意见 {count} 条")
