"""Each deputy's seat, from their level, term and township (a county deputy sits in the county's
congress, a township deputy in their township's; municipal, provincial and national deputies sit in
congresses outside a county's deployment); each session's congress from its level and township."""

from django.db import migrations


def congress_of(Congress, region):
    congress, _created = Congress.objects.get_or_create(
        region=region, defaults={"name": f"{region.name}人民代表大会", "motion_min_deputies": 5})
    return congress


def forward(apps, schema_editor):
    Region = apps.get_model("divisions", "Region")
    Congress = apps.get_model("divisions", "Congress")
    Deputy = apps.get_model("deputies", "Deputy")
    Seat = apps.get_model("deputies", "Seat")
    CongressSession = apps.get_model("deputies", "CongressSession")
    county = Region.objects.filter(level="county").order_by("path").first()
    if county is None:
        return
    county_congress = Congress.objects.get(region=county)
    townships = {}
    for session in CongressSession.objects.all():
        if session.level == "township" and session.township_id:
            townships.setdefault(session.township_id, congress_of(Congress, session.township))
            session.congress = townships[session.township_id]
        else:
            session.congress = county_congress
        session.save(update_fields=["congress"])
    seats = []
    for deputy in Deputy.objects.select_related("township").iterator():
        congress = None
        if deputy.level == "county":
            congress = county_congress
        elif deputy.level == "township":
            if deputy.township_id not in townships:
                townships[deputy.township_id] = congress_of(Congress, deputy.township)
            congress = townships[deputy.township_id]
        seats.append(Seat(
            deputy=deputy, level=deputy.level, congress=congress, term=deputy.term,
            constituency=deputy.constituency, status="active" if deputy.status == "active" else "ended",
        ))
    Seat.objects.bulk_create(seats, batch_size=1000)


def backward(apps, schema_editor):
    CongressSession = apps.get_model("deputies", "CongressSession")
    for session in CongressSession.objects.select_related("congress__region"):
        region = session.congress.region
        session.level, session.township = ("township", region) if region.level == "township" else ("county", None)
        session.save(update_fields=["level", "township"])


class Migration(migrations.Migration):

    dependencies = [
        ("deputies", "0006_seat_session_congress"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
