"""API tokens moved to django-rest-knox (digests only, expiring): drop the table of DRF's
rest_framework.authtoken, which kept every token in clear (issue 22, item 4). Its tokens stop
working; clients ask for a new one at POST /api/v1/auth/token/."""

from django.db import migrations


def drop_authtoken_table(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" in connection.introspection.table_names():
        schema_editor.execute("DROP TABLE authtoken_token")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_user_region"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunPython(drop_authtoken_table, migrations.RunPython.noop, elidable=True),
    ]
