"""The holiday list moved to core (core.Holiday, the local overrides of the official calendar).
The table is renamed, not recreated: its rows are kept. core/0002_holiday takes the model over."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("stations", "0005_activity_region"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name="holiday", table="core_holiday")],
            state_operations=[migrations.DeleteModel(name="Holiday")],
        ),
    ]
