"""Every existing suggestion is the county congress's, and the recess numbering is kept per congress
("recess:<year>" becomes "recess:<congress>:<year>")."""

from django.db import migrations


def to_the_county(apps, schema_editor):
    Region = apps.get_model("divisions", "Region")
    Congress = apps.get_model("divisions", "Congress")
    Suggestion = apps.get_model("suggestions", "Suggestion")
    NumberSequence = apps.get_model("suggestions", "NumberSequence")
    county = Region.objects.filter(level="county").order_by("path").first()
    if county is None:
        return
    congress = Congress.objects.get(region=county)
    Suggestion.objects.update(congress=congress)
    for sequence in NumberSequence.objects.filter(key__startswith="recess:"):
        year = sequence.key.split(":")[-1]
        sequence.key = f"recess:{congress.pk}:{year}"
        sequence.save(update_fields=["key"])


def back(apps, schema_editor):
    NumberSequence = apps.get_model("suggestions", "NumberSequence")
    for sequence in NumberSequence.objects.filter(key__startswith="recess:"):
        sequence.key = f"recess:{sequence.key.split(':')[-1]}"
        sequence.save(update_fields=["key"])


class Migration(migrations.Migration):

    dependencies = [
        ("suggestions", "0006_suggestion_congress"),
    ]

    operations = [
        migrations.RunPython(to_the_county, back),
    ]
