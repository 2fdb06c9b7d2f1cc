import django.db.models.deletion
from django.db import migrations, models



class Migration(migrations.Migration):

    dependencies = [
        ("suggestions", "0007_suggestion_congress_data"),
    ]

    operations = [
        migrations.AlterField(
            model_name="suggestion", name="congress",
            field=models.ForeignKey(help_text="向哪一级人大提出：编号、交办、统计都在这一级", on_delete=django.db.models.deletion.PROTECT, related_name="suggestions", to="divisions.congress", verbose_name="人民代表大会"),
        ),
    ]
