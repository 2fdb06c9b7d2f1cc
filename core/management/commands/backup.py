from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库和上传的文件到一个 .tar.gz 文件（PostgreSQL 用 pg_dump，SQLite 用在线备份）。"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="备份文件路径，默认 var/backups/lianxin-时间.tar.gz")
        parser.add_argument("--no-media", action="store_true", help="不包含上传的文件")

    def handle(self, *args, **options):
        try:
            path = backup(options["output"], include_media=not options["no_media"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已备份到 {path}"))
