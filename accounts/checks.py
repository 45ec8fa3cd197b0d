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


@register(Tags.security, deploy=True)
def rate_limits_are_shared(app_configs, **kwargs):
    """Failed sign-ins and spent second-factor codes are counted in the cache: one all processes share."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("locmem.LocMemCache", "dummy.DummyCache")):
        return [
            Warning(
                f"The cache is {backend}: each server process would count failed sign-ins and spent "
                "authenticator codes on its own, so the limits would not hold across processes.",
                hint="Set REDIS_URL (for example redis://127.0.0.1:6379/0).",
                id="accounts.W002",
            )
        ]
    return []
