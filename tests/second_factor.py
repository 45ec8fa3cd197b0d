"""Second factors in tests: a code from an authenticator app, and a session that passed one at sign-in."""

import time

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

#: An authenticator app's secret (base32), as the QR code carries it.
SECRET = "JBSWY3DPEHPK3PXP"


def code(secret: str = SECRET, *, at: float | None = None, step: int = 0) -> str:
    """The 6-digit code an authenticator app shows (``step`` periods of 30 seconds later)."""
    counter = int(at if at is not None else time.time()) // 30 + step
    return format_hotp_value(hotp_value(secret, counter))


def enrol(user, secret: str = SECRET) -> Authenticator:
    return TOTP.activate(user, secret).instance


def signed_in_with_second_factor(client, user) -> None:
    """``client`` signed in as ``user`` as if through the password and the authenticator app."""
    from django.http import HttpRequest

    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    record_authentication(request, user, "password", username=user.get_username())
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()


def signed_in_just_now(client, user) -> None:
    """``client`` signed in as ``user`` through the password a moment ago: fresh enough not to be asked again."""
    from django.http import HttpRequest

    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    record_authentication(request, user, "password", username=user.get_username())
    request.session.save()
