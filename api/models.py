"""A partnership's API tokens: what a script, Power BI or Excel presents to read the partnership's data.

A token is ``jtai_<prefix>_<secret>``. Only its SHA-256 is kept (``digest``), with the prefix in clear so the
manager's list can tell tokens apart; the whole token is shown once, when it is made (``api.services.token_create``).
A token reads one partnership's rows, within its scopes, until it expires or a manager revokes it.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from inspections.models import Partnership
from inspections.tenancy import TenantQuerySet
from people.models import Person


class Scope(models.TextChoices):
    """What a token may read."""

    PLANS = "plans", "Read plans: actions, findings, rounds, updates, evidence details, figures and the facts feed"
    REPORTS = "reports", "Read published committee reports and download them"


#: The longest a token may live; a manager makes a new one after that.
LONGEST_LIFE = datetime.timedelta(days=366)


class ApiTokenQuerySet(TenantQuerySet):
    def usable(self, now: datetime.datetime | None = None) -> ApiTokenQuerySet:
        """Neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ApiToken(models.Model):
    partnership_lookup = "partnership"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What uses it, for example Power BI dashboard.")
    scopes = models.JSONField(default=list)
    #: The token's visible start (``jtai_<prefix>``), shown in lists and the audit log.
    prefix = models.CharField(max_length=20, unique=True)
    #: SHA-256 of the whole token, hex: the token itself is never stored.
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    #: Written at most once a minute per token (``api.services.token_used``).
    last_used_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_used_at", "digest"])

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A revoked token's name may be used again.
            models.UniqueConstraint(
                fields=["partnership", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="api_token_unique_name_per_partnership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired

    @property
    def last_day(self) -> datetime.date:
        """The last day it works (it expires at midnight, local time, at that day's end)."""
        return timezone.localtime(self.expires_at).date() - datetime.timedelta(days=1)

    @property
    def status(self) -> str:
        if self.is_revoked:
            return "Revoked"
        return "Expired" if self.is_expired else "Active"

    def allows(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def scope_words(self) -> str:
        """What it may read, in words: "plans and published reports"."""
        words = {Scope.PLANS: "plans", Scope.REPORTS: "published reports"}
        return " and ".join(words[scope] for scope in Scope.values if scope in self.scopes)
