"""An activity is held by a region of any level (the township an activity had is its region;
none: the whole deployment, as "全县" before)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("stations", "0004_material_read_list_index"),
        ("divisions", "0007_unit_congress_required"),
    ]

    operations = [
        migrations.RenameField("activity", "township", "region"),
        migrations.AlterField(
            model_name="activity", name="region",
            field=models.ForeignKey(blank=True, help_text="哪个区域的活动（县、乡镇等）；留空表示整个平台", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="divisions.region", verbose_name="范围"),
        ),
    ]
