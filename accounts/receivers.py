"""What follows from django-allauth's account events (connected in ``AccountsConfig.ready``)."""

from accounts import services
from accounts.second_factor import SESSION_KEY


def password_changed(sender, request, user, **kwargs):
    services.password_chosen(user, how="changed")


def password_reset(sender, request, user, **kwargs):
    services.password_chosen(user, how="set from a reset link")


def factor_removed(sender, request, user, **kwargs):
    """Removing one's own factor means the session must be checked again (it may now be missing)."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)


def end_other_sessions(sender, request, user, **kwargs):
    """A second factor added, removed or reset: every other session of the person ends (a thief's included)."""
    services.end_sessions(user, keep=getattr(getattr(request, "session", None), "session_key", None))


def reauthenticated(sender, request, user, reauthenticated: bool = False, **kwargs):
    """Confirming one's password or code again gets a new session key, as signing in does (ASVS 7.2.4)."""
    if reauthenticated and request is not None and hasattr(request, "session"):
        request.session.cycle_key()
