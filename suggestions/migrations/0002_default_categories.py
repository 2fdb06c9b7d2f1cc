"""Default suggestion categories, so a new county can take suggestions from day one; staff edit
the list in the admin. Reversing removes only the defaults that no suggestion uses."""

from django.db import migrations

DEFAULT_CATEGORIES = [
    "经济发展", "城乡建设", "交通运输", "农业农村", "教育科技", "医疗卫生", "社会保障",
    "生态环境", "文化旅游", "政法综治", "其他",
]


def add_defaults(apps, schema_editor):
    Category = apps.get_model("suggestions", "Category")
    for order, name in enumerate(DEFAULT_CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"sort_order": order})


def remove_unused_defaults(apps, schema_editor):
    Category = apps.get_model("suggestions", "Category")
    Category.objects.filter(name__in=DEFAULT_CATEGORIES, suggestions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0001_suggestions")]

    operations = [migrations.RunPython(add_defaults, remove_unused_defaults)]
