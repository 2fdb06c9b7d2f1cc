"""A congress for the county and each 乡/镇 (街道 have none), with today's rules; every handling unit
belongs to the county's."""

from django.db import migrations

def county_of(Region):
    return Region.objects.filter(level="county").order_by("path").first()


def create_congresses(apps, schema_editor):
    Region = apps.get_model("divisions", "Region")
    Congress = apps.get_model("divisions", "Congress")
    HandlingUnit = apps.get_model("divisions", "HandlingUnit")
    for region in Region.objects.exclude(kind="subdistrict").order_by("path"):
        Congress.objects.create(
            region=region, name=f"{region.name}人民代表大会",
            motion_min_deputies=5 if region.level == "township" else 10,
        )
    county = county_of(Region)
    if county is not None:
        HandlingUnit.objects.update(congress=Congress.objects.get(region=county))


class Migration(migrations.Migration):

    dependencies = [
        ("divisions", "0005_congress"),
    ]

    operations = [
        migrations.RunPython(create_congresses, migrations.RunPython.noop),
    ]
