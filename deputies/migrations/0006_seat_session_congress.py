"""Seats (a person may sit in two or three congresses) and the congress of each session (instead
of a level and an optional township). Three steps, so that PostgreSQL has no pending trigger
events when a table is altered after its rows were written."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("deputies", "0005_roster_order_and_search_indexes"),
        ("divisions", "0007_unit_congress_required"),
    ]

    operations = [
        migrations.CreateModel(
            name="Seat",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("level", models.CharField(choices=[("national", "全国"), ("provincial", "省"), ("municipal", "市"), ("county", "县"), ("township", "乡镇")], max_length=20, verbose_name="层级")),
                ("term", models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name="届次")),
                ("constituency", models.CharField(blank=True, max_length=100, verbose_name="选区（选举单位）")),
                ("status", models.CharField(choices=[("active", "在任"), ("ended", "终止")], default="active", max_length=10, verbose_name="状态")),
                ("started_on", models.DateField(blank=True, null=True, verbose_name="当选日期")),
                ("ended_on", models.DateField(blank=True, null=True, verbose_name="终止日期")),
                ("end_reason", models.CharField(blank=True, choices=[("term_ended", "届满"), ("resigned", "辞职"), ("recalled", "罢免"), ("transferred", "调离"), ("died", "去世"), ("other", "其他")], max_length=20, verbose_name="终止原因")),
                ("congress", models.ForeignKey(blank=True, help_text="本平台以外的全国、省人大代表留空", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="seats", to="divisions.congress", verbose_name="人民代表大会")),
                ("deputy", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="seats", to="deputies.deputy", verbose_name="代表")),
            ],
            options={"verbose_name": "代表席位", "verbose_name_plural": "代表席位", "ordering": ["deputy_id", "-status", "level"]},
        ),
        migrations.AddIndex(
            model_name="seat", index=models.Index(fields=["congress", "term", "status"], name="seat_electorate_idx"),
        ),
        migrations.AddConstraint(
            model_name="seat",
            constraint=models.UniqueConstraint(fields=("deputy", "congress", "term"), name="seat_once_per_congress_term"),
        ),
        migrations.AddField(
            model_name="congresssession", name="congress",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="sessions", to="divisions.congress", verbose_name="人民代表大会"),
        ),
    ]
