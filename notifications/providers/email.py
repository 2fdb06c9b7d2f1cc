"""E-mail through Django's configured backend, in the portal's own wording."""

from django.core.mail import send_mail


class EmailProvider:
    name = "email"
    needs_template = False

    def send(self, message):
        from notifications.providers import ProviderAnswer, ProviderError

        text = message.body + (f"\n\n{message.url}" if message.url else "")
        try:
            send_mail(message.title, text.strip(), None, [message.address])
        except Exception as exc:  # SMTP refused or unreachable: try again later
            raise ProviderError(type(exc).__name__, str(exc)[:500], retry=True) from exc
        return ProviderAnswer(code="OK")
