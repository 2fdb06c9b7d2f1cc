"""The tree's path is required and indexed for `LIKE 'p%'`; `Township` becomes a proxy of Region; the
congress of a region, with its rules; the handling units' congress."""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

import divisions.models

class Migration(migrations.Migration):

    dependencies = [
        ("divisions", "0004_region_tree_paths"),
    ]

    operations = [
        migrations.AlterField(model_name="region", name="path", field=models.CharField(max_length=255, unique=True)),
        migrations.AlterField(model_name="region", name="depth", field=models.PositiveIntegerField()),
        migrations.AddConstraint(
            model_name="region",
            constraint=models.UniqueConstraint(condition=models.Q(("code", ""), _negated=True), fields=("code",), name="region_code_unique"),
        ),
        migrations.AddIndex(
            model_name="region",
            index=models.Index(fields=["path"], name="region_path_like_idx", opclasses=["varchar_pattern_ops"]),
        ),
        migrations.CreateModel(
            name="Township",
            fields=[],
            options={"verbose_name": "乡镇（街道）", "verbose_name_plural": "乡镇（街道）", "ordering": ["sort_order", "id"], "proxy": True, "indexes": [], "constraints": []},
            bases=("divisions.region",),
        ),
        migrations.AlterField(
            model_name="village", name="township",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="villages", to="divisions.township", verbose_name="乡镇（街道）"),
        ),
        migrations.CreateModel(
            name="Congress",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="例如：连心县人民代表大会", max_length=60, verbose_name="名称")),
                ("standing_body", models.CharField(blank=True, help_text="例如：连心县人大常委会、青山镇人大主席团；留空按层级生成", max_length=60, verbose_name="常设机构")),
                ("current_term", models.PositiveSmallIntegerField(default=18, validators=[django.core.validators.MinValueValidator(1)], verbose_name="本届届次")),
                ("reply_months", models.PositiveSmallIntegerField(default=divisions.models.default_reply_months, help_text="交办之日起几个月内答复（代表法：三个月）", validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(12)], verbose_name="建议答复期限（月）")),
                ("max_months", models.PositiveSmallIntegerField(default=divisions.models.default_max_months, help_text="延期后最迟几个月内答复（代表法：六个月）", validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(12)], verbose_name="建议最长答复期限（月）")),
                ("rehandle_months", models.PositiveSmallIntegerField(default=divisions.models.default_rehandle_months, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(6)], verbose_name="不满意重新办理期限（月）")),
                ("motion_min_deputies", models.PositiveSmallIntegerField(default=divisions.models.default_motion_min_deputies, help_text="地方组织法第二十二条：县级以上10人，乡镇5人", validators=[django.core.validators.MinValueValidator(1)], verbose_name="议案联名人数")),
                ("threshold_basis", models.CharField(choices=[("eligible", "全体代表"), ("cast", "实际投票代表")], default="eligible", max_length=10, verbose_name="票决过半数的基数")),
                ("threshold_ratio", models.DecimalField(decimal_places=4, default=divisions.models.default_threshold_ratio, help_text="赞成票须超过基数的该比例，默认 0.5 即“全体代表的过半数”", max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal("0")), django.core.validators.MaxValueValidator(Decimal("0.9999"))], verbose_name="票决当选票数比例")),
                ("min_extra_candidates", models.PositiveSmallIntegerField(default=divisions.models.default_min_extra_candidates, help_text="候选项目至少比应选项目多几个", validators=[django.core.validators.MinValueValidator(1)], verbose_name="票决差额最少多出")),
                ("min_candidate_ratio", models.DecimalField(decimal_places=2, default=divisions.models.default_min_candidate_ratio, help_text="候选项目数不少于应选项目数的多少倍", max_digits=4, validators=[django.core.validators.MinValueValidator(Decimal("1.00"))], verbose_name="票决最低差额比例")),
                ("min_items_to_rank", models.PositiveSmallIntegerField(default=5, help_text="件数少于此数的单位、站点、代表不参与比率排名，列在“样本不足”", validators=[django.core.validators.MinValueValidator(1)], verbose_name="参与排名的最少件数")),
                ("document_number_prefix", models.CharField(blank=True, help_text="例如：连人常〔2026〕；留空则文件不标文号", max_length=30, verbose_name="发文字号")),
                ("region", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="congress", to="divisions.region", verbose_name="行政区域")),
            ],
            options={"verbose_name": "人民代表大会", "verbose_name_plural": "人民代表大会", "ordering": ["region__path"]},
        ),
        migrations.AddField(
            model_name="handlingunit", name="congress",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="units", to="divisions.congress", verbose_name="所属人大"),
        ),
    ]
