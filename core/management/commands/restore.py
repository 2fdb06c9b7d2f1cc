from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = "用 backup 生成的文件恢复数据库和上传的文件。会覆盖现有数据，需加 --yes 确认。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="backup 生成的 .tar.gz 文件")
        parser.add_argument("--yes", action="store_true", help="确认覆盖现有数据")

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError("恢复会覆盖当前数据库中的全部数据。确认无误后请加 --yes 重新运行。")
        try:
            manifest = restore(options["path"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已恢复 {manifest['created_at']} 的备份。"))
