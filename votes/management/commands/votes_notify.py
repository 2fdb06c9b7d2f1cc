from django.core.management.base import BaseCommand, CommandError

from votes.models import ProjectVote
from votes.services.cycle import NOTICES, notify_electorate, notify_project_units


class Command(BaseCommand):
    help = "（补发）票决通知：opened 投票开始、closing 即将截止、published 结果公布、evaluation 年终测评、units 责任单位。每人只发一次。"

    def add_arguments(self, parser):
        parser.add_argument("vote", type=int, help="票决编号")
        parser.add_argument("event", choices=[*NOTICES, "units"])

    def handle(self, *args, vote, event, **options):
        project_vote = ProjectVote.objects.filter(pk=vote).first()
        if project_vote is None:
            raise CommandError(f"没有编号为 {vote} 的票决。")
        if event == "units":
            sent = notify_project_units(project_vote)
        else:
            sent = notify_electorate(project_vote, event)
        self.stdout.write(f"发出通知 {sent} 条。")
