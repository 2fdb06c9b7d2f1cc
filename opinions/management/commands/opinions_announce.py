from django.core.management.base import BaseCommand

from opinions import services
from opinions.models import Opinion, State


class Command(BaseCommand):
    help = "把待接单的群众意见通知本站点的驻站代表（任务 announce_new_opinion 的命令版；已发过的通知不会重发）。"

    def add_arguments(self, parser):
        parser.add_argument("--id", type=int, help="只通知这一条意见")

    def handle(self, *args, **options):
        opinions = Opinion.objects.filter(state=State.SUBMITTED)
        if options["id"]:
            opinions = opinions.filter(pk=options["id"])
        sent = sum(services.announce_new_opinion(pk) for pk in opinions.values_list("pk", flat=True))
        self.stdout.write(f"发出新意见通知 {sent} 条")
