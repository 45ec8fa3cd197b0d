"""Action plans, actions, monitoring rounds, leads' updates and impact measures."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions import rounds
from actions.quadrants import Quadrant
from actions.rounds import RoundState
from actions.storage import evidence_storage
from inspections.models import Agency, Finding, Inspection, Partnership
from inspections.tenancy import TenantQuerySet
from jtai_tracker.versions import Versioned
from people.models import Person


class QuadrantWording(models.Model):
    """A partnership's own label and description for one quadrant."""

    partnership_lookup = "partnership"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="quadrant_wording")
    quadrant = models.CharField(max_length=10, choices=Quadrant.choices)
    label = models.CharField(max_length=60)
    description = models.CharField(max_length=300)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "quadrant"], name="quadrant_wording_once_per_partnership"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.label}"


class ActionPlan(models.Model):
    """The written statement of action that answers one inspection."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Being delivered"
        SIGNED_OFF = "signed_off", "Signed off"

    partnership_lookup = "inspection__partnership"

    inspection = models.OneToOneField(Inspection, on_delete=models.CASCADE, related_name="plan")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    signed_off_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-inspection__fieldwork_start"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="signed_off") | models.Q(signed_off_on__isnull=False),
                name="plan_signed_off_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actions:plan", args=[self.pk])


#: "Due within two months": the window Northumberland's red quadrant speaks of.
DUE_SOON = datetime.timedelta(days=61)


class Outcome(models.TextChoices):
    """How an action ends, or that it has not: the one rule every page, filter, export and report asks.

    An action has at most one closing outcome (``Action.clean`` and the constraints): complete (agreed at a
    sense check), withdrawn (set-up), not implemented (with reasons and the chair's agreement), or superseded
    by / merged into another action. Read it with ``Action.outcome`` or filter with
    ``ActionQuerySet.with_outcome``; never by testing the date columns by hand.
    """

    OPEN = "open", "Open"
    COMPLETE = "complete", "Complete"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NOT_IMPLEMENTED = "not_implemented", "Not implemented"
    SUPERSEDED = "superseded", "Superseded"
    MERGED = "merged", "Merged"


#: Outcomes that close an action without completing it: no round asks about it again.
CLOSED_WITHOUT_COMPLETION = (Outcome.WITHDRAWN, Outcome.NOT_IMPLEMENTED, Outcome.SUPERSEDED, Outcome.MERGED)
#: The decisions a chair takes about an action that will not be completed (withdrawing is set-up's).
DECIDED_NOT_TO_COMPLETE = (Outcome.NOT_IMPLEMENTED, Outcome.SUPERSEDED, Outcome.MERGED)


def outcome_q(code: str) -> models.Q:
    """The filter for one outcome, in the same order of precedence as ``Action.outcome`` (so they never overlap)."""
    withdrawn = models.Q(withdrawn_on__isnull=False)
    not_withdrawn = models.Q(withdrawn_on__isnull=True)
    not_implemented = not_withdrawn & models.Q(not_implemented_on__isnull=False)
    replaced = not_withdrawn & models.Q(not_implemented_on__isnull=True, replaced_by__isnull=False)
    if code == Outcome.WITHDRAWN:
        return withdrawn
    if code == Outcome.NOT_IMPLEMENTED:
        return not_implemented
    if code in (Outcome.SUPERSEDED, Outcome.MERGED):
        return replaced & models.Q(replaced_how=code)
    still_in_plan = not_withdrawn & models.Q(not_implemented_on__isnull=True, replaced_by__isnull=True)
    if code == Outcome.COMPLETE:
        return still_in_plan & models.Q(completed_on__isnull=False)
    if code == Outcome.OPEN:
        return still_in_plan & models.Q(completed_on__isnull=True)
    raise ValueError(f"{code!r} is not an outcome")


class ActionQuerySet(TenantQuerySet):
    def with_outcome(self, *codes: str) -> ActionQuerySet:
        """Actions whose outcome (``Action.outcome``) is one of ``codes``."""
        condition = models.Q(pk__in=[])
        for code in codes:
            condition |= outcome_q(code)
        return self.filter(condition)

    def current(self) -> ActionQuerySet:
        """Actions a live round asks about: open, or complete (carried forward). Not withdrawn, not implemented,
        superseded or merged: those are kept, asked about by no later round. A settled round keeps what it agreed."""
        return self.with_outcome(Outcome.OPEN, Outcome.COMPLETE)

    def retest_due(self, as_at: datetime.date) -> ActionQuerySet:
        """Complete actions whose re-test fell due on or before ``as_at``, with no re-test since: ``is_retest_due``."""
        return (
            self.with_outcome(Outcome.COMPLETE)
            .filter(retest_due__lte=as_at)
            .exclude(models.Exists(_tested_since(as_at)))
        )

    def with_retested(self, as_at: datetime.date) -> ActionQuerySet:
        """Each action with ``retested``: a re-test dated from its re-test date to ``as_at`` (for ``is_retest_due``),
        in the same query."""
        return self.annotate(retested=models.Exists(_tested_since(as_at)))

    def overdue(self, as_at: datetime.date) -> ActionQuerySet:
        """Not complete, and the current target date (revised, if agreed) is before ``as_at``: as ``is_overdue``."""
        passed = models.Q(revised_target_date__lt=as_at) | models.Q(
            revised_target_date__isnull=True, target_date__lt=as_at
        )
        return self.filter(passed, completed_on__isnull=True)


def _tested_since(as_at: datetime.date) -> models.QuerySet:
    return Retest.objects.filter(
        action=models.OuterRef("pk"), tested_on__gte=models.OuterRef("retest_due"), tested_on__lte=as_at
    )


class ReplacedHow(models.TextChoices):
    SUPERSEDED = "superseded", "Superseded by"
    MERGED = "merged", "Merged into"


class Action(Versioned):
    partnership_lookup = "plan__inspection__partnership"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    areas = models.ManyToManyField(
        Finding,
        related_name="actions",
        help_text="The areas for improvement or priority areas for action this action answers.",
    )
    reference = models.CharField(max_length=20, help_text='e.g. "3.2".')
    position = models.PositiveIntegerField(default=0, help_text="Order within the plan.")
    description = models.TextField()
    lead = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="led_actions")
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="led_actions")
    supporting_agencies = models.ManyToManyField(Agency, blank=True, related_name="supported_actions")
    target_date = models.DateField()
    revised_target_date = models.DateField(null=True, blank=True)
    revised_target_reason = models.TextField(blank=True)
    revised_target_agreed_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    measure_of_success = models.TextField(blank=True, help_text="How the partnership will know it is done.")
    sustainability_plan = models.TextField(blank=True, help_text="How the change will last once the action closes.")
    completed_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(
        null=True, blank=True, help_text="When the partnership withdrew the action; it is kept, never deleted."
    )
    withdrawn_reason = models.TextField(blank=True)
    reopened_reason = models.TextField(
        blank=True, help_text="Why a chair last reopened the action after it was agreed complete (history keeps each)."
    )
    # Outcomes other than complete (issue 16). Not implemented: the reasons, and the chair who agreed them at a meeting.
    not_implemented_on = models.DateField(
        null=True, blank=True, help_text="The meeting that agreed the action would not be implemented."
    )
    not_implemented_reason = models.TextField(blank=True)
    not_implemented_agreed_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Superseded by, or merged into, another action of the partnership's (in this plan or another).
    replaced_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces")
    replaced_how = models.CharField(max_length=20, choices=ReplacedHow.choices, blank=True)
    replaced_on = models.DateField(null=True, blank=True)
    replaced_reason = models.TextField(blank=True)
    # Impact re-test: a completed action may be re-tested some months on to show the change lasted.
    retest_due = models.DateField(null=True, blank=True, help_text="When to re-test that the change lasted.")
    # The same recommendation tracked in more than one plan (the partnership's register links them).
    related_actions = models.ManyToManyField("self", symmetrical=True, blank=True)
    history = HistoricalRecords(m2m_fields=[areas, supporting_agencies])

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["plan_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "reference"], name="action_unique_reference_per_plan"),
            models.CheckConstraint(
                condition=models.Q(revised_target_date__isnull=True) | ~models.Q(revised_target_reason=""),
                name="action_revised_date_has_reason",
            ),
            # Not implemented: the meeting's date, the reasons and the chair who agreed, all or none.
            models.CheckConstraint(
                condition=models.Q(not_implemented_on__isnull=True, not_implemented_agreed_by__isnull=True)
                | (
                    models.Q(not_implemented_on__isnull=False, not_implemented_agreed_by__isnull=False)
                    & ~models.Q(not_implemented_reason="")
                ),
                name="action_not_implemented_has_reasons_and_chair",
            ),
            # Superseded or merged: by which action, how, when and why, all or none; never by itself.
            models.CheckConstraint(
                condition=models.Q(replaced_by__isnull=True, replaced_how="", replaced_on__isnull=True)
                | (
                    models.Q(replaced_by__isnull=False, replaced_on__isnull=False)
                    & models.Q(replaced_how__in=["superseded", "merged"])
                    & ~models.Q(replaced_reason="")
                    & ~models.Q(replaced_by=models.F("id"))
                ),
                name="action_replaced_is_whole_and_not_itself",
            ),
            # At most one closing outcome. (Complete and withdrawn together are refused by clean and the services;
            # rows written before these outcomes existed are not checked here.)
            models.CheckConstraint(
                condition=models.Q(not_implemented_on__isnull=True)
                | models.Q(completed_on__isnull=True, withdrawn_on__isnull=True, replaced_by__isnull=True),
                name="action_not_implemented_is_its_only_outcome",
            ),
            models.CheckConstraint(
                condition=models.Q(replaced_by__isnull=True)
                | models.Q(completed_on__isnull=True, withdrawn_on__isnull=True),
                name="action_replaced_is_its_only_outcome",
            ),
            # A re-test date belongs to a completed action.
            models.CheckConstraint(
                condition=models.Q(retest_due__isnull=True) | models.Q(completed_on__isnull=False),
                name="action_retest_due_only_when_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.description[:60]}"

    @property
    def current_target_date(self) -> datetime.date:
        return self.revised_target_date or self.target_date

    @property
    def is_complete(self) -> bool:
        return self.completed_on is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None

    @property
    def outcome(self) -> str:
        """The action's outcome (:class:`Outcome`), the one reading of its closing columns (``outcome_q`` filters
        the same way): withdrawn, then not implemented, then superseded or merged, then complete, else open."""
        if self.withdrawn_on is not None:
            return Outcome.WITHDRAWN
        if self.not_implemented_on is not None:
            return Outcome.NOT_IMPLEMENTED
        if self.replaced_by_id is not None:
            return Outcome(self.replaced_how) if self.replaced_how in Outcome.values else Outcome.SUPERSEDED
        if self.completed_on is not None:
            return Outcome.COMPLETE
        return Outcome.OPEN

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label

    @property
    def outcome_on(self) -> datetime.date | None:
        """The day the outcome was decided (the meeting that agreed it), or None while the action is open."""
        return {
            Outcome.WITHDRAWN: self.withdrawn_on,
            Outcome.NOT_IMPLEMENTED: self.not_implemented_on,
            Outcome.SUPERSEDED: self.replaced_on,
            Outcome.MERGED: self.replaced_on,
            Outcome.COMPLETE: self.completed_on,
        }.get(self.outcome)

    @property
    def is_asked_about(self) -> bool:
        """A live round asks about it (a complete one carried forward): as ``ActionQuerySet.current``."""
        return self.outcome not in CLOSED_WITHOUT_COMPLETION

    @property
    def is_decided_not_to_complete(self) -> bool:
        """Not implemented, superseded or merged: a chair's decision, shown in words wherever the action is."""
        return self.outcome in DECIDED_NOT_TO_COMPLETE

    def outcome_sentence(self, *, with_reasons: bool = True) -> str:
        """The outcome other than open or complete in words, as the action page, board and report say it.

        For example "Not implemented: agreed by Mark Tait, sub-group chair, on 12 May 2026. Reasons: ..." or
        "Superseded by 2.3 in <plan> on 12 May 2026. Reason: ...". Reads ``not_implemented_agreed_by`` and
        ``replaced_by`` (with its plan): select them for a list.
        """
        outcome = self.outcome
        if outcome == Outcome.WITHDRAWN:
            return f"Withdrawn on {self.withdrawn_on:%-d %B %Y}." + (
                f" Reason: {self.withdrawn_reason}" if with_reasons and self.withdrawn_reason else ""
            )
        if outcome == Outcome.NOT_IMPLEMENTED:
            chair = self.not_implemented_agreed_by
            if chair is None:  # the constraints forbid it; a row written around them still reads
                agreed = f"agreed on {self.not_implemented_on:%-d %B %Y}"
            else:
                role = chair.get_role_display().lower() if chair.role in ("chair", "manager") else chair.job_title
                agreed = f"agreed by {chair.name}{f', {role}' if role else ''}, on {self.not_implemented_on:%-d %B %Y}"
            return f"Not implemented: {agreed}." + (f" Reasons: {self.not_implemented_reason}" if with_reasons else "")
        if outcome in (Outcome.SUPERSEDED, Outcome.MERGED):
            other = self.replaced_by
            where = "" if other.plan_id == self.plan_id else f" in {other.plan.title}"
            how = ReplacedHow(outcome).label
            return f"{how} {other.reference}{where} on {self.replaced_on:%-d %B %Y}." + (
                f" Reason: {self.replaced_reason}" if with_reasons else ""
            )
        return ""

    def is_retest_due(self, as_at: datetime.date, *, retested: bool, complete: bool | None = None) -> bool:
        """The one definition of "Re-test due" as at a day: complete, its re-test due on or before ``as_at``, and
        no re-test since (``retested``: one dated from the due date to ``as_at``; ``ActionQuerySet.retest_due`` and
        ``with_retested`` read it). ``complete`` overrides what the row says, for a round that agreed it complete."""
        complete = self.outcome == Outcome.COMPLETE if complete is None else complete
        return complete and self.retest_due is not None and self.retest_due <= as_at and not retested

    def is_overdue(self, as_at: datetime.date | None = None, *, complete: bool | None = None) -> bool:
        """The one definition of overdue: not complete and its current target date is before ``as_at``.

        ``complete`` overrides what the row says, for a round in which the action was agreed complete.
        """
        as_at = as_at or timezone.localdate()
        complete = self.is_complete if complete is None else complete
        return not complete and self.current_target_date < as_at

    def is_due_soon(self, as_at: datetime.date, *, complete: bool | None = None) -> bool:
        """Not complete and due within :data:`DUE_SOON` of ``as_at`` (today or the day itself included)."""
        complete = self.is_complete if complete is None else complete
        return not complete and as_at <= self.current_target_date <= as_at + DUE_SOON

    def clean(self) -> None:
        errors: dict[str, str] = {}
        partnership_id = self.plan.inspection.partnership_id if self.plan_id else None
        if partnership_id is not None:
            if self.lead_id and self.lead.partnership_id != partnership_id:
                errors["lead"] = "The lead must be a person in this partnership."
            if self.lead_agency_id and self.lead_agency.partnership_id != partnership_id:
                errors["lead_agency"] = "The lead agency must be one of this partnership's agencies."
        if self.revised_target_date and not self.revised_target_reason.strip():
            errors["revised_target_reason"] = "Give the reason the target date was revised."
        if self.completed_on and not self.sustainability_plan.strip():
            errors["sustainability_plan"] = "A completed action needs a sustainability plan."
        errors.update(self._outcome_problems(partnership_id))
        if errors:
            raise ValidationError(errors)

    def _outcome_problems(self, partnership_id: int | None) -> dict[str, str]:
        """The outcome rules: one closing outcome; not implemented with reasons and the chair; replaced by another
        action of the same partnership, never itself nor one that leads back to it; a re-test only once complete."""
        errors: dict[str, str] = {}
        closing = [
            name
            for name, value in (
                ("completed_on", self.completed_on),
                ("withdrawn_on", self.withdrawn_on),
                ("not_implemented_on", self.not_implemented_on),
                ("replaced_by", self.replaced_by_id),
            )
            if value is not None
        ]
        if len(closing) > 1:
            errors[closing[-1]] = (
                "An action can have only one outcome: complete, withdrawn, not implemented or replaced"
            )
        if self.not_implemented_on is not None:
            if not self.not_implemented_reason.strip():
                errors["not_implemented_reason"] = "Give the reasons the action will not be implemented"
            if self.not_implemented_agreed_by_id is None:
                errors["not_implemented_agreed_by"] = "Say which chair agreed the action will not be implemented"
            elif partnership_id is not None and self.not_implemented_agreed_by.partnership_id != partnership_id:
                errors["not_implemented_agreed_by"] = "The chair must be a person in this partnership"
        if self.replaced_by_id is not None:
            errors.update(self._replacement_problems(partnership_id))
        if self.retest_due is not None:
            if self.completed_on is None:
                errors["retest_due"] = "Only a completed action can have a re-test date"
            elif self.retest_due < self.completed_on:
                errors["retest_due"] = "The re-test date must be on or after the day the action was completed"
        return errors

    def _replacement_problems(self, partnership_id: int | None) -> dict[str, str]:
        errors: dict[str, str] = {}
        if self.replaced_how not in ReplacedHow.values:
            errors["replaced_how"] = "Select whether the action was superseded or merged"
        if self.replaced_on is None:
            errors["replaced_on"] = "Enter the date of the meeting that agreed it"
        if not self.replaced_reason.strip():
            errors["replaced_reason"] = "Give the reason"
        if self.pk is not None and self.replaced_by_id == self.pk:
            errors["replaced_by"] = "Choose another action: an action cannot replace itself"
            return errors
        other = self.replaced_by
        if partnership_id is not None and other.plan.inspection.partnership_id != partnership_id:
            errors["replaced_by"] = "Choose an action of your partnership"
            return errors
        # Follow the chain from the other action, as saved: it must never lead back here.
        seen: set[int] = set()
        step_id: int | None = other.pk
        while step_id is not None and step_id not in seen:
            if step_id == self.pk:
                errors["replaced_by"] = (
                    f"{other.reference} is replaced by a chain of actions leading back to this one: choose another"
                )
                return errors
            seen.add(step_id)
            step_id = Action.objects.filter(pk=step_id).values_list("replaced_by_id", flat=True).first()
        return errors


class RoundQuerySet(TenantQuerySet):
    def taking_updates(self) -> RoundQuerySet:
        return self.filter(state__in=rounds.TAKES_UPDATES)

    def settled(self) -> RoundQuerySet:
        return self.filter(state__in=rounds.SETTLED)


class MonitoringRound(models.Model):
    """One cycle of progress updates, sense check and endorsement."""

    #: The round's life is defined in actions/rounds.py; ask the properties below, never compare names.
    State = RoundState

    class Cadence(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        BI_MONTHLY = "bi_monthly", "Every two months"
        QUARTERLY = "quarterly", "Quarterly"

    partnership_lookup = "plan__inspection__partnership"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="rounds")
    label = models.CharField(max_length=60, help_text='e.g. "May 2020" or "Q1 2020/21".')
    period_end = models.DateField()
    update_deadline = models.DateField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.QUARTERLY)
    subgroup_meeting_on = models.DateField(null=True, blank=True, help_text="When the sub-group agreed the round.")
    endorsed_on = models.DateField(null=True, blank=True)
    endorsement_meeting = models.CharField(
        max_length=200,
        blank=True,
        help_text="The body that endorsed the round, as a sentence names it: e.g. the NSCC executive.",
    )
    #: The opening position read from the partnership's own spreadsheet by the plan import
    #: (``actions.services.round_import_position``), not agreed at a sub-group meeting in the tracker.
    imported = models.BooleanField(default=False, editable=False)
    history = HistoricalRecords()

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "period_end"]
        get_latest_by = "period_end"
        constraints = [
            models.UniqueConstraint(fields=["plan", "label"], name="round_unique_label_per_plan"),
            models.UniqueConstraint(fields=["plan", "period_end"], name="round_unique_period_per_plan"),
            models.CheckConstraint(
                condition=~models.Q(state="endorsed") | models.Q(endorsed_on__isnull=False),
                name="round_endorsed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def as_at(self) -> datetime.date:
        """The day the round's facts are true of.

        Once the sub-group has agreed the round: its meeting date (or, failing that, the period end),
        however long afterwards anyone looks. While the round is live (draft, open, in sense check): today.
        """
        if self.is_settled:
            return self.subgroup_meeting_on or self.period_end
        return timezone.localdate()

    @property
    def endorsed_snapshot(self) -> dict | None:
        """What the round said when the board endorsed it (``reports.models.FrozenRecord``), None before: read from
        its own table on each use (one query), so a round fetched for any other purpose never carries it."""
        from reports.frozen import frozen_record_load

        return frozen_record_load(self)

    @property
    def is_draft(self) -> bool:
        return self.state == RoundState.DRAFT

    @property
    def takes_updates(self) -> bool:
        """Leads may write and submit updates."""
        return self.state in rounds.TAKES_UPDATES

    @property
    def decisions_open(self) -> bool:
        """The chair may agree quadrants."""
        return self.state in rounds.DECISIONS_OPEN

    @property
    def is_settled(self) -> bool:
        """Every action has an agreed quadrant: the figures may be quoted and reported."""
        return self.state in rounds.SETTLED

    @property
    def is_agreed(self) -> bool:
        """Agreed by the sub-group and waiting for the board's endorsement."""
        return self.state == RoundState.AGREED

    @property
    def is_endorsed(self) -> bool:
        return self.state == RoundState.ENDORSED

    def can_move_to(self, state: str) -> bool:
        return rounds.can_move(self.state, state)


class Update(models.Model):
    """A lead's update on one action for one round, and the sub-group's verdict."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        AGREED = "agreed", "Agreed"

    partnership_lookup = "action__plan__inspection__partnership"

    # An action with updates is part of the record: it can be withdrawn, never deleted with its rounds' updates.
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    round = models.ForeignKey(MonitoringRound, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    narrative = models.TextField("progress", blank=True)
    evidence = models.TextField(blank=True)
    barriers = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    proposed_quadrant = models.CharField(max_length=10, choices=Quadrant.choices, blank=True)
    requested_target_date = models.DateField(
        null=True, blank=True, help_text="A new target date the lead asks the sub-group to agree."
    )
    requested_target_reason = models.TextField(blank=True)
    sustainability_plan = models.TextField(
        blank=True, help_text="Given when the lead proposes the action is complete: how the change will last."
    )
    achieved_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the lead says the work was achieved, if they propose completion; never after the meeting.",
    )
    #: Written by round_close for an action completed in an earlier round: nobody was asked about it.
    carried_forward = models.BooleanField(default=False)
    submitted_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    agreed_quadrant = models.CharField(max_length=10, choices=Quadrant.choices, blank=True)
    agreed_reason = models.TextField(blank=True, help_text="Why the sub-group set a different quadrant.")
    date_decision = models.CharField(
        max_length=10,
        choices=[("accepted", "New target date agreed"), ("refused", "New target date refused")],
        blank=True,
    )
    agreed_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agreed_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every save through a service; a save that read an older
    # version is refused instead of silently overwriting someone else's work.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["round", "action"]
        constraints = [
            models.UniqueConstraint(fields=["action", "round"], name="update_once_per_action_per_round"),
            models.CheckConstraint(
                condition=~models.Q(status="agreed") | ~models.Q(agreed_quadrant=""),
                name="update_agreed_has_quadrant",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="submitted") | ~models.Q(proposed_quadrant=""),
                name="update_submitted_has_proposal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.reference} / {self.round.label}"

    def clean(self) -> None:
        if self.action_id and self.round_id and self.action.plan_id != self.round.plan_id:
            raise ValidationError("The round and the action must belong to the same plan.")

    @property
    def state_label(self) -> str:
        return self.get_status_display() if self.pk else "Not started"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def tag_colour(self) -> str:
        """Its state's GOV.UK tag colour (shown with its words): grey draft, blue submitted, green agreed."""
        return {self.Status.SUBMITTED: "blue", self.Status.AGREED: "green"}.get(self.status, "grey")

    @property
    def proposes_completion(self) -> bool:
        return self.proposed_quadrant == Quadrant.COMPLETE


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    """A stored name that never comes from the user: a random token under the partnership."""
    import uuid

    return f"{instance.update.action.plan.inspection.partnership_id}/{uuid.uuid4().hex}"


class EvidenceFile(models.Model):
    """A file a lead attaches to an update, kept outside the web root."""

    partnership_lookup = "update__action__plan__inspection__partnership"

    update = models.ForeignKey(Update, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to=evidence_path, storage=evidence_storage, max_length=200)
    original_name = models.CharField(max_length=255, help_text="The name the file had on the lead's computer.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ReminderLog(models.Model):
    """One email sent to one lead about one round, so cron can run daily without repeating itself.

    The daily run's reminders are sent once per lead, round and kind; a manager's "Send a reminder now"
    (``CHASED``, with who sent it) at most once a day per round (``actions.reminders.reminder_send_now``).
    """

    class Kind(models.TextChoices):
        OPENED = "opened", "Round opened"
        DUE_SOON = "due_soon", "Deadline approaching"
        OVERDUE = "overdue", "Update overdue"
        CHASED = "chased", "Sent by a manager"

    partnership_lookup = "round__plan__inspection__partnership"

    round = models.ForeignKey(MonitoringRound, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    action_count = models.PositiveIntegerField()
    #: The manager who pressed "Send a reminder now"; None for the daily run's reminders.
    sent_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person", "kind"],
                condition=~models.Q(kind="chased"),
                name="reminder_once_per_round_person_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="chased", sent_by__isnull=False)
                | (~models.Q(kind="chased") & models.Q(sent_by__isnull=True)),
                name="reminder_chased_names_its_sender",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.person} ({self.round})"


class ImpactMeasure(Versioned):
    """A figure the partnership tracks to show the plan is making a difference."""

    class Unit(models.TextChoices):
        PERCENT = "percent", "Percentage"
        COUNT = "count", "Count"

    partnership_lookup = "plan__inspection__partnership"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="impact_measures")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.PERCENT)
    baseline = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    higher_is_better = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.unit == self.Unit.PERCENT:
            for field in ("baseline", "target"):
                value = getattr(self, field)
                if value is not None and not 0 <= value <= 100:
                    raise ValidationError({field: "A percentage must be between 0 and 100."})


class ImpactValue(models.Model):
    partnership_lookup = "measure__plan__inspection__partnership"

    measure = models.ForeignKey(ImpactMeasure, on_delete=models.CASCADE, related_name="values")
    period_label = models.CharField(max_length=60, help_text='e.g. "Q1 2022/23".')
    period_end = models.DateField()
    value = models.DecimalField(max_digits=10, decimal_places=2)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period_end"], name="impact_value_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.value} ({self.period_label})"

    def clean(self) -> None:
        if (
            self.measure_id
            and self.value is not None
            and self.measure.unit == ImpactMeasure.Unit.PERCENT
            and not 0 <= self.value <= 100
        ):
            raise ValidationError({"value": "A percentage must be between 0 and 100."})


class Retest(models.Model):
    """An impact re-test of a completed action: did the change last? Not sustained reopens the action."""

    class Result(models.TextChoices):
        SUSTAINED = "sustained", "Sustained"
        NOT_SUSTAINED = "not_sustained", "Not sustained"

    partnership_lookup = "action__plan__inspection__partnership"

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="retests")
    tested_on = models.DateField(help_text="The meeting or date the re-test was judged.")
    result = models.CharField(max_length=20, choices=Result.choices)
    evidence = models.TextField(help_text="What showed the change lasted, or did not.")
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["action_id", "tested_on", "id"]

    def __str__(self) -> str:
        return f"Re-test of {self.action.reference} on {self.tested_on:%d %B %Y}: {self.get_result_display()}"
