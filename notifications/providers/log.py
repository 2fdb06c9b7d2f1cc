"""SMS without a provider: the log (the default, for `make run`) and a list in memory (tests)."""

import logging

logger = logging.getLogger("notifications.sms")


def sms_text(message):
    """The SMS as the portal words it (used where no provider template applies)."""
    text = f"{message.title}。{message.body}" if message.body else message.title
    return text[:300]


class LogProvider:
    """Writes each SMS to the log, with only the number's last four digits."""

    name = "log"
    needs_template = False

    def send(self, message):
        from notifications.providers import ProviderAnswer

        logger.info("sms", extra={"phone_tail": message.address[-4:], "kind": message.kind.code,
                                  "text": sms_text(message)})
        return ProviderAnswer(code="OK", message="已写入日志", sent={"text": sms_text(message)})


class MemoryProvider:
    """For tests: keeps what was sent in `outbox` as (number, kind, text)."""

    name = "memory"
    needs_template = False
    outbox = []

    def send(self, message):
        from notifications.providers import ProviderAnswer

        self.outbox.append((message.address, message.kind.code, sms_text(message)))
        return ProviderAnswer(code="OK", message="memory", sent={"text": sms_text(message)})
