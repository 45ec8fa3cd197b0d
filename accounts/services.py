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


# Single sign-on --------------------------------------------------------------------------------------------


def _provider_id(partnership) -> str:
    """The provider's name in its sign-in and callback addresses: the partnership's, made unique."""
    from django.utils.text import slugify

    return f"{slugify(partnership.name)[:40] or 'partnership'}-{secrets.token_hex(3)}"


@transaction.atomic
def sign_on_save(
    *,
    partnership,
    name: str,
    issuer: str,
    client_id: str,
    client_secret: str,
    email_domains: str,
    by: Any,
    provider=None,
    request: Any = None,
):
    """Add a partnership's OpenID Connect provider, or change one (``provider``); a blank ``client_secret``
    keeps the stored one. Returns the ``SignOnProvider``."""
    from allauth.socialaccount.models import SocialApp

    from accounts.models import SignOnProvider

    issuer = issuer.strip().rstrip("/")
    if provider is None:
        app = SocialApp(provider="openid_connect", provider_id=_provider_id(partnership))
        provider = SignOnProvider(partnership=partnership)
    else:
        provider = SignOnProvider.objects.select_for_update().select_related("app").get(pk=provider.pk)
        app = provider.app
    app.name = name.strip()[: SocialApp._meta.get_field("name").max_length]  # the whole name is the provider's
    app.client_id = client_id.strip()
    if client_secret:
        app.secret = client_secret
    app.settings = {"server_url": issuer, "oauth_pkce_enabled": True}
    if not app.secret:
        raise ValidationError({"client_secret": "Enter the client secret"})
    app.save()
    provider.app = app
    provider.name = name.strip()
    provider.email_domains = ", ".join(
        dict.fromkeys(d.strip().lower().lstrip("@") for d in email_domains.split(",") if d.strip())
    )
    provider.full_clean()
    provider._history_user = getattr(by, "user", by)
    created = provider.pk is None
    provider.save()
    _sign_in_settings_changed(
        request,
        by,
        partnership,
        ("Single sign-on added" if created else "Single sign-on changed") + f": {issuer}",
        subject=provider.name,
    )
    return provider


@transaction.atomic
def sign_on_delete(*, provider, by: Any, request: Any = None) -> None:
    """Remove a provider. Refused while it is the partnership's only way in (passwords turned off)."""
    partnership = provider.partnership
    if not partnership.passwords_allowed and partnership.sign_on_providers.count() == 1:
        raise ValidationError("Turn passwords back on before removing the partnership's only single sign-on")
    app = provider.app
    provider._history_user = getattr(by, "user", by)
    provider.delete()
    app.delete()
    _sign_in_settings_changed(request, by, partnership, "Single sign-on removed", subject=provider.name)


@transaction.atomic
def passwords_allowed_set(*, partnership, allowed: bool, by: Any, request: Any = None) -> None:
    """Let the partnership's people sign in with a password here, or not. Turning them off needs a single
    sign-on to sign in with."""
    if not allowed and not partnership.sign_on_providers.exists():
        raise ValidationError("Add a single sign-on before turning passwords off: no one could sign in")
    partnership.passwords_allowed = allowed
    partnership._change_reason = "Passwords turned " + ("on" if allowed else "off")
    partnership._history_user = getattr(by, "user", by)
    partnership.save()
    _sign_in_settings_changed(request, by, partnership, "Passwords turned " + ("on" if allowed else "off"))


def _sign_in_settings_changed(request, by: Any, partnership, detail: str, *, subject: str = "") -> None:
    """Support changed how a partnership signs in: in that partnership's security log."""
    record(
        request,
        AuditEvent.Event.SIGN_IN_SETTINGS_CHANGED,
        user=getattr(by, "user", by),
        partnership=partnership.pk,
        subject=subject,
        detail=detail,
    )


# Second factors --------------------------------------------------------------------------------------------


@transaction.atomic
def second_factor_reset(*, person: Person, by: Person, request: Any = None) -> int:
    """A manager's reset of someone's second factor (they lost their phone and their recovery codes): every
    authenticator app, security key and recovery code of theirs stops working, they are told by email, and
    their history says who did it. At their next sign-in they set up a new one if their role needs it.
    Returns how many were removed."""
    from allauth.mfa.models import Authenticator

    if person.user.is_staff or person.user.is_superuser:
        raise ValidationError("This account is managed by the service's support team")
    if by is not None and by.pk == person.pk:
        raise ValidationError("You cannot reset your own second step: ask another partnership manager")
    removed, _ = Authenticator.objects.filter(user=person.user).delete()
    if not removed:
        raise ValidationError(f"{person.name} has no second factor to reset")
    end_sessions(person.user)
    person._change_reason = "Second factor reset"
    attribute(person, by)
    person.save()
    record_about(request, AuditEvent.Event.MFA_RESET, person, by=by, detail=f"{removed} removed")
    if person.user.email:
        body = render_to_string("accounts/email/second_factor_reset.txt", {"person": person, "by": by})
        transaction.on_commit(
            lambda: send_mail("Your second step at sign-in was reset", body, None, [person.user.email]), robust=True
        )
    return removed


def end_sessions(user: Any, *, keep: str | None = None) -> int:
    """Sign ``user`` out everywhere but the session ``keep`` (django-allauth's record of their sessions).
    Returns how many ended."""
    from allauth.usersessions.models import UserSession

    ended = 0
    for session in UserSession.objects.purge_and_list(user):
        if session.session_key != keep:
            session.end()
            ended += 1
    return ended


@transaction.atomic
def sign_out_everywhere(*, person: Person, by: Person, request: Any = None) -> int:
    """A manager signs someone out of every browser (a lost laptop, a shared one): they sign in again."""
    ended = end_sessions(person.user)
    person._change_reason = "Signed out everywhere"
    attribute(person, by)
    person.save()
    record_about(request, AuditEvent.Event.SIGNED_OUT_EVERYWHERE, person, by=by, detail=f"{ended} sessions ended")
    return ended
