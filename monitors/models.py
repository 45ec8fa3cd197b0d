"""Outside monitors: an inspector or adviser (a DfE or NHS England SEND adviser, an Ofsted inspector) who reads
particular action plans, in one partnership or several, without being a member of any.

A monitor is an account with no ``people.Person``. What they may read is their current :class:`MonitorAccess`
rows: each names one plan, who gave it and when, and whether it has been taken away. They see only the plan's
endorsed rounds and published committee reports (``monitors.selectors``); everywhere else is a 404
(``monitors.middleware.MonitorWallMiddleware``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.models import ActionPlan
from inspections.tenancy import TenantQuerySet
from people.models import Person


class MonitorAccessQuerySet(TenantQuerySet):
    def current(self) -> MonitorAccessQuerySet:
        """Not taken away."""
        return self.filter(revoked_at__isnull=True)

    def of(self, user) -> MonitorAccessQuerySet:
        """The user's own access, current or not: nothing for anyone signed out or deactivated."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(user=user)


class MonitorAccess(models.Model):
    """One outside monitor's right to read one plan, from the day a manager gave it to the day one took it away.

    Taking it away keeps the row (who gave it, who took it away, when): a monitor given the plan again gets a
    new row. At most one current row per monitor and plan.
    """

    partnership_lookup = "plan__inspection__partnership"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="monitor_accesses")
    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="monitor_accesses")
    organisation = models.CharField(
        "Organisation and role", max_length=200, help_text="Who they are, for example DfE SEND adviser."
    )
    invited_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    history = HistoricalRecords()

    objects = MonitorAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-invited_at", "-id"]
        verbose_name_plural = "monitor accesses"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "plan"], condition=models.Q(revoked_at__isnull=True), name="monitor_access_once"
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | models.Q(revoked_by__isnull=False),
                name="monitor_access_revoked_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()}: {self.plan}"

    @property
    def is_current(self) -> bool:
        return self.revoked_at is None


class MonitorInvitationQuerySet(TenantQuerySet):
    def open(self) -> MonitorInvitationQuerySet:
        """Not yet used, not revoked and not expired."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class MonitorInvitation(models.Model):
    """One emailed link with which a new outside monitor sets their password: the same rules as a member's
    (``accounts.models.Invitation``): only a hash of its token kept, 7 days, used once, a new one revoking the
    open one. It belongs to the access it was sent for, so the partnership that sent it sees it in its log."""

    partnership_lookup = "access__plan__inspection__partnership"

    access = models.ForeignKey(MonitorAccess, on_delete=models.PROTECT, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    sent_to = models.EmailField(max_length=254)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = MonitorInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation to {self.sent_to}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def is_usable(self) -> bool:
        """The link may still set a password: open, the account active, sent to its address now, and the monitor
        still able to see some plan."""
        user = self.access.user
        return (
            self.is_open
            and user.is_active
            and self.sent_to.lower() == user.email.lower()
            and MonitorAccess.objects.filter(user=user).current().exists()
        )

    @property
    def expires_on(self) -> datetime.date:
        return timezone.localdate(self.expires_at)
