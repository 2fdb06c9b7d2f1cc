"""Each user's channels and WeChat binding; the daily SMS count per number."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0003_message_template'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ChannelSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.BooleanField(default=True, verbose_name='电子邮件')),
                ('sms', models.BooleanField(default=True, verbose_name='短信')),
                ('wechat', models.BooleanField(default=True, verbose_name='微信')),
                ('wechat_openid', models.CharField(blank=True, max_length=64, null=True, unique=True, verbose_name='微信 openid')),
                ('wechat_bound_at', models.DateTimeField(blank=True, null=True, verbose_name='绑定微信时间')),
            ],
            options={
                'verbose_name': '接收渠道设置',
                'verbose_name_plural': '接收渠道设置',
            },
        ),
        migrations.CreateModel(
            name='SmsDailyCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number_digest', models.CharField(max_length=64)),
                ('day', models.DateField()),
                ('count', models.PositiveIntegerField(default=0)),
            ],
            options={
                'verbose_name': '每日短信计数',
                'verbose_name_plural': '每日短信计数',
            },
        ),
        migrations.AddField(
            model_name='channelsettings',
            name='user',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='channel_settings', to=settings.AUTH_USER_MODEL, verbose_name='用户'),
        ),
        migrations.AddIndex(
            model_name='smsdailycount',
            index=models.Index(fields=['day'], name='sms_count_day_idx'),
        ),
        migrations.AddConstraint(
            model_name='smsdailycount',
            constraint=models.UniqueConstraint(fields=('number_digest', 'day'), name='sms_count_once'),
        ),
    ]
