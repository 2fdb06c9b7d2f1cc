from django.core.management.base import BaseCommand
from django.db import transaction

from core.caching import bump_all_model_versions
from demo import city as city_demo
from demo import foundation
from demo import tree as tree_demo
from demo import notifications as notifications_demo
from demo import stations as stations_demo
from demo import suggestions as suggestions_demo
from demo import opinions as opinions_demo
from demo import reports as reports_demo
from demo import votes as votes_demo

# Each part adds one area of the portal; later parts read what earlier ones created. The city's
# tree comes first; the second county and the city's own records last, so the county parts build
# the demo county alone.
PARTS = [tree_demo, foundation, stations_demo, opinions_demo, votes_demo, suggestions_demo, reports_demo,
         notifications_demo, city_demo]


class Command(BaseCommand):
    help = "创建（或补全）演示市（示范市：连心县、临江区）的数据和演示账号 admin / staff / city_staff / deputy / unit 等，密码 lianxin-demo。可重复运行。"

    def handle(self, *args, **options):
        with transaction.atomic():
            for part in PARTS:
                part.seed()
                self.stdout.write(f"  {part.__name__.rsplit('.', 1)[-1]}: ok")
        bump_all_model_versions()  # bulk inserts send no signals: shared filter forms rebuild
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。登录账号 admin / staff / city_staff / county2_staff / deputy / unit，密码 lianxin-demo"))
