"""A staff member's scope is a region of the tree (a county, a township: with everything under
it), not only a township: the township a user had is their region."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("divisions", "0007_unit_congress_required"),
    ]

    operations = [
        migrations.RenameField("user", "township", "region"),
        migrations.AlterField(
            model_name="user", name="region",
            field=models.ForeignKey(blank=True, help_text="工作人员只能看到该区域（及其下级区域）的数据；留空表示整个平台。", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="divisions.region", verbose_name="所属区域"),
        ),
    ]
