"""`manage.py send_test_message --to 13900000000 --kind duty_reminder`: one message of a kind
with example parameters through the configured channels, now (whatever the hour or the day's
count), printing each provider's answer. The number's account, if any, also gets it by e-mail
and WeChat as it chose; the message is recorded like any other (发送记录, 短信用量)."""

from django.core.management.base import BaseCommand, CommandError

from notifications import kinds, services
from notifications.models import Delivery


class Command(BaseCommand):
    help = "用示例参数发送一条指定类别的测试消息，并逐个渠道打印服务商的回复。"

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, help="手机号，例如 13900000000")
        parser.add_argument("--kind", required=True, help="消息类别，例如 duty_reminder；--list 列出全部")
        parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                            help="替换一个示例参数（文字参数），可重复")

    def handle(self, *args, to, kind, param, **options):
        if kind == "list":
            for found in kinds.all_kinds():
                self.stdout.write(f"{found.code}\t{found.label}")
            return
        try:
            message_kind = kinds.get(kind)
        except kinds.KindError:
            raise CommandError(f"未知的消息类别 {kind}。可用：{', '.join(k.code for k in kinds.all_kinds())}") from None
        params = message_kind.samples()
        for item in param:
            name, sep, value = item.partition("=")
            if not sep or name not in params:
                raise CommandError(f"--param 应为 名称=值，名称是 {', '.join(params)} 之一。")
            if message_kind.param(name).type != kinds.TEXT:
                raise CommandError(f"参数 {name} 不是文字参数，不能替换。")
            params[name] = value
        note, deliveries = services.send_test_message(to, kind=message_kind, params=params)
        self.stdout.write(f"{message_kind.label}（{message_kind.code}）：{note.title}")
        if note.body:
            self.stdout.write(f"  {note.body}")
        failed = False
        for done in deliveries:
            answer = done.answer
            label = f"{done.get_channel_display()}（{done.provider or '-'}）→ {done.display_address}"
            if done.status == Delivery.Status.SENT:
                self.stdout.write(self.style.SUCCESS(f"{label}：已发送 {answer}"))
                continue
            failed = True
            reason = done.get_held_display() if done.held else (done.error_code or "")
            self.stdout.write(self.style.ERROR(
                f"{label}：{done.get_status_display()} {reason} {done.error}".rstrip()
            ))
        if failed:
            raise CommandError("有渠道没有发送成功，见上。")
