import django.db.models.deletion
from django.db import migrations, models



class Migration(migrations.Migration):

    dependencies = [
        ("votes", "0003_projectvote_congress_data"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="projectvote",
            options={"ordering": ["-year", "congress__region__path", "-id"], "verbose_name": "民生实事票决", "verbose_name_plural": "民生实事票决"},
        ),
        migrations.RemoveConstraint(model_name="projectvote", name="vote_one_county_vote_a_year"),
        migrations.RemoveConstraint(model_name="projectvote", name="vote_one_township_vote_a_year"),
        migrations.RemoveConstraint(model_name="projectvote", name="vote_township_matches_level"),
        migrations.RemoveField(model_name="projectvote", name="level"),
        migrations.RemoveField(model_name="projectvote", name="township"),
        migrations.AlterField(
            model_name="projectvote", name="congress",
            field=models.ForeignKey(help_text="哪一级人大的代表票决", on_delete=django.db.models.deletion.PROTECT, related_name="project_votes", to="divisions.congress", verbose_name="人民代表大会"),
        ),
        migrations.AddConstraint(
            model_name="projectvote",
            constraint=models.UniqueConstraint(condition=models.Q(("runoff_of__isnull", True)), fields=("year", "congress"), name="vote_one_a_year_per_congress"),
        ),
    ]
