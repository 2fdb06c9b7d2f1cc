from django.core.management.base import BaseCommand, CommandError

from audit import services
from core.exceptions import DomainError


class Command(BaseCommand):
    help = "Delete audit log entries older than the retention period (at least 180 days)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="retention in days (default AUDIT_RETENTION_DAYS)")

    def handle(self, *args, days=None, **options):
        try:
            deleted = services.prune(days=days)
        except DomainError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"已删除 {deleted} 条过期操作日志。")
