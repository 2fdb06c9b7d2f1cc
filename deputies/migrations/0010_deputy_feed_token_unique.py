"""Every deputy has a feed token now (0009): make it required and unique (a separate migration,
so PostgreSQL alters the table outside the transaction that filled it)."""

from django.db import migrations, models

import deputies.models


class Migration(migrations.Migration):

    dependencies = [
        ("deputies", "0009_deputy_feed_token"),
    ]

    operations = [
        migrations.AlterField(
            model_name="deputy", name="feed_token",
            field=models.CharField(default=deputies.models.new_feed_token, editable=False, max_length=64,
                                   unique=True, verbose_name="日历订阅令牌"),
        ),
    ]
