"""Townships become the lowest level of a region tree (django-treebeard, materialized path).

The township table is renamed to the region table, so every township keeps its id and every
foreign key its target; the tree's fields are added here and filled by the next migration (a
county root, COUNTY_NAME / COUNTY_CODE, with the townships under it in their order)."""

from django.db import migrations, models

class Migration(migrations.Migration):

    dependencies = [
        ("divisions", "0002_township_order_index"),
    ]

    operations = [

        migrations.RenameModel("Township", "Region"),
        migrations.AlterModelOptions(
            name="region",
            options={"ordering": ["path"], "verbose_name": "行政区域", "verbose_name_plural": "行政区域"},
        ),
        migrations.AlterField(model_name="region", name="name", field=models.CharField(max_length=50, verbose_name="名称")),
        migrations.AlterField(
            model_name="region", name="kind",
            field=models.CharField(choices=[("city", "市"), ("county", "县"), ("district", "区"), ("county_city", "县级市"), ("town", "镇"), ("township", "乡"), ("subdistrict", "街道")], default="town", max_length=20, verbose_name="类型"),
        ),
        migrations.AlterField(
            model_name="region", name="code",
            field=models.CharField(blank=True, help_text="国家行政区划代码：县级及以上6位，乡镇（街道）9位", max_length=20, verbose_name="区划代码"),
        ),
        migrations.AddField(
            model_name="region", name="level",
            field=models.CharField(choices=[("city", "市"), ("county", "县（区）"), ("township", "乡镇（街道）")], default="township", max_length=20, verbose_name="层级"),
        ),
        migrations.AddField(model_name="region", name="path", field=models.CharField(max_length=255, null=True)),
        migrations.AddField(model_name="region", name="depth", field=models.PositiveIntegerField(default=2)),
        migrations.AddField(model_name="region", name="numchild", field=models.PositiveIntegerField(default=0)),
    ]
