"""The default category list for what the public raises, and the county default duty rule
(逢6进站: the 6th, 16th and 26th, two deputies a shift). Staff edit both afterwards."""

from datetime import time

from django.db import migrations

CATEGORIES = [
    "交通出行", "教育", "医疗卫生", "生态环境", "农业农村",
    "社会保障", "城乡建设", "就业创业", "矛盾纠纷", "其他",
]
DEFAULT_RULE = "逢6进站"


def create(apps, schema_editor):
    Category = apps.get_model("stations", "Category")
    DutyRule = apps.get_model("stations", "DutyRule")
    for order, name in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"sort_order": order * 10})
    if not DutyRule.objects.filter(is_default=True).exists():
        DutyRule.objects.get_or_create(
            name=DEFAULT_RULE,
            defaults={
                "kind": "days", "days": [6, 16, 26], "deputies_per_shift": 2, "holiday_policy": "move",
                "start_time": time(9, 0), "end_time": time(11, 30), "is_default": True,
            },
        )


def remove(apps, schema_editor):
    Category = apps.get_model("stations", "Category")
    DutyRule = apps.get_model("stations", "DutyRule")
    Category.objects.filter(name__in=CATEGORIES, receptions__isnull=True).delete()
    DutyRule.objects.filter(name=DEFAULT_RULE, stations__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("stations", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
