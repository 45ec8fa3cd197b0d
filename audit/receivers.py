"""What the sign-in machinery does, recorded from its signals: the one place the audit log listens rather
than being called.

Django's own signals say who signed in, who failed and who signed out, whichever page did it (the sign-in
page, an invitation, django-allauth's pages). django-allauth's signals say when a password was changed, set
or reset and when a second factor was added, removed or its recovery codes made anew; its account signals
can be connected whether or not allauth is installed, its MFA signals only once ``allauth.mfa`` is. A
lockout is recorded by the throttle itself (``accounts.adapter.AccountAdapter.pre_authenticate``), and a
reset link asked for by its form (``accounts.forms.ResetRequestForm``): allauth sends no signal for either.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import signals as auth_signals

from audit.models import AuditEvent
from audit.services import record

Event = AuditEvent.Event

#: django-allauth's ``Authenticator.Type.RECOVERY_CODES``, written out: its models load only when it is installed.
RECOVERY_CODES = "recovery_codes"


def connect() -> None:
    """Connect every receiver (``AuditConfig.ready``); connecting twice changes nothing."""
    auth_signals.user_logged_in.connect(signed_in, dispatch_uid="audit.signed_in")
    auth_signals.user_login_failed.connect(sign_in_failed, dispatch_uid="audit.sign_in_failed")
    auth_signals.user_logged_out.connect(signed_out, dispatch_uid="audit.signed_out")
    connect_allauth_account()
    if apps.is_installed("allauth.mfa"):
        connect_allauth_mfa()


def connect_allauth_account() -> None:
    from allauth.account import signals

    signals.password_changed.connect(password_changed, dispatch_uid="audit.password_changed")
    signals.password_set.connect(password_set, dispatch_uid="audit.password_set")
    signals.password_reset.connect(password_reset, dispatch_uid="audit.password_reset")


def connect_allauth_mfa() -> None:
    from allauth.mfa import signals

    signals.authenticator_added.connect(authenticator_added, dispatch_uid="audit.authenticator_added")
    signals.authenticator_removed.connect(authenticator_removed, dispatch_uid="audit.authenticator_removed")
    signals.authenticator_reset.connect(authenticator_reset, dispatch_uid="audit.authenticator_reset")


# Django: signing in and out ------------------------------------------------------------------------------


def signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(request, Event.SIGNED_IN, user=user)


def sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    """The name as typed (Django has already hidden the password); ``record`` finds the account it names."""
    typed = str(credentials.get("username") or credentials.get("login") or credentials.get("email") or "")
    record(request, Event.SIGN_IN_FAILED, username=typed)


def signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:  # signing out when not signed in is nothing to record
        record(request, Event.SIGNED_OUT, user=user)


def locked_out(sender: Any, request: Any, username: str | None = None, **kwargs: Any) -> None:
    record(request, Event.LOCKED_OUT, username=username or "")


# django-allauth: passwords and second factors ---------------------------------------------------------------


def password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(request, Event.PASSWORD_CHANGED, user=user)


def password_set(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(request, Event.PASSWORD_SET, user=user)


def password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(request, Event.PASSWORD_RESET, user=user)


def authenticator_added(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    # Recovery codes are added on their own when the first authenticator app is set up.
    if authenticator.type == RECOVERY_CODES:
        record(request, Event.RECOVERY_CODES_GENERATED, user=user)
    else:
        record(request, Event.MFA_ENROLLED, user=user, detail=_kind(authenticator))


def authenticator_removed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    record(request, Event.MFA_REMOVED, user=user, detail=_kind(authenticator))


def authenticator_reset(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    """allauth's only reset is of recovery codes: a new set replaces the old."""
    record(request, Event.RECOVERY_CODES_GENERATED, user=user)


_KINDS = {"totp": "Authenticator app", "webauthn": "Security key or passkey", RECOVERY_CODES: "Recovery codes"}


def _kind(authenticator: Any) -> str:
    return _KINDS.get(authenticator.type, str(authenticator.type))
