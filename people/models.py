"""People of a partnership and the role each plays in the action plan."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from inspections.models import Agency, Partnership
from inspections.tenancy import TenantQuerySet
from jtai_tracker.versions import Versioned


class Person(Versioned):
    """A user's place in one partnership: their agency and their role.

    A leaver is deactivated (their user account), never deleted, so the
    updates they wrote keep their name.
    """

    class Role(models.TextChoices):
        MANAGER = "manager", "Partnership manager"
        CHAIR = "chair", "Sub-group chair"
        LEAD = "lead", "Action lead"
        OFFICER = "officer", "Report officer"
        VIEWER = "viewer", "Viewer"

    partnership_lookup = "partnership"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="person")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="people")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="people")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    job_title = models.CharField(max_length=200, blank=True)
    #: Signed in with a temporary password a manager gave them: they choose their own before anything else.
    must_change_password = models.BooleanField(default=False)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """Their full name; someone known only by their post (a lead imported by job title) by that."""
        return self.user.get_full_name() or self.job_title or self.user.get_username()

    @property
    def is_active(self) -> bool:
        return self.user.is_active

    def clean(self) -> None:
        if self.agency_id and self.partnership_id and self.agency.partnership_id != self.partnership_id:
            raise ValidationError({"agency": "Choose an agency of this person's own partnership."})
