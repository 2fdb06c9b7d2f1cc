from django.core.management.base import BaseCommand

from opinions import services


class Command(BaseCommand):
    help = "清除办结超过保存期限（OPINION_RETENTION_DAYS）的群众意见中的姓名和电话，其余内容保留用于统计。"

    def handle(self, *args, **options):
        count = services.erase_expired_personal_data()
        self.stdout.write(f"已清除 {count} 条意见的个人信息")
