"""SMS backends. A county plugs in its provider by setting SMS_BACKEND to a class with
`send(phone, text)`; the default writes the message to the log."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("notifications.sms")


class LogSmsBackend:
    def send(self, phone, text):
        logger.info("sms", extra={"phone_tail": phone[-4:], "text": text})


class MemorySmsBackend:
    """For tests: keeps what was sent in `outbox`."""

    outbox = []

    def send(self, phone, text):
        self.outbox.append((phone, text))


def get_backend():
    return import_string(settings.SMS_BACKEND)()
