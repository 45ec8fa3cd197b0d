"""An invitation: a single-use link, sent by email, with which a new person sets their own password."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

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
