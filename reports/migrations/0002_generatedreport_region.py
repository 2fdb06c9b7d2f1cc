"""An annual report is made for a region of any level (the township a report had is its region)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0001_initial"),
        ("divisions", "0007_unit_congress_required"),
    ]

    operations = [
        migrations.RenameField("generatedreport", "township", "region"),
        migrations.AlterField(
            model_name="generatedreport", name="region",
            field=models.ForeignKey(blank=True, help_text="哪个区域的报告；留空表示整个平台", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="divisions.region", verbose_name="区域"),
        ),
    ]
