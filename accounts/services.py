"""Invitations and passwords: how a person comes to have a password of their own.

A manager (or support, for a partnership's first manager) adds someone; :func:`invite` emails them a
single-use link that expires after :data:`INVITATION_DAYS` days. Following it they choose a password
(:func:`invitation_accept`) and are signed in. A new invitation revokes the open one; a manager may revoke
one outright. Someone who has forgotten their password asks for a reset link by email (Django's reset,
with ``accounts.forms.ResetRequestForm``), and someone given a temporary password by their manager must
change it at first sign-in (``accounts.middleware``).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from audit.models import AuditEvent
from audit.services import record, record_about
from jtai_tracker.writes import attribute
from people.models import Person

INVITATION_DAYS = 7


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('invitation', args=[token])}"


@transaction.atomic
def invite(*, person: Person, by: Any, request: Any = None) -> Invitation:
    """Email ``person`` a new link to set their password (revoking any open one). ``by`` is the user sending it;
    ``request`` (None from a command) gives the audit log its address.

    The email leaves once the transaction commits, so a refused change never sends one.
    """
    if not person.user.email:
        raise ValidationError("Add their email address before sending an invitation")
    if not person.user.is_active:
        raise ValidationError(f"{person.name} is deactivated: reactivate them first")
    if person.user.is_staff or person.user.is_superuser:
        raise ValidationError("This account is managed by the service's support team")
    now = timezone.now()
    revoke_open_invitations(person)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        person=person,
        token_hash=_hash(token),
        sent_to=person.user.email,
        created_at=now,
        expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
        sent_by=by,
    )
    record_about(request, AuditEvent.Event.INVITATION_SENT, person, by=by, detail=f"Sent to {invitation.sent_to}")
    context = {
        "person": person,
        "partnership": person.partnership,
        "link": invitation_link(token),
        "expires_on": invitation.expires_on,
        "sender": getattr(getattr(by, "person", None), "name", "") or "The service's support team",
    }
    subject = f"You have been invited to the {person.partnership.name} action plan tracker"
    body = render_to_string("accounts/email/invitation.txt", context)
    # robust: a mail server that is down is logged, never a server error after the person has been saved;
    # the manager can send the invitation again from the person's page.
    transaction.on_commit(lambda: send_mail(subject, body, None, [invitation.sent_to]), robust=True)
    return invitation


def invitation_for(token: str) -> Invitation | None:
    """The invitation the link names, whatever its state; None if there is none."""
    return (
        Invitation.objects.select_related("person__user", "person__partnership").filter(token_hash=_hash(token)).first()
    )


@transaction.atomic
def invitation_accept(*, token: str, password: str, request: Any = None) -> Person:
    """Set the invited person's password from their link; the link is spent. Refuses a link that is not open."""
    invitation = (
        Invitation.objects.select_for_update().select_related("person__user").filter(token_hash=_hash(token)).first()
    )
    if invitation is None or not invitation.is_usable:
        raise ValidationError("This link has expired or has already been used")
    person = invitation.person
    validate_password(password, person.user)
    person.user.set_password(password)
    person.user.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    Invitation.objects.filter(person=person).open().update(revoked_at=invitation.accepted_at)
    if person.must_change_password:
        person.must_change_password = False
    attribute(person, person)
    person.save()
    record(request, AuditEvent.Event.INVITATION_ACCEPTED, user=person.user, partnership=person.partnership_id)
    return person


def revoke_open_invitations(person: Person) -> int:
    """Every open link of the person stops working: when a new one is sent, their address changes, they are
    deactivated, or they get a password another way. Returns how many were open."""
    return Invitation.objects.filter(person=person).open().update(revoked_at=timezone.now())


@transaction.atomic
def invitation_revoke(*, person: Person, by: Person, request: Any = None) -> int:
    """Make the person's open invitation links useless. Returns how many were open."""
    revoked = revoke_open_invitations(person)
    attribute(person, by)
    person.save()
    if revoked:
        record_about(request, AuditEvent.Event.INVITATION_REVOKED, person, by=by)
    return revoked


@transaction.atomic
def password_chosen(user: Any, *, how: str) -> None:
    """The user has just chosen their own password (``how``: "changed" or "set from a reset link"): no
    temporary password or invitation stands any more, and the person's history says so."""
    person = getattr(user, "person", None)
    if person is None:
        return
    revoke_open_invitations(person)
    person.must_change_password = False
    person._change_reason = f"Password {how}"
    attribute(person, person)
    person.save()
