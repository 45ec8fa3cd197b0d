"""Partnerships (the tenants), their agencies, inspections, findings and the sign-off of findings."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from inspections import regimes
from inspections.tenancy import TenantQuerySet
from jtai_tracker.versions import Versioned


class Partnership(Versioned):
    """A local area's safeguarding children partnership: the tenant.

    Support names it; its manager keeps its local authority and board name (set-up).
    """

    partnership_lookup = "pk"

    name = models.CharField(max_length=200, unique=True)
    local_authority = models.CharField(
        max_length=200, help_text="The council that hosts the partnership, e.g. Northumberland County Council."
    )
    board_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The body that endorses progress, e.g. Northumberland Safeguarding Children Committee (NSCC).",
    )
    committee_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The committee the progress reports go to, e.g. Children and Young People Scrutiny Committee.",
    )
    #: False once everyone signs in through their organisation (accounts.models.SignOnProvider): support's call.
    passwords_allowed = models.BooleanField(default=True)
    #: Everyone, not only managers, chairs and officers, must use a second factor: the manager's call.
    second_factor_for_everyone = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(Versioned):
    """A partner organisation: council, police, health, probation, youth justice, schools."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Local authority"
        POLICE = "police", "Police"
        HEALTH = "health", "Health (ICB, trusts, GPs)"
        PROBATION = "probation", "Probation"
        YOUTH_JUSTICE = "youth_justice", "Youth justice"
        EDUCATION = "education", "Schools and education"
        OTHER = "other", "Other"

    partnership_lookup = "partnership"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agencies")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True, help_text="Used in tight spaces, e.g. NCC, NHCFT.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_unique_name_per_partnership"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        if self.partnership_id and self.name:
            clash = Agency.objects.for_partnership(self.partnership_id).filter(name__iexact=self.name.strip())
            if clash.exclude(pk=self.pk).exists():
                raise ValidationError({"name": f"Your partnership already has an agency called {self.name.strip()}"})


class Inspection(Versioned):
    """A source of findings: an inspection or a review, of one regime (``kind``: inspections/regimes.toml)."""

    #: The regimes, by their codes (``Inspection.Kind.RAPID_REVIEW == "rapid_review"``), from the registry.
    Kind = models.TextChoices("Kind", [(code.upper(), (code, r.name)) for code, r in regimes.REGIMES.items()])

    class Inspectorate(models.TextChoices):
        OFSTED = "ofsted", "Ofsted"
        CQC = "cqc", "Care Quality Commission (CQC)"
        HMICFRS = "hmicfrs", "HM Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS)"
        HMIP = "hmip", "HM Inspectorate of Probation (HMI Probation)"

    class Status(models.TextChoices):
        FIELDWORK = "fieldwork", "Fieldwork"
        AWAITING_LETTER = "awaiting_letter", "Awaiting letter"
        PLAN_IN_PREPARATION = "plan_in_preparation", "Action plan in preparation"
        PLAN_SUBMITTED = "plan_submitted", "Action plan submitted"
        MONITORING = "monitoring", "Monitoring progress"
        SIGNED_OFF = "signed_off", "Signed off"

    partnership_lookup = "partnership"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="inspections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.JTAI)
    theme = models.CharField(max_length=200, help_text="e.g. Child sexual and criminal exploitation.")
    inspectorates = models.JSONField(default=list, blank=True, help_text="Codes from Inspection.Inspectorate.")
    fieldwork_start = models.DateField()
    fieldwork_end = models.DateField()
    letter_published = models.DateField(null=True, blank=True)
    plan_due = models.DateField(null=True, blank=True)
    plan_submitted = models.DateField(null=True, blank=True)
    plan_endorsed = models.DateField(null=True, blank=True, help_text="When the inspectorate accepted the plan.")
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.FIELDWORK)
    # The dates the regime's clocks run from and stop at, by the regime's event codes: {"published": "2026-01-05"}.
    milestones = models.JSONField(default=dict, blank=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-fieldwork_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fieldwork_end__gte=models.F("fieldwork_start")),
                name="inspection_fieldwork_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.theme} ({self.fieldwork_start:%B %Y})"

    def get_absolute_url(self) -> str:
        return reverse("inspections:detail", args=[self.pk])

    @property
    def regime(self) -> regimes.Regime:
        """Its regime: words, plan name, events and clocks (inspections/regimes.toml)."""
        return regimes.regime(self.kind)

    @property
    def short_title(self) -> str:
        return f"{self.regime.short_name}: {self.theme} ({self.fieldwork_start:%B %Y})"

    def event_date(self, code: str) -> datetime.date | None:
        """The date of the regime's event ``code``: from its own column (the letter's publication, the plan's
        submission...) or from ``milestones``; None when not recorded."""
        event = next((e for e in self.regime.events if e.code == code), None)
        if event is not None and event.field:
            return getattr(self, event.field)
        value = (self.milestones or {}).get(code)
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(value) if value else None
        except (TypeError, ValueError):
            return None

    @property
    def theme_in_sentence(self) -> str:
        """Its theme inside a sentence: a subject lowered ("child sexual and criminal exploitation"), a review's
        name as written ("Child H")."""
        return self.theme if self.regime.theme_is_name else lower_words(self.theme)

    @property
    def paper(self) -> str:
        """Its own document as a background paper, in its regime's words with its date ("The joint targeted area
        inspection letter, published 2 August 2019"); "" when the regime names none or the date is not recorded."""
        regime = self.regime
        day = self.event_date(regime.paper_event) if regime.paper else None
        if day is None:
            return ""
        return regime.paper.format(theme=self.theme, date=f"{day.day} {day:%B %Y}")

    def finding_kinds(self, findings: list[Finding] | None = None) -> list[tuple[str, str, str]]:
        """(kind, singular, plural) for each kind of finding its regime names, in the regime's order, then any
        other kind among ``findings`` (a finding recorded before the source's regime changed)."""
        kinds = list(self.regime.finding_kinds)
        kinds += sorted({f.kind for f in findings or [] if f.kind} - set(kinds))
        return [(kind, *kind_words(self.kind, kind)) for kind in kinds]

    def finding_groups(self, findings: list[Finding]) -> list[tuple[str, str, list[Finding]]]:
        """``findings`` under each kind's plural heading, in the regime's words and order: (kind, heading, list)."""
        return [
            (kind, plural, [f for f in findings if f.kind == kind]) for kind, _, plural in self.finding_kinds(findings)
        ]

    def recorded_events(self) -> list[tuple[regimes.Event, datetime.date | None]]:
        """Each of the regime's events with its date (None when not recorded), in the regime's order."""
        return [(event, self.event_date(event.code)) for event in self.regime.events]

    @property
    def status_label(self) -> str:
        """Its status in its regime's words: "Review under way" for a review, "Fieldwork" for an inspection."""
        return self.regime.status_label(self.status)

    def inspectorate_labels(self) -> list[str]:
        return [self.Inspectorate(code).label for code in self.inspectorates]

    def clean(self) -> None:
        unknown = set(self.inspectorates or []) - set(self.Inspectorate.values)
        if unknown:
            raise ValidationError({"inspectorates": f"Unknown inspectorate: {', '.join(sorted(unknown))}."})
        start, end = self.regime.period_start, self.regime.period_end
        if self.fieldwork_start and self.fieldwork_end and self.fieldwork_end < self.fieldwork_start:
            raise ValidationError({"fieldwork_end": f"{end} must be the same as or after the {lower_words(start)}"})
        dated = [
            ("letter_published", self.letter_published),
            ("plan_submitted", self.plan_submitted),
            ("plan_endorsed", self.plan_endorsed),
        ]
        for field, value in dated:
            if value and self.fieldwork_start and value < self.fieldwork_start:
                raise ValidationError({field: f"This date cannot be before the {lower_words(start)}"})
        self._clean_milestones()

    def _clean_milestones(self) -> None:
        """``milestones`` holds only the regime's own events (those without a column), each a real ISO date,
        none in the future, and no clock met before it started."""
        if not isinstance(self.milestones, dict):
            raise ValidationError({"milestones": "Milestones must be a list of events and their dates."})
        allowed = {event.code: event.label for event in self.regime.milestone_events}
        errors: dict[str, str] = {}
        today = timezone.localdate()
        for code, value in self.milestones.items():
            if code not in allowed:
                errors[f"milestone_{code}"] = f"A {self.regime.name.lower()} has no event called {code}"
                continue
            try:
                day = datetime.date.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                day = None
            if day is None:
                errors[f"milestone_{code}"] = f"{allowed[code]}: the date must be a real date, like 2027-03-12"
            elif day > today:
                errors[f"milestone_{code}"] = f"{allowed[code]}: the date must be today or in the past"
        if not errors:
            for clock in self.regime.clocks:
                starts, stops = self.event_date(clock.starts), self.event_date(clock.stops)
                if starts and stops and stops < starts:
                    event = self.regime.event(clock.stops)
                    name = event.field or f"milestone_{event.code}"
                    errors[name] = (
                        f"{event.label} cannot be before {self.regime.event_label(clock.starts).lower()} "
                        f"({starts:%-d %B %Y})"
                    )
        if errors:
            raise ValidationError(errors)


class Finding(Versioned):
    """One numbered item of the inspection letter."""

    class Kind(models.TextChoices):
        """The kinds of finding; the words a finding is called by are its regime's (:attr:`Finding.kind_label`)."""

        STRENGTH = "strength", "Strength"
        AREA_FOR_IMPROVEMENT = "improvement", "Area for improvement"
        PRIORITY_ACTION = "priority", "Priority area for action"
        RECOMMENDATION = "recommendation", "Recommendation"
        LEARNING = "learning", "Learning point"
        CAUSE_OF_CONCERN = "cause_of_concern", "Cause of concern"

    partnership_lookup = "inspection__partnership"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    case_study = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["inspection", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "kind", "number"], name="finding_unique_number_per_kind"),
        ]

    def __str__(self) -> str:
        """The long name, as a report or a page heads it: "Priority area for action 1", "Recommendation 3"."""
        return f"{self.kind_label} {self.number}"

    @property
    def kind_label(self) -> str:
        """Its kind in its regime's words: "Priority area for action" on a JTAI, "Priority action" on an
        ILACS, "Recommendation" on a rapid review. The one place a finding's kind is named."""
        return kind_words(self.inspection.kind, self.kind)[0]

    @property
    def kind_lower(self) -> str:
        """The kind inside a sentence: "priority area for action", "recommendation"."""
        return lower_words(self.kind_label)

    @property
    def kind_plural(self) -> str:
        return kind_words(self.inspection.kind, self.kind)[1]

    @property
    def reference(self) -> str:
        """The short name used in spreadsheets, exports and action references: "P1", or "3" for an area for improvement.

        Priority areas for action are numbered apart from the areas for
        improvement in the letter, so the "P" keeps priority area 1 and area
        for improvement 1 apart. The plan import reads this form back.
        """
        return f"P{self.number}" if self.kind == self.Kind.PRIORITY_ACTION else str(self.number)

    @property
    def needs_action(self) -> bool:
        return self.kind in KINDS_NEEDING_ACTION


#: The kinds of finding an action plan answers (strengths and learning points are noted, not actioned).
KINDS_NEEDING_ACTION = (
    Finding.Kind.PRIORITY_ACTION,
    Finding.Kind.AREA_FOR_IMPROVEMENT,
    Finding.Kind.RECOMMENDATION,
    Finding.Kind.CAUSE_OF_CONCERN,
)


def kind_words(regime_code: str, kind: str) -> tuple[str, str]:
    """A kind of finding in a regime's words, singular and plural ("Recommendation", "Recommendations");
    a kind the regime does not name reads in the kind's own label."""
    words = regimes.regime(regime_code).words(kind)
    if words is not None:
        return words.singular, words.plural
    label = Finding.Kind(kind).label if kind in Finding.Kind.values else str(kind)
    return label, PLURALS.get(kind, f"{label}s")


def lower_words(words: str) -> str:
    """Words inside a sentence: lower case but for names ("SEND", "Ofsted"): only a capital that starts the
    words and is followed by a small letter is lowered."""
    return words[:1].lower() + words[1:] if words[1:2].islower() else words


PLURALS = {
    Finding.Kind.STRENGTH: "Strengths",
    Finding.Kind.AREA_FOR_IMPROVEMENT: "Areas for improvement",
    Finding.Kind.PRIORITY_ACTION: "Priority areas for action",
    Finding.Kind.RECOMMENDATION: "Recommendations",
    Finding.Kind.LEARNING: "Learning points",
    Finding.Kind.CAUSE_OF_CONCERN: "Causes of concern",
}


class FindingSignOffQuerySet(TenantQuerySet):
    def standing(self) -> FindingSignOffQuerySet:
        """Sign-offs not reopened: at most one per finding."""
        return self.filter(reopened_on__isnull=True)


class FindingSignOff(models.Model):
    """The agreement that a finding was addressed (by the sub-group or the board, at a meeting), and its reopening.

    Each row is a period: from the meeting that signed the finding off
    (``signed_off_on``) until the meeting that reopened it (``reopened_on``),
    or for good while it is not reopened. A finding's periods never overlap,
    so "was it signed off as at D?" has one answer: yes when a period has
    started on or before D and not ended by D
    (:func:`inspections.selectors.sign_off_states`). Dates are the meetings',
    never the day someone typed them in (``recorded_at``, ``reopened_at``).
    """

    partnership_lookup = "finding__inspection__partnership"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="sign_offs")
    signed_off_on = models.DateField(help_text="The date of the meeting that agreed the finding was addressed.")
    agreed_by_body = models.CharField(
        max_length=200, help_text='Who agreed it, as it reads after "signed off by": e.g. "the S&CE sub-group".'
    )
    evidence = models.TextField(help_text="What showed the finding was addressed: data, audits, quality assurance.")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField()
    reopened_on = models.DateField(null=True, blank=True, help_text="The date of the meeting that reopened it.")
    reopened_reason = models.TextField(blank=True)
    reopened_by = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reopened_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = FindingSignOffQuerySet.as_manager()

    class Meta:
        ordering = ["finding", "signed_off_on", "recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["finding"],
                condition=models.Q(reopened_on__isnull=True),
                name="finding_sign_off_one_standing",
            ),
            models.CheckConstraint(
                condition=models.Q(reopened_on__isnull=True) | models.Q(reopened_on__gte=models.F("signed_off_on")),
                name="finding_sign_off_reopened_after_sign_off",
            ),
            models.CheckConstraint(
                condition=models.Q(reopened_on__isnull=True, reopened_reason="")
                | (models.Q(reopened_on__isnull=False) & ~models.Q(reopened_reason="")),
                name="finding_sign_off_reopened_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(agreed_by_body="") & ~models.Q(evidence=""),
                name="finding_sign_off_has_body_and_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.finding}: signed off {self.signed_off_on:%-d %B %Y}"

    @property
    def is_reopened(self) -> bool:
        return self.reopened_on is not None

    @property
    def summary(self) -> str:
        """'Signed off as addressed by the sub-group on 12 March 2021', as a page states it."""
        return f"Signed off as addressed by {self.agreed_by_body} on {self.signed_off_on:%-d %B %Y}"

    @property
    def sentence(self) -> str:
        """'Priority area for action 1 was signed off as addressed by the sub-group on 12 March 2021.'"""
        return f"{self.finding} was signed off as addressed by {self.agreed_by_body} on {self.signed_off_on:%-d %B %Y}."

    @property
    def reopened_summary(self) -> str:
        return f"Reopened on {self.reopened_on:%-d %B %Y}: {self.reopened_reason}" if self.is_reopened else ""

    def standing_on(self, day: datetime.date) -> bool:
        """Signed off as at ``day``: the period started on or before it and was not reopened by it."""
        return self.signed_off_on <= day and (self.reopened_on is None or self.reopened_on > day)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        today = timezone.localdate()
        finding = self.finding if self.finding_id else None
        if finding is not None and not finding.needs_action:
            errors["finding"] = "Only an area for improvement or a priority area for action can be signed off."
        if self.signed_off_on:
            if self.signed_off_on > today:
                errors["signed_off_on"] = "The date of the sign-off must be today or in the past"
            elif finding is not None and self.signed_off_on < finding.inspection.fieldwork_start:
                errors["signed_off_on"] = (
                    "The date of the sign-off cannot be before the inspection's fieldwork started "
                    f"({finding.inspection.fieldwork_start:%-d %B %Y})"
                )
        if self.reopened_on:
            if self.reopened_on > today:
                errors["reopened_on"] = "The date it was reopened must be today or in the past"
            elif self.signed_off_on and self.reopened_on < self.signed_off_on:
                errors["reopened_on"] = (
                    f"The date it was reopened cannot be before it was signed off ({self.signed_off_on:%-d %B %Y})"
                )
            if not self.reopened_reason.strip():
                errors["reopened_reason"] = "Give the reason the finding was reopened"
        if finding is not None and self.signed_off_on and "signed_off_on" not in errors:
            clash = self._overlapping()
            if clash is not None:
                errors["signed_off_on"] = (
                    f"{finding} was signed off from {clash.signed_off_on:%-d %B %Y} until it was reopened on "
                    f"{clash.reopened_on:%-d %B %Y}: a new sign-off must be dated on or after that"
                    if clash.reopened_on
                    else f"{finding} is already signed off, since {clash.signed_off_on:%-d %B %Y}"
                )
        if errors:
            raise ValidationError(errors)

    def _overlapping(self) -> FindingSignOff | None:
        """Another sign-off of the finding whose period shares a day with this one's."""
        ends = self.reopened_on
        for other in FindingSignOff.objects.filter(finding_id=self.finding_id).exclude(pk=self.pk):
            starts_before_this_ends = ends is None or other.signed_off_on < ends
            ends_after_this_starts = other.reopened_on is None or other.reopened_on > self.signed_off_on
            if starts_before_this_ends and ends_after_this_starts:
                return other
        return None


class ClockReminderLog(models.Model):
    """One email reminding a manager of a source's statutory clock: before its end, or on the day.

    Unique per source, clock, deadline, kind and person, so the daily run sends each once
    (:func:`inspections.clock_reminders.clock_reminders_send`).
    """

    class Kind(models.TextChoices):
        BEFORE = "before", "Before the deadline"
        ON_THE_DAY = "on_the_day", "On the day"

    partnership_lookup = "inspection__partnership"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="clock_reminders")
    clock = models.CharField(max_length=40)
    due = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "clock", "due", "kind", "person"], name="clock_reminder_sent_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clock} ({self.get_kind_display()}) to {self.person}"
