"""Each township gets its place under a county root: a data migration of its own, so that PostgreSQL
has no pending trigger events when the next migration alters the table."""

from django.conf import settings
from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def step(number):
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def build_tree(apps, schema_editor):
    Region = apps.get_model("divisions", "Region")
    HandlingUnit = apps.get_model("divisions", "HandlingUnit")
    townships = list(Region.objects.filter(path__isnull=True).order_by("sort_order", "id"))
    if not townships and not HandlingUnit.objects.exists():
        return
    county = Region.objects.create(
        name=settings.COUNTY_NAME, level="county", kind="county", code=getattr(settings, "COUNTY_CODE", ""),
        path=step(1), depth=1, numchild=len(townships),
    )
    for number, township in enumerate(townships, start=1):
        township.path, township.depth, township.numchild = county.path + step(number), 2, 0
        township.level = "township"
    Region.objects.bulk_update(townships, ["path", "depth", "numchild", "level"])


def flatten_tree(apps, schema_editor):
    Region = apps.get_model("divisions", "Region")
    Region.objects.exclude(level="township").delete()
    Region.objects.update(path=None)


class Migration(migrations.Migration):

    dependencies = [
        ("divisions", "0003_region_tree"),
    ]

    operations = [
        migrations.RunPython(build_tree, flatten_tree),
    ]
