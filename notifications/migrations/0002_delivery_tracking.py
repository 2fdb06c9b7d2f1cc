"""Deliveries: provider, request id, error code, next try, claim; notices with parameters
and, for the public, a township."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('divisions', '0002_township_order_index'),
        ('notifications', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='delivery',
            options={'ordering': ['-id'], 'verbose_name': '发送记录', 'verbose_name_plural': '发送记录'},
        ),
        migrations.AddField(
            model_name='delivery',
            name='claimed_until',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='发送中至'),
        ),
        migrations.AddField(
            model_name='delivery',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True, null=True, verbose_name='创建时间'),
        ),
        migrations.AddField(
            model_name='delivery',
            name='error_code',
            field=models.CharField(blank=True, max_length=100, verbose_name='错误代码'),
        ),
        migrations.AddField(
            model_name='delivery',
            name='held',
            field=models.CharField(blank=True, choices=[('', '—'), ('quiet_hours', '夜间不发短信'), ('daily_limit', '已达当天短信上限'), ('configuration', '发送配置不完整')], max_length=20, verbose_name='暂缓原因'),
        ),
        migrations.AddField(
            model_name='delivery',
            name='next_attempt_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='下次发送时间'),
        ),
        migrations.AddField(
            model_name='delivery',
            name='provider',
            field=models.CharField(blank=True, max_length=20, verbose_name='服务商'),
        ),
        migrations.AddField(
            model_name='delivery',
            name='request_id',
            field=models.CharField(blank=True, max_length=100, verbose_name='服务商请求号'),
        ),
        migrations.AddField(
            model_name='notification',
            name='params',
            field=models.JSONField(blank=True, default=dict, verbose_name='参数'),
        ),
        migrations.AddField(
            model_name='notification',
            name='township',
            field=models.ForeignKey(blank=True, help_text='只用于没有账号的接收人（群众），按乡镇统计短信用量。', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='divisions.township', verbose_name='所属乡镇'),
        ),
        migrations.AlterField(
            model_name='delivery',
            name='channel',
            field=models.CharField(choices=[('email', '电子邮件'), ('sms', '短信'), ('wechat', '微信')], max_length=10, verbose_name='渠道'),
        ),
        migrations.AlterField(
            model_name='delivery',
            name='error',
            field=models.TextField(blank=True, verbose_name='错误信息'),
        ),
        migrations.AlterField(
            model_name='delivery',
            name='notification',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='notifications.notification', verbose_name='通知'),
        ),
        migrations.AlterField(
            model_name='delivery',
            name='status',
            field=models.CharField(choices=[('pending', '待发送'), ('sent', '已发送'), ('failed', '失败')], default='pending', max_length=10, verbose_name='状态'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='recipient',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='接收人'),
        ),
        migrations.AddIndex(
            model_name='delivery',
            index=models.Index(condition=models.Q(('status', 'pending')), fields=['next_attempt_at'], name='delivery_due_idx'),
        ),
        migrations.AddIndex(
            model_name='delivery',
            index=models.Index(fields=['channel', 'status', 'sent_at'], name='delivery_sent_idx'),
        ),
    ]
