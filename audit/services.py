"""Writing the security audit log: :func:`record` is the one way an event is written, :func:`prune` the one way
old events go.

Where each event is recorded (ARCHITECTURE.md, "A security event is recorded"): a service records the
change it makes, in its own transaction, from the ``request`` its caller hands it (None from commands and
imports); ``audit/receivers.py`` records what the sign-in machinery does; ``audit/downloads.py`` records the
files handed out.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from audit.models import (
    DETAIL_LENGTH,
    SUBJECT_LENGTH,
    USER_AGENT_LENGTH,
    USERNAME_LENGTH,
    AuditEvent,
)
from jtai_tracker.client_ip import client_ip


def record(
    request: HttpRequest | None,
    event: str,
    *,
    user: Any = None,
    partnership: Any = None,
    subject: str = "",
    detail: str = "",
    username: str | None = None,
) -> AuditEvent:
    """Write one event, now: who, the client's address (:func:`jtai_tracker.client_ip.client_ip`) and browser
    from ``request`` (none without one: a command).

    Who is ``user``; without it, the request's signed-in user; failing that, the account ``username`` names, if
    any (a failed sign-in or a lockout: the name or email address as typed). ``partnership`` (a Partnership or
    its id) is whose log shows the event; without it, the partnership of the user's person, if they have one
    (support staff and unknown names have none). ``username`` defaults to the user's username now. Text too
    long for its column is cut short, never refused: a sign-in must not fail because of what someone typed.
    """
    actor = getattr(request, "user", None) if request is not None else None
    if user is None and actor is not None and actor.is_authenticated:
        if isinstance(actor, get_user_model()):
            user = actor
        else:  # an API token's holder (api.authentication.TokenHolder): no account, its token's partnership
            username = str(actor) if username is None else username
            partnership = actor.person.partnership_id if partnership is None else partnership
    if user is None and username:
        user = account_named(username)
    if username is None:
        username = user.get_username() if user is not None else ""
    if partnership is None and user is not None:
        partnership = _partnership_id_of_account(user)
    return AuditEvent.objects.create(
        event=event,
        partnership_id=getattr(partnership, "pk", partnership),
        user=user,
        username=username[:USERNAME_LENGTH],
        subject=subject[:SUBJECT_LENGTH],
        detail=detail[:DETAIL_LENGTH],
        ip_address=client_ip(request) if request is not None else None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH] if request is not None else "",
    )


def account_named(typed: str) -> Any:
    """The account a typed username or email address names (each is unique whatever its case), or None."""
    user_model = get_user_model()
    found = Q(**{f"{user_model.USERNAME_FIELD}__iexact": typed})
    if "@" in typed:
        found |= Q(email__iexact=typed)
    return user_model._default_manager.filter(found).select_related("person").first()


def _partnership_id_of_account(user: Any) -> int | None:
    """The partnership of the account's person, active or not.

    Not :func:`inspections.tenancy.partnership_id_of`, which says what a user may see and so answers None
    for a deactivated account: an attempt to sign in to a leaver's account belongs in their partnership's log.
    """
    person = getattr(user, "person", None)  # a user without a person raises an AttributeError subclass
    return person.partnership_id if person is not None else None


def about(person: Any) -> str:
    """How an event names the person it concerns: "Priya Shah (priya.shah)"."""
    return f"{person.name} ({person.user.get_username()})"


def record_about(request: HttpRequest | None, event: str, person: Any, *, by: Any, detail: str = "") -> AuditEvent:
    """An event that concerns ``person`` (added, invited, their role changed): in their partnership's log, done by
    ``by`` (a Person, a user account, or None: the request's signed-in user, if any)."""
    user = getattr(by, "user", by)  # a Person's account; an account is itself
    return record(request, event, user=user, partnership=person.partnership_id, subject=about(person), detail=detail)


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Events before this moment are older than ``settings.AUDIT_RETENTION_DAYS`` days."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)


def prune(*, now: datetime.datetime | None = None) -> int:
    """Delete every event older than the retention period; the only deletion the log allows. Returns how many.

    Running it again deletes nothing more until more events come of age.
    """
    return AuditEvent.objects.prune_before(retention_cutoff(now))
