from django.db import migrations


def to_congresses(apps, schema_editor):
    Region = apps.get_model("divisions", "Region")
    Congress = apps.get_model("divisions", "Congress")
    ProjectVote = apps.get_model("votes", "ProjectVote")
    county = Region.objects.filter(level="county").order_by("path").first()
    if county is None:
        return
    ProjectVote.objects.filter(township__isnull=True).update(congress=Congress.objects.get(region=county))
    for vote in ProjectVote.objects.filter(township__isnull=False):
        vote.congress, _created = Congress.objects.get_or_create(
            region_id=vote.township_id, defaults={"name": f"{vote.township.name}人民代表大会", "motion_min_deputies": 5})
        vote.save(update_fields=["congress"])


def to_townships(apps, schema_editor):
    ProjectVote = apps.get_model("votes", "ProjectVote")
    for vote in ProjectVote.objects.select_related("congress__region"):
        region = vote.congress.region
        vote.level, vote.township = ("township", region) if region.level == "township" else ("county", None)
        vote.save(update_fields=["level", "township"])


class Migration(migrations.Migration):

    dependencies = [
        ("votes", "0002_projectvote_congress"),
    ]

    operations = [
        migrations.RunPython(to_congresses, to_townships),
    ]
