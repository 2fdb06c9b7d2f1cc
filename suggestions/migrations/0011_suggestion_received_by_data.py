"""Every suggestion so far was received by the congress that holds it."""

from django.db import migrations
from django.db.models import F


def fill(apps, schema_editor):
    apps.get_model("suggestions", "Suggestion").objects.update(received_by=F("congress"))


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0010_transfers")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
