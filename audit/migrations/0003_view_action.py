from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_list_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "新增"), ("update", "修改"), ("delete", "删除"), ("login", "登录"),
                    ("logout", "退出"), ("login_failed", "登录失败"), ("export", "导出"), ("import", "导入"),
                    ("view", "查阅"),
                ],
                max_length=20, verbose_name="操作",
            ),
        ),
    ]
