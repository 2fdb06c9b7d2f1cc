"""core.Holiday takes over stations.Holiday's table (renamed to core_holiday by
stations/0006_holiday_moved_to_core): state only, the rows stay where they are."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("stations", "0006_holiday_moved_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Holiday",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("date", models.DateField(unique=True, verbose_name="日期")),
                        ("name", models.CharField(max_length=30, verbose_name="名称")),
                        ("kind", models.CharField(choices=[("holiday", "节假日"), ("workday", "调休上班")], default="holiday", max_length=10, verbose_name="类型")),
                    ],
                    options={
                        "verbose_name": "节假日",
                        "verbose_name_plural": "节假日",
                        "ordering": ["date"],
                    },
                ),
            ],
        ),
    ]
