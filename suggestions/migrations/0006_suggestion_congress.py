"""Each suggestion belongs to a congress (its numbering, assignment and figures): every existing
one to the county's, the only congress suggestions were raised in before. Three steps, so that
PostgreSQL has no pending trigger events when a table is altered after rows were written."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("suggestions", "0005_public_replies_and_search_indexes"),
        ("divisions", "0007_unit_congress_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="suggestion", name="congress",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="suggestions", to="divisions.congress", verbose_name="人民代表大会"),
        ),
    ]
