"""Every opinion is held by, and was received by, its station's congress: the township's own, or
the nearest one above it (a 街道 has none: its county's)."""

from django.db import migrations


def fill(apps, schema_editor):
    Opinion = apps.get_model("opinions", "Opinion")
    Station = apps.get_model("stations", "Station")
    Congress = apps.get_model("divisions", "Congress")
    congress_at = dict(Congress.objects.values_list("region__path", "pk"))
    fallback = Congress.objects.filter(region__level="county").order_by("region__path").values_list("pk", flat=True).first()
    stations = Station.objects.filter(pk__in=Opinion.objects.values("station_id")).values_list("pk", "township__path")
    by_congress = {}
    for station_id, path in stations:
        found = fallback
        for end in range(len(path or ""), 0, -4):
            if path[:end] in congress_at:
                found = congress_at[path[:end]]
                break
        by_congress.setdefault(found, []).append(station_id)
    for congress_id, station_ids in by_congress.items():
        Opinion.objects.filter(station_id__in=station_ids).update(congress_id=congress_id, received_by_id=congress_id)


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0002_transfers"),
        ("stations", "0006_holiday_moved_to_core"),
        ("divisions", "0007_unit_congress_required"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
