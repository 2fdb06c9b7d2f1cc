from django.core.management.base import BaseCommand

from votes import services


class Command(BaseCommand):
    help = "重新随机排列投票中的票决的选票（无记名投票保密）。可重复运行。"

    def handle(self, *args, **options):
        self.stdout.write(f"重新排列选票 {services.mix_pending_ballots()} 张。")
