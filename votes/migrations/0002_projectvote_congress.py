"""Each vote belongs to a congress instead of a level and an optional township (the county's vote:
the county congress; a township's: that township's congress). Three steps, so that PostgreSQL has
no pending trigger events when the table is altered after its rows were written."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("votes", "0001_initial"),
        ("divisions", "0007_unit_congress_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="projectvote", name="congress",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="project_votes", to="divisions.congress", verbose_name="人民代表大会"),
        ),
    ]
