"""An invitation: a single-use link, sent by email, with which a new person sets their own password."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from inspections.tenancy import TenantQuerySet
from people.models import Person


class InvitationQuerySet(models.QuerySet):
    def open(self) -> InvitationQuerySet:
        """Not yet used, not revoked and not expired."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """One emailed link to set a password. Only a hash of its token is kept, so a copy of the database cannot
    be used to sign in; a new invitation to the same person revokes the old one."""

    partnership_lookup = "person__partnership"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    sent_to = models.EmailField(max_length=254)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    #: Who sent it: the manager, or a support account (which has no person) for a partnership's first manager.
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation to {self.sent_to}"

    @property
    def state(self) -> str:
        """'accepted', 'revoked', 'expired' or 'open'."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def is_usable(self) -> bool:
        """The link may still set a password: open, its person active, and sent to the address they have now."""
        user = self.person.user
        return self.is_open and user.is_active and self.sent_to.lower() == user.email.lower()

    @property
    def is_accepted(self) -> bool:
        return self.state == "accepted"

    @property
    def is_expired(self) -> bool:
        return self.state == "expired"

    @property
    def expires_on(self) -> datetime.date:
        return timezone.localdate(self.expires_at)


class SignOnProvider(models.Model):
    """A partnership's single sign-on: an OpenID Connect provider (Microsoft Entra ID, NHSmail, any compliant
    one) its people sign in through, set up by support (``accounts.services.sign_on_save``).

    The provider's address, client ID and secret are django-allauth's ``SocialApp`` (``app``); this row says
    whose it is and which email addresses it is for, so the sign-in page can send someone to it by the domain
    of the address they type. A partnership may have several (the council's, the NHS's, the police's).
    """

    partnership_lookup = "partnership"

    partnership = models.ForeignKey(
        "inspections.Partnership", on_delete=models.CASCADE, related_name="sign_on_providers"
    )
    app = models.OneToOneField("socialaccount.SocialApp", on_delete=models.PROTECT, related_name="sign_on")
    name = models.CharField(max_length=100, help_text="What people see, e.g. Northshire Council (Microsoft Entra ID).")
    email_domains = models.CharField(
        max_length=500,
        help_text="The email addresses it is for, by what follows the @, e.g. northshire.gov.uk, nhs.net.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="sign_on_name_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def domains(self) -> list[str]:
        return [domain.strip().lower().lstrip("@") for domain in self.email_domains.split(",") if domain.strip()]

    @property
    def provider_id(self) -> str:
        return self.app.provider_id

    @property
    def issuer(self) -> str:
        return (self.app.settings or {}).get("server_url", "")
