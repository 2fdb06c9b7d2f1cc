"""Every handling unit belongs to a congress."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("divisions", "0006_congresses_of_regions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="handlingunit", name="congress",
            field=models.ForeignKey(help_text="承办哪一级人大代表建议的政府部门", on_delete=django.db.models.deletion.PROTECT, related_name="units", to="divisions.congress", verbose_name="所属人大"),
        ),
    ]
