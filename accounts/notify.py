"""Email through GOV.UK Notify, when the service has a Notify key (``NOTIFY_API_KEY``).

Every email the tracker sends (invitations, password reset links, reminders) is an ordinary Django email;
this backend hands each one to Notify's own client, through one Notify template whose subject is
``((subject))`` and body ``((body))`` (``NOTIFY_TEMPLATE_ID``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.notifications import NotificationsAPIClient


class NotifyEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        client = NotificationsAPIClient(settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL)
        sent = 0
        for message in email_messages:
            for address in message.recipients():
                try:
                    client.send_email_notification(
                        email_address=address,
                        template_id=settings.NOTIFY_TEMPLATE_ID,
                        personalisation={"subject": message.subject, "body": message.body},
                    )
                except Exception:
                    if not self.fail_silently:
                        raise
                else:
                    sent += 1
        return sent
