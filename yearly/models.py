"""The partnership's yearly report (Working Together 2023): what the partners did in a year and its impact.

The officer's sections are plain text, as in a committee report (a blank line between paragraphs, "- " for a
bullet). The tables are not stored here: they are read from the record as at the year's end whenever the
report is shown (:func:`yearly.selectors.year_figures`), and frozen only when a version is published
(:class:`PublishedYearlyReport`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from inspections.models import Partnership
from inspections.tenancy import TenantQuerySet
from jtai_tracker.versions import Versioned
from people.models import Person
from reports.models import PublishedPdf

#: The officer's written sections, in the order the report prints them: (field, heading).
SECTIONS = (
    ("introduction", "Introduction"),
    ("what_was_done", "What the partners did"),
    ("impact_shown", "The impact shown"),
    ("not_implemented", "What was not implemented, and why"),
    ("learning_from_reviews", "Learning from reviews"),
    ("next_steps", "What comes next"),
)
SECTION_FIELDS = tuple(name for name, _heading in SECTIONS)


class YearlyReport(Versioned):
    """The report the safeguarding partners publish every 12 months: one per partnership per year."""

    partnership_lookup = "partnership"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="yearly_reports")
    starts_on = models.DateField("start of the year")
    ends_on = models.DateField("end of the year")
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    what_was_done = models.TextField("what the partners did", blank=True)
    impact_shown = models.TextField("the impact shown", blank=True)
    not_implemented = models.TextField("what was not implemented, and why", blank=True)
    learning_from_reviews = models.TextField("learning from reviews", blank=True)
    next_steps = models.TextField("what comes next", blank=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "starts_on"], name="yearly_report_once_per_year"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="yearly_report_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def year_label(self) -> str:
        """The year in words, e.g. "1 April 2025 to 31 March 2026"."""
        return f"{_long(self.starts_on)} to {_long(self.ends_on)}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": "The end of the year must be after its start"})


def _long(day) -> str:
    return f"{day.day} {day:%B} {day.year}"


class PublishedYearlyReport(PublishedPdf):
    """One version of a yearly report as it was published. Never changes once written.

    It keeps its own copy of everything a reader needs: the HTML (stylesheets included), the PDF and its
    SHA-256 (the PDF a stored file: :class:`reports.models.PublishedPdf`), and the tables as JSON, so later
    changes to actions, rounds or the draft cannot alter it.
    """

    partnership_lookup = "report__partnership"

    report = models.ForeignKey(YearlyReport, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    #: The report's own ``version`` (its saves) that was published: each saved state is published once at most.
    report_version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    html = models.TextField()
    figures = models.JSONField()
    sha256 = models.CharField("SHA-256 of the PDF", max_length=64)
    published_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["report", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="published_yearly_version_once"),
            models.UniqueConstraint(fields=["report", "report_version"], name="published_yearly_saved_state_once"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("A published yearly report never changes: publish a new version instead.")
        super().save(*args, **kwargs)

    @property
    def filename(self) -> str:
        return f"{slugify(self.title)[:80]}-v{self.version}"
