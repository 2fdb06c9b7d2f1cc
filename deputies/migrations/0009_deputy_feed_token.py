"""Each deputy's duty calendar feed gets a random token (issue 22, item 6): the feed URL used to
be signed with the secret key, so it could be forged where the key was known and never revoked.
Old feed URLs answer 404 from now on; deputies copy the new one from 我的值班."""

import secrets

from django.db import migrations, models


def give_every_deputy_a_token(apps, schema_editor):
    Deputy = apps.get_model("deputies", "Deputy")
    for deputy in Deputy.objects.only("pk").iterator():
        Deputy.objects.filter(pk=deputy.pk).update(feed_token=secrets.token_urlsafe(32))


class Migration(migrations.Migration):

    dependencies = [
        ("deputies", "0008_session_congress_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="deputy", name="feed_token",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="日历订阅令牌"),
        ),
        migrations.RunPython(give_every_deputy_a_token, migrations.RunPython.noop),
    ]
