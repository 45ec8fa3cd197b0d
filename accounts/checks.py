"""``manage.py check --deploy``: a live service must send its email, not print it.

Invitation and password reset emails carry links that sign someone in; printed to the console (the
development default) they would land in the server's logs for anyone who reads them.
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register

_NOT_SENT = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security, deploy=True)
def email_is_sent(app_configs, **kwargs):
    if settings.EMAIL_BACKEND in _NOT_SENT:
        return [
            Warning(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: invitation and password reset links would not be "
                "emailed, and the console backend would write them, each a way to sign in, to the logs.",
                hint="Set NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID (GOV.UK Notify) or EMAIL_HOST (SMTP).",
                id="accounts.W001",
            )
        ]
    return []
