"""Providers' templates per message kind."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0002_delivery_tracking'),
    ]

    operations = [
        migrations.CreateModel(
            name='MessageTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=50, verbose_name='消息类别')),
                ('provider', models.CharField(choices=[('aliyun', '阿里云短信'), ('tencent', '腾讯云短信'), ('wechat', '微信公众号')], max_length=20, verbose_name='服务商')),
                ('template_id', models.CharField(max_length=100, verbose_name='模板编号')),
                ('variables', models.JSONField(blank=True, default=list, verbose_name='模板变量')),
                ('wechat_mode', models.CharField(choices=[('template', '模板消息'), ('subscribe', '订阅通知')], default='template', help_text='仅用于微信公众号。', max_length=10, verbose_name='微信消息类型')),
                ('max_length', models.PositiveSmallIntegerField(default=20, help_text='超过的部分以“…”截断（服务商对模板变量的长度有限制）。', verbose_name='变量最长字数')),
                ('is_active', models.BooleanField(default=True, verbose_name='启用')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
            ],
            options={
                'verbose_name': '消息模板',
                'verbose_name_plural': '消息模板',
                'ordering': ['kind', 'provider'],
            },
        ),
        migrations.AddConstraint(
            model_name='messagetemplate',
            constraint=models.UniqueConstraint(fields=('kind', 'provider'), name='one_template_per_kind_and_provider'),
        ),
    ]
