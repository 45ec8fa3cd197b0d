"""Committee reports: the officer's text around a round's agreed figures, and the versions published."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from actions.models import ActionPlan, MonitoringRound
from inspections.tenancy import TenantQuerySet
from jtai_tracker.versions import Versioned
from people.models import Person


class CommitteeReport(Versioned):
    """The report an officer writes to a council committee about one monitoring round.

    The officer's sections are plain text: a blank line between paragraphs and
    "- " at the start of a line for a bullet. The figures are not stored here:
    they are read from the round whenever the report is shown, and frozen only
    when a version is published (:class:`PublishedReport`).
    """

    partnership_lookup = "plan__inspection__partnership"

    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="committee_reports")
    round = models.OneToOneField(MonitoringRound, on_delete=models.PROTECT, related_name="committee_report")
    committee = models.CharField(
        max_length=200, blank=True, help_text="e.g. Families and Children's Overview and Scrutiny Committee."
    )
    meeting_date = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=200)
    report_of = models.CharField("report of", max_length=200, help_text="The officer presenting the report.")
    report_of_role = models.CharField("role", max_length=200, blank=True)
    cabinet_member = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=60, blank=True, help_text="The committee's item or report number.")
    purpose = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    key_issues = models.TextField(blank=True)
    background = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "round__period_end"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.plan_id and self.round_id and self.round.plan_id != self.plan_id:
            raise ValidationError("The round must belong to the report's plan.")


class PublishedReport(models.Model):
    """One version of a committee report as it was published for a meeting. Never changes once written.

    It keeps its own copy of everything a reader needs: the HTML it was rendered
    from (stylesheets included), the PDF and its SHA-256, and the figures as JSON,
    so later edits to actions, rounds or the report's text cannot alter it.
    No change history: the row is written once and the PDF would be copied into it.
    """

    partnership_lookup = "report__plan__inspection__partnership"

    report = models.ForeignKey(CommitteeReport, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    committee = models.CharField(max_length=200)
    meeting_date = models.DateField()
    html = models.TextField()
    pdf = models.BinaryField()
    figures = models.JSONField()
    sha256 = models.CharField("SHA-256 of the PDF", max_length=64)
    published_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["report", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="published_report_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("A published report never changes: publish a new version instead.")
        super().save(*args, **kwargs)

    @property
    def filename(self) -> str:
        from django.utils.text import slugify

        return f"{slugify(self.title)[:80]}-v{self.version}"
