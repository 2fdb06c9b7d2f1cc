import django.db.models.deletion
from django.db import migrations, models



class Migration(migrations.Migration):

    dependencies = [
        ("deputies", "0007_seats_and_session_congresses"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="congresssession", name="session_unique_number"),
        migrations.RemoveField(model_name="congresssession", name="level"),
        migrations.RemoveField(model_name="congresssession", name="township"),
        migrations.AlterField(
            model_name="congresssession", name="congress",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="sessions", to="divisions.congress", verbose_name="人民代表大会"),
        ),
        migrations.AddConstraint(
            model_name="congresssession",
            constraint=models.UniqueConstraint(fields=("congress", "term", "number"), name="session_unique_number"),
        ),
    ]
