"""Committee reports: the officer's text around a round's agreed figures, and the versions published."""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django.db import models
from simple_history.models import HistoricalRecords

from actions.models import ActionPlan, MonitoringRound
from inspections.models import Partnership
from inspections.tenancy import TenantQuerySet
from jtai_tracker.versions import Versioned
from people.models import Person

#: The rows of a report's implications table, in the order councils print them: (key, label). A row left
#: empty prints "None". The keys are those of ``CommitteeReport.implications`` and of the partnership's defaults.
IMPLICATIONS = (
    ("policy", "Policy"),
    ("finance", "Finance and value for money"),
    ("legal", "Legal"),
    ("procurement", "Procurement"),
    ("human_resources", "Human resources"),
    ("property", "Property"),
    ("equalities", "Equalities"),
    ("risk", "Risk management"),
    ("safeguarding", "Safeguarding"),
    ("crime_and_disorder", "Crime and disorder"),
    ("partners", "Partner agencies"),
    ("health", "Health and wellbeing"),
    ("carbon", "Carbon reduction"),
    ("wards", "Wards"),
)


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
    #: key (see IMPLICATIONS) -> text; an empty or missing row prints "None".
    implications = models.JSONField(default=dict, blank=True)
    background_papers = models.TextField(blank=True)
    #: One clearance a line, "Role: name, date" (e.g. "Monitoring Officer/Legal: Liam Henry, 1 July 2020").
    sign_off = models.TextField("report sign-off", blank=True)
    author_name = models.CharField("author", max_length=200, blank=True)
    author_role = models.CharField("author's role", max_length=200, blank=True)
    author_email = models.EmailField("author's email address", blank=True)
    author_telephone = models.CharField("author's telephone number", max_length=40, blank=True)
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


def published_pdf_path(instance: models.Model, filename: str) -> str:
    """Where a published PDF is stored: a random name, reached only through the views that check who asks."""
    return f"published/{instance._meta.model_name}/{secrets.token_hex(16)}.pdf"


class PublishedPdf(models.Model):
    """A published version's PDF, kept through Django's storage API (``STORAGES["default"]``: a folder or an
    object store), never in the database. Read through :mod:`reports.published_files`, the one place that
    reads a published file; ``pdf`` is that reading (and, set to bytes, stores them when the row is saved)."""

    pdf_file = models.FileField("PDF", upload_to=published_pdf_path)

    class Meta:
        abstract = True

    @property
    def pdf(self) -> bytes:
        from reports.published_files import pdf_bytes

        return pdf_bytes(self)

    @pdf.setter
    def pdf(self, content: bytes) -> None:
        self.pdf_file = ContentFile(bytes(content), name="report.pdf")


class PublishedReport(PublishedPdf):
    """One version of a committee report as it was published for a meeting. Never changes once written.

    It keeps its own copy of everything a reader needs: the HTML it was rendered
    from (stylesheets included), the PDF (a stored file) and its SHA-256, and the figures as JSON,
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
    figures = models.JSONField()
    sha256 = models.CharField("SHA-256 of the PDF", max_length=64)
    published_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()
    #: The report's own ``version`` (its saves) that was published: each saved state is published once at most.
    report_version = models.PositiveIntegerField(null=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["report", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="published_report_version_once"),
            models.UniqueConstraint(fields=["report", "report_version"], name="published_report_saved_state_once"),
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


class ReportStyle(Versioned):
    """A partnership's committee report style and the wording every new report starts from.

    The council's name and logo head every report's cover; the body text size is
    the PDF's. ``defaults`` holds the partnership's wording for each section of a
    new report (keys: :data:`reports.report_text.DEFAULT_FIELDS`); a section
    without one starts from the text drawn from the plan, or empty. A published
    version keeps its own copy of all of this in its HTML and PDF.
    """

    partnership_lookup = "partnership"

    class BodySize(models.IntegerChoices):
        SMALL = 11, "11 point"
        STANDARD = 12, "12 point (recommended)"
        LARGE = 14, "14 point (large print)"

    class LogoType(models.TextChoices):
        PNG = "image/png", "PNG"
        SVG = "image/svg+xml", "SVG"

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="report_style")
    council_name = models.CharField(
        max_length=200, blank=True, help_text="Printed at the top of the cover, e.g. Northumberland County Council."
    )
    #: The logo as uploaded (a PNG) or as sanitised (an SVG): reports embed it, so nothing is fetched to show it.
    logo = models.BinaryField(blank=True, default=b"")
    logo_type = models.CharField(max_length=20, choices=LogoType.choices, blank=True)
    logo_name = models.CharField("logo file name", max_length=200, blank=True)
    #: The logo's SHA-256: its history says who changed the logo and when (the image itself is not copied there).
    logo_sha256 = models.CharField(max_length=64, blank=True)
    body_size = models.PositiveSmallIntegerField("body text size", choices=BodySize.choices, default=BodySize.STANDARD)
    defaults = models.JSONField(default=dict, blank=True)
    history = HistoricalRecords(excluded_fields=["logo"])

    objects = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Report style of {self.partnership}"

    @property
    def logo_data_uri(self) -> str:
        """The logo as a ``data:`` address, or "" without one."""
        import base64

        if not self.logo:
            return ""
        return f"data:{self.logo_type};base64,{base64.b64encode(bytes(self.logo)).decode('ascii')}"


class FrozenRecord(models.Model):
    """What an endorsed round said, frozen: one row per endorsed round, written once by ``round_endorse``.

    In its own table, not on the round, so that reading a round (a row every page mentions) never reads its whole
    frozen board: only the pages of that endorsed round load ``snapshot``, and the pages that quote its figures read
    the few numbers in ``figures``. Written and read only through ``reports/frozen.py``.
    """

    partnership_lookup = "round__plan__inspection__partnership"
    #: The support site's list leaves the whole board out (inspections.admin.DeferHeavyColumns).
    support_list_defer = ("snapshot",)

    round = models.OneToOneField(
        MonitoringRound, on_delete=models.CASCADE, primary_key=True, related_name="frozen_record"
    )
    #: The whole board as the endorsement froze it (``reports.frozen.snapshot_document``).
    snapshot = models.JSONField()
    #: The round's figures read from ``snapshot`` (``reports.frozen.snapshot_figures``): empty for a record taken
    #: before the frozen board (version 1), whose figures are read from the rows.
    figures = models.JSONField(default=dict)
    recorded_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Frozen record of round {self.round_id}"
