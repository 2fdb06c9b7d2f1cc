from django.core.management.base import BaseCommand

from core import outbox


class Command(BaseCommand):
    help = "发出因消息队列不可用而积压的后台任务。"

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="包括刚刚创建的任务")

    def handle(self, *args, **options):
        kwargs = {"older_than": outbox.timedelta(0)} if options["all"] else {}
        sent = outbox.flush(**kwargs)
        self.stdout.write(f"已发出 {sent} 个任务。")
