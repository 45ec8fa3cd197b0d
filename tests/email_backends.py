"""Email is the one thing tests fake: a backend that keeps mail like locmem but refuses some addresses."""

import smtplib

from django.core.mail.backends import locmem

#: Mail to an address at this domain is refused, as an SMTP server refuses an unknown recipient.
REFUSED_DOMAIN = "refused.invalid"


#: For ``settings.EMAIL_BACKEND``.
REFUSING = "tests.email_backends.RefusingEmailBackend"


class RefusingEmailBackend(locmem.EmailBackend):
    """Keeps each message in ``mail.outbox``, unless one of its recipients is at :data:`REFUSED_DOMAIN`."""

    def send_messages(self, messages):
        for message in messages:
            refused = [to for to in message.recipients() if to.endswith("@" + REFUSED_DOMAIN)]
            if refused:
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(refused, (550, b"No such mailbox")))
        return super().send_messages(messages)
