"""The security audit log: one row per sign-in, password, invitation, role or download event, never changed.

Append-only, enforced in three places:

* the model refuses to save a row a second time and to delete one (:meth:`AuditEvent.save`, ``delete``);
* its queryset refuses ``update()`` and ``delete()``, the one exception each way being the two things the
  service allows: Django clearing ``user`` when an account is deleted (``on_delete=SET_NULL``; the
  ``username`` written at the time stays) and :func:`audit.services.prune`, which deletes events older than
  ``settings.AUDIT_RETENTION_DAYS`` through :meth:`AuditEventQuerySet.prune_before`;
* the database refuses any UPDATE but that same clearing of ``user_id``, on SQLite and PostgreSQL alike
  (triggers written by migration ``0001_initial``). It does not refuse DELETE: the retention rule needs it,
  and anyone able to run SQL against the database could drop a trigger anyway.

On SQLite, a later migration that alters this table rebuilds it and loses the triggers: such a migration
must create them again (``tests/test_audit_log.py`` fails if an UPDATE gets through).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from audit.user_agents import short_browser
from inspections.models import Partnership
from inspections.tenancy import TenantQuerySet

#: Longest text kept of each field a browser or a person types: the rest is cut off, never refused.
USER_AGENT_LENGTH = 500
USERNAME_LENGTH = 254
SUBJECT_LENGTH = 300
DETAIL_LENGTH = 500


class AppendOnly(RuntimeError):
    """Code tried to change or delete an audit event: a programming error, never a user's."""


class AuditEventQuerySet(TenantQuerySet):
    def update(self, **kwargs: Any) -> int:
        # Django's on_delete=SET_NULL clears the link to a deleted account with update(user=None).
        if kwargs.keys() == {"user"} and kwargs["user"] is None:
            return super().update(**kwargs)
        raise AppendOnly("Audit events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly(
            "Audit events are deleted only when older than the retention period: manage.py prune_audit_log"
        )

    def prune_before(self, cutoff: Any) -> int:
        """Delete the events before ``cutoff``: for :func:`audit.services.prune` alone. Returns how many."""
        deleted, _ = models.QuerySet.delete(self.filter(at__lt=cutoff))
        return deleted


class AuditEvent(models.Model):
    """Something that matters to the security of the service: who, when, from where, with which browser."""

    class Event(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out"
        SIGNED_OUT = "signed_out", "Signed out"
        SIGNED_OUT_EVERYWHERE = "signed_out_everywhere", "Signed out everywhere by a manager"
        MFA_ENROLLED = "mfa_enrolled", "Second factor set up"
        MFA_REMOVED = "mfa_removed", "Second factor removed"
        MFA_RESET = "mfa_reset", "Second factor reset by a manager"
        RECOVERY_CODES_GENERATED = "recovery_codes_generated", "Recovery codes created"
        PASSWORD_SET = "password_set", "Password set"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset link asked for"
        PASSWORD_RESET = "password_reset", "Password reset from an email link"
        PASSWORD_RESET_BY_MANAGER = "password_reset_by_manager", "Temporary password given by a manager"
        INVITATION_SENT = "invitation_sent", "Invitation sent"
        INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
        INVITATION_REVOKED = "invitation_revoked", "Invitation withdrawn"
        PERSON_ADDED = "person_added", "Person added"
        SIGN_IN_SETTINGS_CHANGED = "sign_in_settings_changed", "Sign-in settings changed"
        ROLE_CHANGED = "role_changed", "Role changed"
        EMAIL_CHANGED = "email_changed", "Email address changed"
        PERSON_DEACTIVATED = "person_deactivated", "Person deactivated"
        PERSON_REACTIVATED = "person_reactivated", "Person reactivated"
        REPORT_DOWNLOADED = "report_downloaded", "Report downloaded"
        EVIDENCE_DOWNLOADED = "evidence_downloaded", "Evidence downloaded"
        EXPORTED = "exported", "Data exported"
        MONITOR_ACCESS_GIVEN = "monitor_access_given", "Outside monitor given access to a plan"
        MONITOR_ACCESS_REMOVED = "monitor_access_removed", "Outside monitor's access removed"
        MONITOR_VIEWED = "monitor_viewed", "Outside monitor viewed"
        API_TOKEN_CREATED = "api_token_created", "API token created"
        API_TOKEN_REVOKED = "api_token_revoked", "API token revoked"
        #: Written at most once a minute per token (api.services.token_used), not for every request.
        API_USED = "api_used", "API used"

    partnership_lookup = "partnership"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    event = models.CharField(max_length=40, choices=Event.choices)
    #: None for what belongs to no partnership: a failed sign-in for an unknown name, support staff's own sign-in.
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    #: The account that did it (or, for a failed sign-in, whose name was typed).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    #: The username as typed, or as it was at the time: it outlives a renamed or deleted account.
    username = models.CharField(max_length=USERNAME_LENGTH, blank=True)
    #: Who or what the event concerns: the person whose role changed, the file downloaded.
    subject = models.CharField(max_length=SUBJECT_LENGTH, blank=True)
    #: The client's address (jtai_tracker.client_ip); None when no request caused it (a command).
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=USER_AGENT_LENGTH, blank=True)
    detail = models.CharField(max_length=DETAIL_LENGTH, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["partnership", "-at"], name="audit_partnership_at")]

    def __str__(self) -> str:
        who = self.username or "no one signed in"
        return f"{self.get_event_display()}: {who}, {self.at:%Y-%m-%d %H:%M:%S}" if self.at else self.event

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("Audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly(
            "Audit events are deleted only when older than the retention period: manage.py prune_audit_log"
        )

    @property
    def browser(self) -> str:
        """The browser and system in a few words ("Firefox 128 on Windows"), for the page; the CSV keeps it whole."""
        return short_browser(self.user_agent)
