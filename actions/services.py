"""Changes to actions, rounds and updates. Each runs in one transaction and leaves history.

Views parse the request and call one of these; nothing else writes these rows.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.utils import timezone

from actions import rounds
from actions.models import (
    Action,
    ActionPlan,
    EvidenceFile,
    ImpactMeasure,
    ImpactValue,
    MonitoringRound,
    Outcome,
    QuadrantWording,
    ReplacedHow,
    Retest,
    Update,
)
from actions.quadrants import Quadrant
from inspections.models import KINDS_NEEDING_ACTION, Agency, Finding, Inspection, Partnership, lower_words
from inspections.regimes import Regime
from jtai_tracker.versions import EditConflict, FieldChange, field_changes, lock_for_edit
from jtai_tracker.writes import assign_fields, attribute, save_checked
from people.models import Person

#: The fields a lead writes on an update.
LEAD_FIELDS = (
    "narrative",
    "evidence",
    "barriers",
    "next_steps",
    "proposed_quadrant",
    "requested_target_date",
    "requested_target_reason",
    "sustainability_plan",
    "achieved_on",
)


class UpdateConflict(EditConflict):
    """Someone saved the update after this user opened it: nothing was saved."""

    what = "this update"

    def __init__(self, current: Update | None, changes: list[FieldChange]):
        super().__init__(current, changes)


class AlreadySubmitted(Exception):
    """This person's own submit of the same checked version went through a moment ago (a double click): done."""

    def __init__(self, update: Update):
        super().__init__(f"Update {update.pk} was already submitted at version {update.version}.")
        self.update = update


class RoundNotOpen(Exception):
    """The round is not taking updates, so the update is read-only."""


class ActionComplete(RoundNotOpen):
    """The action was agreed complete: nobody is asked for an update unless a chair reopens it."""


class UpdateInvalid(Exception):
    """The update breaks a rule; ``errors`` maps each field at fault to a message. Nothing was saved."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


#: A lead asks for a new target date within this many years; further off is almost always a typing slip.
MAX_YEARS_AHEAD = 10


def update_problems(*, action: Action, fields: dict[str, Any], submit: bool, has_files: bool) -> dict[str, str]:
    """What is wrong with a lead's update, field by field (empty when it may be saved).

    The rules: a new target date comes with a reason (and the reason with a date), differs from the
    current one and is within :data:`MAX_YEARS_AHEAD` years; a submitted update has a progress
    narrative and a proposed quadrant; proposing completion needs evidence (text or files) and a
    sustainability plan, whether submitted or saved as a draft.
    """
    errors: dict[str, str] = {}
    requested = fields.get("requested_target_date")
    reason = (fields.get("requested_target_reason") or "").strip()
    if requested and not reason:
        errors["requested_target_reason"] = "Say why the target date needs to change"
    if reason and not requested:
        errors["requested_target_date"] = "Enter the new target date, or remove the reason"
    if requested and requested == action.current_target_date:
        errors["requested_target_date"] = "The new target date must be different from the current one"
    elif requested and requested.year > timezone.localdate().year + MAX_YEARS_AHEAD:
        errors["requested_target_date"] = f"The new target date must be within the next {MAX_YEARS_AHEAD} years"
    if submit:
        if not (fields.get("narrative") or "").strip():
            errors["narrative"] = "Describe the progress made before you submit"
        if not fields.get("proposed_quadrant"):
            errors["proposed_quadrant"] = "Select the quadrant you think this action is in"
    achieved_on = fields.get("achieved_on")
    if achieved_on and fields.get("proposed_quadrant") != Quadrant.COMPLETE:
        errors["achieved_on"] = "Give the date it was achieved only when you propose the action is complete"
    elif achieved_on and achieved_on > timezone.localdate():
        errors["achieved_on"] = "The date it was achieved must be today or in the past"
    if fields.get("proposed_quadrant") == Quadrant.COMPLETE:
        if not (fields.get("evidence") or "").strip() and not has_files:
            errors["evidence"] = "Give the evidence that the action is complete, or attach it"
        if not (fields.get("sustainability_plan") or "").strip():
            errors["sustainability_plan"] = "Say how the change will last before proposing completion"
    return errors


def access_action_for_update(user: Any, pk: int) -> Action:
    """The action, if the user may write its update: 404 for another partnership, 403 without the right."""
    action = get_object_or_404(
        Action.objects.visible_to(user).select_related("plan__inspection", "lead__user", "lead_agency"), pk=pk
    )
    if not user.has_perm("actions.update", action):
        raise PermissionDenied
    return action


def open_round_for(action: Action) -> MonitoringRound | None:
    """The plan's round that is taking updates now (the latest, if more than one)."""
    return action.plan.rounds.taking_updates().order_by("-period_end").first()


def _changes(current: Update, submitted: dict[str, Any]) -> list[FieldChange]:
    return field_changes(current, {name: submitted[name] for name in LEAD_FIELDS if name in submitted})


@transaction.atomic
def update_save(
    *,
    action: Action,
    monitoring_round: MonitoringRound,
    by: Person,
    expected_version: int,
    fields: dict[str, Any],
    submit: bool,
    files: list[UploadedFile] = (),
) -> Update:
    """Save the lead's update as a draft, or submit it to the sub-group.

    Guarantees: the round is open and the update not yet agreed; if anyone
    saved it since ``expected_version`` was read (0: it did not exist yet)
    nothing is written and :class:`UpdateConflict` says what differs, unless
    the one save since was this person's own submit and this is a submit too
    (a double click): then :class:`AlreadySubmitted` and nothing more is
    written; an update that breaks a rule of :func:`update_problems` raises
    :class:`UpdateInvalid` and nothing is written; the update, its files and
    its history are written together or not at all.
    """
    locked_round = MonitoringRound.objects.select_for_update().get(pk=monitoring_round.pk)
    if not locked_round.takes_updates or locked_round.plan_id != action.plan_id:
        raise RoundNotOpen
    if Action.objects.filter(pk=action.pk, completed_on__isnull=False).exists():
        raise ActionComplete
    if not Action.objects.filter(pk=action.pk).current().exists():
        raise RoundNotOpen  # withdrawn, not implemented, superseded or merged: no round asks about it
    update = Update.objects.select_for_update().filter(action=action, round=locked_round).first()
    current_version = update.version if update else 0
    if current_version != expected_version:
        if submit and _submitted_just_now_by(update, by, expected_version):
            raise AlreadySubmitted(update)
        raise UpdateConflict(update, _changes(update, fields) if update else [])
    if update is None:
        update = Update(action=action, round=locked_round, version=0)
    elif update.status == Update.Status.AGREED:
        raise RoundNotOpen
    has_files = bool(files) or (update.pk is not None and update.files.exists())
    problems = update_problems(action=action, fields=fields, submit=submit, has_files=has_files)
    if problems:
        raise UpdateInvalid(problems)
    for name, value in fields.items():
        if name not in LEAD_FIELDS:
            raise ValueError(f"{name} is not a field a lead writes")
        setattr(update, name, value)
    if submit:
        update.status = Update.Status.SUBMITTED
        update.submitted_by = by
        update.submitted_at = timezone.now()
    else:
        update.status = Update.Status.DRAFT
    update.version += 1
    update._history_user = by.user
    try:
        with transaction.atomic():
            update.save()
    except IntegrityError as clash:
        # Two first saves at once: the unique (action, round) constraint let one through.
        current = Update.objects.get(action=action, round=locked_round)
        raise UpdateConflict(current, _changes(current, fields)) from clash
    stored: list[EvidenceFile] = []
    try:
        for upload in files:
            stored.append(evidence_attach(update=update, upload=upload, by=by))
    except Exception:
        # The rows roll back with the transaction; the files on disk must go too.
        for evidence in stored:
            evidence.file.delete(save=False)
        raise
    return update


def _submitted_just_now_by(update: Update | None, by: Person, expected_version: int) -> bool:
    """Whether the one save since ``expected_version`` was ``by``'s own submit (the first of a double click)."""
    if update is None or update.status != Update.Status.SUBMITTED or update.version != expected_version + 1:
        return False
    latest = update.history.order_by("-history_date", "-history_id").first()
    return (
        latest is not None
        and latest.version == expected_version + 1
        and latest.status == Update.Status.SUBMITTED
        and latest.history_user_id == by.user_id
    )


def update_submit(*, action: Action, monitoring_round: MonitoringRound, by: Person, expected_version: int) -> Update:
    """Submit the saved draft exactly as the lead checked it ("Check your answers" showed ``expected_version``).

    The answers are the update's own at that version (its history has them), so a submit can only send what
    the check page showed; :func:`update_save` does the rest, refusing a stale version with
    :class:`UpdateConflict` (theirs against the answers the lead checked) and a broken rule with
    :class:`UpdateInvalid`; the same page submitted twice by its lead (a double click) submits once and the
    second gets :class:`AlreadySubmitted`.
    """
    current = Update.objects.filter(action=action, round=monitoring_round).first()
    checked = current.history.filter(version=expected_version).first() if current else None
    if checked is None and current is not None and current.version == expected_version:
        checked = current
    fields = {name: getattr(checked, name) for name in LEAD_FIELDS} if checked is not None else {}
    return update_save(
        action=action,
        monitoring_round=monitoring_round,
        by=by,
        expected_version=expected_version,
        fields=fields,
        submit=True,
    )


def evidence_attach(*, update: Update, upload: UploadedFile, by: Person) -> EvidenceFile:
    """Store an already-validated upload under a random name; the user's name is kept only as a label."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = EvidenceFile(
        update=update,
        original_name=upload.name[:255],
        content_type=upload.content_type or "application/octet-stream",
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
    )
    evidence.file.save("evidence", upload, save=False)
    evidence._history_user = by.user
    evidence.save()
    return evidence


class UpdateNotDraft(RoundNotOpen):
    """The update was submitted or agreed: its files stay as the sub-group sees them."""


@transaction.atomic
def evidence_remove(*, evidence: EvidenceFile, by: Person, expected_version: int) -> Update:
    """Take a file off a draft update: the row goes (its history keeps who removed it), the stored file with it.

    Guarantees: only while the round takes updates and the update is a draft (:class:`UpdateNotDraft`
    otherwise); a stale ``expected_version`` is refused (:class:`UpdateConflict`); the draft left behind must
    still pass :func:`update_problems` (a proposed completion keeps some evidence), else :class:`UpdateInvalid`;
    the update's version goes up, so a form read before the removal is stale too. The stored file is deleted
    once the transaction commits, so a refusal or a rollback never loses it.
    """
    update = Update.objects.select_related("action").get(pk=evidence.update_id)
    locked_round = MonitoringRound.objects.select_for_update().get(pk=update.round_id)
    if not locked_round.takes_updates:
        raise RoundNotOpen
    update = Update.objects.select_for_update().select_related("action").get(pk=update.pk)
    if update.version != expected_version:
        raise UpdateConflict(update, [])
    if update.action.is_complete:
        raise ActionComplete
    if update.status != Update.Status.DRAFT or not update.action.is_asked_about:
        raise UpdateNotDraft
    evidence = EvidenceFile.objects.select_for_update().get(pk=evidence.pk)
    others = update.files.exclude(pk=evidence.pk).exists()
    fields = {name: getattr(update, name) for name in LEAD_FIELDS}
    problems = update_problems(action=update.action, fields=fields, submit=False, has_files=others)
    if problems:
        raise UpdateInvalid(problems)
    stored = evidence.file
    evidence._history_user = by.user
    evidence.delete()
    transaction.on_commit(lambda: stored.storage.delete(stored.name))
    update.version += 1
    update._history_user = by.user
    update.save()
    return update


# The sense check -------------------------------------------------------------


class RoundStateError(Exception):
    """The round is not in a state that allows this step; the message says why in words."""


class RoundIncomplete(RoundStateError):
    def __init__(self, missing: list[Action]):
        super().__init__(f"{len(missing)} action(s) have no agreed quadrant yet.")
        self.missing = missing


class DecisionInvalid(Exception):
    """The chair's decision breaks a rule; ``errors`` maps form field to message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def access_round_for_sense_check(user: Any, pk: int) -> MonitoringRound:
    """The round, if the user chairs the sense check: 404 for another partnership, 403 without the role."""
    monitoring_round = get_object_or_404(
        MonitoringRound.objects.visible_to(user).select_related("plan__inspection"), pk=pk
    )
    if not user.has_perm("actions.sense_check", monitoring_round):
        raise PermissionDenied
    return monitoring_round


def _lock_round(monitoring_round: MonitoringRound, allowed: Iterable[str]) -> MonitoringRound:
    locked = MonitoringRound.objects.select_for_update().get(pk=monitoring_round.pk)
    if locked.state not in allowed:
        raise RoundStateError(f"{locked.label} is {locked.get_state_display().lower()}, so this cannot be done now.")
    return locked


#: The moves :func:`round_set_state` makes; agreeing is :func:`round_close`'s and endorsing :func:`round_endorse`'s.
_SET_STATE_TARGETS = (MonitoringRound.State.OPEN, MonitoringRound.State.SENSE_CHECK)


@transaction.atomic
def round_set_state(*, monitoring_round: MonitoringRound, by: Person, state: str) -> MonitoringRound:
    """Open a draft round for updates, or move an open round on to the sense check (and back)."""
    if state not in _SET_STATE_TARGETS:
        raise RoundStateError("Use closing or endorsing to move a round on from the sense check.")
    locked = _lock_round(monitoring_round, rounds.sources_of(state))
    locked.state = state
    locked._history_user = by.user
    locked.save()
    return locked


#: What a lead writes in an update: cleared from a draft the sub-group decides without it being submitted.
DRAFT_WORDS = (
    "narrative", "evidence", "barriers", "next_steps", "proposed_quadrant", "requested_target_date",
    "requested_target_reason", "sustainability_plan", "achieved_on",
)  # fmt: skip


@transaction.atomic
def update_agree(
    *,
    action: Action,
    monitoring_round: MonitoringRound,
    by: Person,
    quadrant: str,
    reason: str = "",
    date_decision: str = "",
    expected_version: int | None = None,
) -> Update:
    """Record the sub-group's verdict on one action for the round.

    Guarantees: only while the round is open or in sense check; a quadrant
    other than the lead's proposal (a challenge, a rejected completion, or no
    update at all) needs a reason; accepting "complete" closes the action with
    the lead's sustainability plan; a requested target date is agreed or
    refused explicitly; a stale ``expected_version`` is refused.
    """
    locked_round = _lock_round(monitoring_round, rounds.DECISIONS_OPEN)
    if action.plan_id != locked_round.plan_id:
        raise RoundStateError("This action is not in this round's plan.")
    if not Action.objects.filter(pk=action.pk).current().exists():
        raise RoundStateError(f"Action {action.reference} is not asked about any more: it is withdrawn or replaced, or "
                              "will not be implemented.")  # fmt: skip
    update = Update.objects.select_for_update().filter(action=action, round=locked_round).first()
    if expected_version is not None and (update.version if update else 0) != expected_version:
        raise UpdateConflict(update, [])
    submitted = update is not None and update.status != Update.Status.DRAFT
    if locked_round.takes_updates and not submitted:
        # The lead still has until the deadline: deciding now would lock them out of an update they may yet write.
        raise DecisionInvalid(
            {
                "quadrant": "The lead has not submitted an update yet: "
                "decide this action once they do, or once updates stop"
            }
        )
    if update is not None and not submitted:
        # A draft never submitted is not the lead's update: the decision stands on its own, and the draft's words
        # (kept in the update's history) are never reported as what the lead said.
        for name in DRAFT_WORDS:
            setattr(update, name, Update._meta.get_field(name).get_default())
    reason = reason.strip()
    errors: dict[str, str] = {}
    if quadrant not in Quadrant.values:
        errors["quadrant"] = "Select the quadrant the sub-group agreed"
    proposed = update.proposed_quadrant if update and update.status != Update.Status.DRAFT else ""
    if quadrant and quadrant != proposed and not reason:
        if not proposed:
            errors["reason"] = "There is no submitted update: say why the sub-group set this quadrant"
        elif proposed == Quadrant.COMPLETE:
            errors["reason"] = "Say why the completion was not accepted"
        else:
            errors["reason"] = "Say why the sub-group set a different quadrant from the lead's"
    requested = update.requested_target_date if update else None
    if requested and date_decision not in ("accepted", "refused"):
        errors["date_decision"] = "Say whether the new target date is agreed"
    if quadrant == Quadrant.COMPLETE and proposed != Quadrant.COMPLETE and not action.is_complete:
        errors["quadrant"] = "An action can only be agreed complete when its lead proposes it, with evidence"
    if errors:
        raise DecisionInvalid(errors)

    if update is None:
        update = Update(action=action, round=locked_round, version=0)
    update.status = Update.Status.AGREED
    update.agreed_quadrant = quadrant
    update.agreed_reason = reason if quadrant != proposed or reason else ""
    update.agreed_by = by
    update.agreed_at = timezone.now()
    update.date_decision = date_decision if requested else ""
    update.version += 1
    update._history_user = by.user
    update.save()

    # An agreed completion closes the action when the round closes, dated by the sub-group's meeting
    # (round_close), never by the day this decision was typed in.
    changed = False
    if requested and date_decision == "accepted":
        action.revised_target_date = requested
        action.revised_target_reason = update.requested_target_reason or "Agreed by the sub-group"
        action.revised_target_agreed_by = by
        changed = True
    if changed:
        action._history_user = by.user
        action.full_clean()
        action.save()
    return update


def round_missing_agreement(monitoring_round: MonitoringRound) -> list[Action]:
    """Actions of the round's plan with no agreed quadrant for it, in plan order."""
    agreed = Update.objects.filter(round=monitoring_round, status=Update.Status.AGREED).values("action_id")
    return list(
        Action.objects.filter(plan_id=monitoring_round.plan_id)
        .current()
        .exclude(pk__in=agreed)
        .select_related("lead__user", "lead_agency")
        .order_by("position", "id")
    )


@transaction.atomic
def round_close(*, monitoring_round: MonitoringRound, by: Person, meeting_on: Any) -> MonitoringRound:
    """Close the sense check: every action has an agreed quadrant, recorded with the sub-group's meeting date.

    Actions completed in an earlier round are carried forward as complete.
    Raises RoundIncomplete listing what is still missing.
    """
    locked = _lock_round(monitoring_round, rounds.sources_of(MonitoringRound.State.AGREED))
    missing = round_missing_agreement(locked)
    for action in [a for a in missing if a.is_complete]:
        carried = Update(
            action=action,
            round=locked,
            status=Update.Status.AGREED,
            narrative="Completed in an earlier round.",
            carried_forward=True,
            proposed_quadrant=Quadrant.COMPLETE,
            agreed_quadrant=Quadrant.COMPLETE,
            agreed_by=by,
            agreed_at=timezone.now(),
        )
        carried._history_user = by.user
        carried.save()
    still_missing = [a for a in missing if not a.is_complete]
    if still_missing:
        raise RoundIncomplete(still_missing)
    _complete_agreed_actions(locked, by=by, meeting_on=meeting_on)
    locked.state = MonitoringRound.State.AGREED
    locked.subgroup_meeting_on = meeting_on
    locked._history_user = by.user
    locked.save()
    return locked


def completion_date(*, achieved_on: datetime.date | None, meeting_on: datetime.date) -> datetime.date:
    """When an action agreed complete at a meeting was completed: when the lead says it was achieved, if that
    is not after the meeting; otherwise the meeting's date. Never the day anyone typed it in."""
    return achieved_on if achieved_on and achieved_on <= meeting_on else meeting_on


def _complete_agreed_actions(monitoring_round: MonitoringRound, *, by: Person, meeting_on: datetime.date) -> None:
    """Close every action the round agreed complete, dated by the meeting (or the lead's earlier achieved date)."""
    agreed_complete = Update.objects.filter(
        round=monitoring_round, agreed_quadrant=Quadrant.COMPLETE, action__completed_on__isnull=True
    ).select_related("action")
    for update in agreed_complete:
        action = update.action
        action.completed_on = completion_date(achieved_on=update.achieved_on, meeting_on=meeting_on)
        action.sustainability_plan = update.sustainability_plan or action.sustainability_plan
        attribute(action, by)
        action.full_clean()
        action.save()


@transaction.atomic
def action_reopen(*, action: Action, by: Person, reason: str) -> Action:
    """Reopen an action agreed complete: the chair's decision, with a reason kept in its history.

    From then on the lead is asked for updates again; the rounds that counted it complete still do.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the action is being reopened"})
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if locked.completed_on is None:
        raise ValidationError("This action is not complete, so there is nothing to reopen")
    locked.completed_on = None
    locked.reopened_reason = reason
    locked.retest_due = None  # a re-test date belongs to a completed action
    attribute(locked, by)
    locked.save()
    return locked


@transaction.atomic
def action_withdraw(*, action: Action, by: Person, withdrawn_on: datetime.date, reason: str) -> Action:
    """Withdraw an action with a reason: kept with its history and updates, asked about in no later round.

    Rounds that covered it still say what they said (an endorsed round from its snapshot).
    """
    reason = reason.strip()
    errors = {}
    if not reason:
        errors["reason"] = "Say why the action is being withdrawn"
    if withdrawn_on > timezone.localdate():
        errors["withdrawn_on"] = "The date it was withdrawn must be today or in the past"
    if errors:
        raise ValidationError(errors)
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if locked.withdrawn_on is not None:
        raise ValidationError("This action is already withdrawn")
    if locked.outcome != Outcome.OPEN:
        raise ValidationError(f"This action is already {locked.outcome_label.lower()}, so it cannot be withdrawn")
    locked.withdrawn_on, locked.withdrawn_reason = withdrawn_on, reason
    attribute(locked, by)
    locked.save()
    return locked


# Outcomes beyond complete, and impact re-tests ----------------------------------------------------------

#: Words for an outcome inside a sentence: "This action is <words>, so ...".
_OUTCOME_WORDS = {
    Outcome.COMPLETE: "complete: reopen it first if it is not",
    Outcome.WITHDRAWN: "withdrawn",
    Outcome.NOT_IMPLEMENTED: "recorded as not implemented",
    Outcome.SUPERSEDED: "superseded by another action",
    Outcome.MERGED: "merged into another action",
}


def access_action_for_outcome(user: Any, pk: int) -> Action:
    """The action, if the user may record its outcome or re-tests (the chair or the manager: ``actions.close_outcome``):
    404 for another partnership, 403 without the right."""
    action = get_object_or_404(
        Action.objects.visible_to(user).select_related(
            "plan__inspection", "lead__user", "lead_agency", "not_implemented_agreed_by__user", "replaced_by__plan"
        ),
        pk=pk,
    )
    if not user.has_perm("actions.close_outcome", action):
        raise PermissionDenied
    return action


def _lock_decision(action: Action, *, by: Person, expected_version: int | None, fields: Mapping[str, Any]) -> Action:
    """Lock the action's row and refuse a decision taken from a page read before someone else saved the action.

    A decision about an action's outcome is taken on what the page showed, so any save since is a conflict
    (:class:`EditConflict`, what differs field by field), not only one this form would undo. Only the chair or
    the manager (``actions.close_outcome``) records one.
    """
    if not by.user.has_perm("actions.close_outcome", action):
        raise PermissionDenied
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if expected_version is not None and locked.version != expected_version:
        raise EditConflict(locked, field_changes(locked, dict(fields)), "this action")
    return locked


def _refuse_if_agreed_complete(action: Action) -> None:
    """A round still open for decisions has agreed the action complete: closing that round completes it, so it
    cannot also end another way. The chair changes that decision first."""
    pending = (
        Update.objects.filter(action=action, agreed_quadrant=Quadrant.COMPLETE, round__state__in=rounds.DECISIONS_OPEN)
        .select_related("round")
        .first()
    )
    if pending is not None:
        raise ValidationError(
            f"The sub-group agreed this action complete in {pending.round.label}, which is not closed yet: "
            "change that decision in the sense check first"
        )


def _meeting_problems(on: datetime.date | None, field: str) -> dict[str, str]:
    if on is None:
        return {field: "Enter the date of the meeting"}
    if on > timezone.localdate():
        return {field: "The date of the meeting must be today or in the past"}
    return {}


def chairs_who_may_agree(action: Action) -> list[tuple[int, str]]:
    """The partnership's active sub-group chairs, as (id, name) choices: who may agree an action's outcome."""
    chairs = (
        Person.objects.for_partnership(action.plan.inspection.partnership_id)
        .filter(role=Person.Role.CHAIR, user__is_active=True)
        .select_related("user")
    )
    return [(chair.pk, chair.name) for chair in chairs]


def chair_who_agreed(action: Action, pk: int | None) -> Person | None:
    """The chair ``pk`` names, if an active chair of the action's partnership: else None (refused by the service)."""
    return (
        Person.objects.for_partnership(action.plan.inspection.partnership_id)
        .filter(pk=pk, role=Person.Role.CHAIR, user__is_active=True)
        .select_related("user")
        .first()
    )


@transaction.atomic
def action_not_implemented(
    *,
    action: Action,
    by: Person,
    on: datetime.date,
    reason: str,
    expected_version: int | None,
    agreed_by: Person | None = None,
) -> Action:
    """Record that an open action will not be implemented, with the reasons, as a chair agreed at a meeting.

    Guarantees: recorded only by a chair or the manager (``actions.close_outcome``; :class:`PermissionDenied`);
    agreed by a sub-group chair of the partnership, named (``agreed_by``; a chair recording it may leave it out and is
    named); ``on`` is the meeting's date, not in the future; reasons are given; only an open
    action (not complete, withdrawn or replaced); a stale ``expected_version`` is refused (:class:`EditConflict`);
    from then on no round asks about it (``ActionQuerySet.current``). Bad input raises ValidationError by field.
    """
    reason = reason.strip()
    fields = {"not_implemented_on": on, "not_implemented_reason": reason}
    locked = _lock_decision(action, by=by, expected_version=expected_version, fields=fields)
    errors = _meeting_problems(on, "not_implemented_on")
    if not reason:
        errors["not_implemented_reason"] = "Give the reasons the action will not be implemented"
    if agreed_by is None and by.role == Person.Role.CHAIR:
        agreed_by = by
    partnership_id = locked.plan.inspection.partnership_id
    if agreed_by is None or agreed_by.role != Person.Role.CHAIR or agreed_by.partnership_id != partnership_id:
        errors["agreed_by"] = "Select the chair who agreed it"
    if errors:
        raise ValidationError(errors)
    if locked.outcome != Outcome.OPEN:
        raise ValidationError(
            f"This action is {_OUTCOME_WORDS[locked.outcome]}, so it cannot be recorded as not implemented"
        )
    _refuse_if_agreed_complete(locked)
    locked.not_implemented_on, locked.not_implemented_reason, locked.not_implemented_agreed_by = (
        on,
        reason,
        agreed_by,
    )
    return save_checked(locked, by)


@transaction.atomic
def action_replace(
    *,
    action: Action,
    by: Person,
    replaced_by: Action | None,
    how: str,
    on: datetime.date,
    reason: str,
    expected_version: int | None,
) -> Action:
    """Record that an open action is superseded by, or merged into, another action of the partnership's
    (in this plan or another), as the chair agreed at a meeting.

    Guarantees: only the chair or the manager; the other action is the same partnership's, not this one, still
    in its plan (open or complete: not withdrawn, not implemented or itself replaced, so no chain can lead back
    here); ``how`` is superseded or merged; ``on`` not in the future; a reason given; a stale
    ``expected_version`` refused (:class:`EditConflict`). Bad input raises ValidationError by field.
    """
    reason = reason.strip()
    fields = {"replaced_by": replaced_by, "replaced_how": how, "replaced_on": on, "replaced_reason": reason}
    locked = _lock_decision(action, by=by, expected_version=expected_version, fields=fields)
    errors = _meeting_problems(on, "replaced_on")
    if how not in ReplacedHow.values:
        errors["replaced_how"] = "Select whether the action was superseded or merged"
    if not reason:
        errors["replaced_reason"] = "Give the reason"
    partnership_id = locked.plan.inspection.partnership_id
    if replaced_by is None:
        errors["replaced_by"] = "Choose the action that replaces it"
    elif replaced_by.pk == locked.pk:
        errors["replaced_by"] = "Choose another action: an action cannot replace itself"
    elif replaced_by.plan.inspection.partnership_id != partnership_id:
        errors["replaced_by"] = "Choose an action of your partnership"
    else:
        other = Action.objects.select_related("replaced_by").get(pk=replaced_by.pk)
        if other.outcome in (Outcome.SUPERSEDED, Outcome.MERGED):
            errors["replaced_by"] = (
                f"{other.reference} is itself {other.outcome_label.lower()} into {other.replaced_by.reference}"
                if other.outcome == Outcome.MERGED
                else f"{other.reference} is itself superseded by {other.replaced_by.reference}"
            ) + ": choose the action that carries the work now"
        elif other.outcome != Outcome.OPEN and other.outcome != Outcome.COMPLETE:
            errors["replaced_by"] = (
                f"{other.reference} is {other.outcome_label.lower()}: choose an action still in a plan"
            )
    if errors:
        raise ValidationError(errors)
    if locked.outcome != Outcome.OPEN:
        raise ValidationError(f"This action is {_OUTCOME_WORDS[locked.outcome]}, so it cannot be replaced")
    _refuse_if_agreed_complete(locked)
    locked.replaced_by, locked.replaced_how, locked.replaced_on, locked.replaced_reason = replaced_by, how, on, reason
    return save_checked(locked, by)


@transaction.atomic
def action_reinstate(*, action: Action, by: Person, reason: str, expected_version: int | None) -> Action:
    """Undo a decision that the action will not be implemented, or is superseded or merged: the chair's, with a
    reason (kept as ``reopened_reason``; the history keeps the decision undone). From then on rounds ask about it
    again. Only for those three outcomes; a stale ``expected_version`` is refused (:class:`EditConflict`)."""
    reason = reason.strip()
    locked = _lock_decision(action, by=by, expected_version=expected_version, fields={"reopened_reason": reason})
    if not reason:
        raise ValidationError({"reason": "Say why the decision is being undone"})
    if not locked.is_decided_not_to_complete:
        raise ValidationError("This action is not recorded as not implemented, superseded or merged")
    locked.not_implemented_on, locked.not_implemented_reason, locked.not_implemented_agreed_by = None, "", None
    locked.replaced_by, locked.replaced_how, locked.replaced_on, locked.replaced_reason = None, "", None, ""
    locked.reopened_reason = reason
    return save_checked(locked, by)


#: A re-test is set within this many years of completion; further off is almost always a typing slip.
RETEST_YEARS_AHEAD = 10


@transaction.atomic
def retest_due_set(*, action: Action, by: Person, due: datetime.date | None, expected_version: int | None) -> Action:
    """Set (or, with None, clear) the day a completed action's impact should be re-tested.

    Guarantees: only the chair or the manager; only a complete action; not before it was completed nor before its
    latest re-test, and within :data:`RETEST_YEARS_AHEAD` years; a stale ``expected_version`` is refused.
    """
    locked = _lock_decision(action, by=by, expected_version=expected_version, fields={"retest_due": due})
    if locked.outcome != Outcome.COMPLETE:
        raise ValidationError("Only a completed action can be re-tested")
    if due is not None:
        latest = locked.retests.order_by("-tested_on").values_list("tested_on", flat=True).first()
        if due < locked.completed_on:
            completed = f"{locked.completed_on:%-d %B %Y}"
            raise ValidationError(
                {"retest_due": f"The re-test date must be on or after {completed}, when it was completed"}
            )
        if latest is not None and due <= latest:
            raise ValidationError(
                {"retest_due": f"The re-test date must be after the last re-test, on {latest:%-d %B %Y}"}
            )
        if due.year > locked.completed_on.year + RETEST_YEARS_AHEAD:
            raise ValidationError(
                {"retest_due": f"The re-test date must be within {RETEST_YEARS_AHEAD} years of completion"}
            )
    locked.retest_due = due
    return save_checked(locked, by)


@transaction.atomic
def retest_record(
    *,
    action: Action,
    by: Person,
    tested_on: datetime.date,
    result: str,
    evidence: str,
    expected_version: int | None,
) -> Retest:
    """Record an impact re-test of a completed action: did the change last?

    Guarantees: only the chair or the manager; only a complete action; ``tested_on`` not in the future nor before
    completion; evidence given; a stale ``expected_version`` is refused (so a double click records it once).
    "Sustained" clears ``retest_due`` (another may be set); "not sustained" reopens the action through
    :func:`action_reopen` with a reason naming the re-test, so its lead is asked for updates again.
    """
    evidence = evidence.strip()
    locked = _lock_decision(action, by=by, expected_version=expected_version, fields={})
    if locked.outcome != Outcome.COMPLETE:
        raise ValidationError("Only a completed action can be re-tested")
    errors = _meeting_problems(tested_on, "tested_on")
    if not errors and tested_on < locked.completed_on:
        errors["tested_on"] = f"The re-test must be on or after {locked.completed_on:%-d %B %Y}, when it was completed"
    if result not in Retest.Result.values:
        errors["result"] = "Select whether the change was sustained"
    if not evidence:
        errors["evidence"] = "Give the evidence the re-test looked at"
    if errors:
        raise ValidationError(errors)
    retest = save_checked(
        Retest(
            action=locked,
            tested_on=tested_on,
            result=result,
            evidence=evidence,
            recorded_by=by,
            recorded_at=timezone.now(),
        ),
        by,
    )
    locked.retest_due = None
    attribute(locked, by)
    locked.save()  # the version moves on, so the same page sent twice is refused
    if result == Retest.Result.NOT_SUSTAINED:
        action_reopen(
            action=locked,
            by=by,
            reason=f"The re-test on {tested_on:%-d %B %Y} found the change was not sustained: {evidence}",
        )
    return retest


def round_snapshot(monitoring_round: MonitoringRound) -> dict[str, Any]:
    """What the round says, frozen: its whole board as agreed (reports.frozen) and each action's agreed words.

    Every view of an endorsed round (board, list, committee report, exports) reads this, never today's rows.
    """
    from reports.frozen import snapshot_document
    from reports.selectors import board_for, retests_as_at
    from reports.sign_offs import area_sign_offs

    plan = ActionPlan.objects.select_related("inspection").get(pk=monitoring_round.plan_id)
    board = board_for(plan, monitoring_round, read_snapshot=False)
    updates = {
        update.action_id: update for update in Update.objects.filter(round=monitoring_round).prefetch_related("files")
    }
    links: dict[int, list[Finding]] = {}
    for link in (
        Action.areas.through.objects.filter(action__plan_id=plan.pk)
        .select_related("finding")
        .order_by("finding__kind", "finding__number")
    ):
        links.setdefault(link.action_id, []).append(link.finding)
    supporting: dict[int, list[str]] = {}
    for action_id, name in Action.supporting_agencies.through.objects.filter(action__plan_id=plan.pk).values_list(
        "action_id", "agency__name"
    ):
        supporting.setdefault(action_id, []).append(name)
    document = snapshot_document(
        board, updates=updates, links=links, supporting=supporting, sign_offs=area_sign_offs(board)
    )
    document["retests"] = retests_as_at(plan, board.as_at)
    document["actions"] = [
        {
            "action_id": row["action_id"],
            "reference": row["reference"],
            "description": row["description"],
            "lead_agency": row["lead_agency_short"],
            "target_date": (row["revised_target_date"] or row["target_date"]),
            "agreed_quadrant": row["quadrant"],
            "agreed_reason": (row["update"] or {}).get("agreed_reason", ""),
            "narrative": (row["update"] or {}).get("narrative", ""),
            "barriers": (row["update"] or {}).get("barriers", ""),
        }
        for row in document["entries"]
    ]
    return document


@transaction.atomic
def round_endorse(*, monitoring_round: MonitoringRound, by: Person, endorsed_on: Any, meeting: str) -> MonitoringRound:
    """Record the partnership board's endorsement and freeze what the round says (its ``FrozenRecord``)."""
    from reports.frozen import frozen_record_save

    locked = _lock_round(monitoring_round, rounds.sources_of(MonitoringRound.State.ENDORSED))
    # Frozen as the board saw it: the agreed round, with every sign-off recorded so far (even one typed in
    # after the fact), so a round endorsed after the fact says what the board was shown.
    frozen_record_save(monitoring_round=locked, snapshot=round_snapshot(locked))
    locked.state = MonitoringRound.State.ENDORSED
    locked.endorsed_on = endorsed_on
    locked.endorsement_meeting = meeting.strip()
    locked._history_user = by.user
    locked.save()
    return locked


# Plans and their actions (set-up) -----------------------------------------------


def default_plan_title(theme: str) -> str:
    return f"{theme.strip()} action plan"[: ActionPlan._meta.get_field("title").max_length]


@transaction.atomic
def plan_save(*, inspection: Inspection, by: Person | None, title: str = "") -> ActionPlan:
    """The inspection's action plan, created if it has none, titled ``title`` (or "<theme> action plan")."""
    plan = ActionPlan.objects.filter(inspection=inspection).first() or ActionPlan(inspection=inspection)
    title = title.strip() or plan.title or default_plan_title(inspection.theme)
    if plan.pk is None or plan.title != title:
        plan.title = title
        save_checked(plan, by)
    return plan


ACTION_FIELDS = (
    "reference",
    "description",
    "lead",
    "lead_agency",
    "target_date",
    "measure_of_success",
    "sustainability_plan",
)


def _check_action_links(plan: ActionPlan, areas: Iterable[Finding], supporting: Iterable[Agency]) -> None:
    partnership_id = plan.inspection.partnership_id
    if any(area.inspection_id != plan.inspection_id or not area.needs_action for area in areas):
        raise ValidationError({"areas": "Choose only findings of this plan's own inspection or review"})
    if any(agency.partnership_id != partnership_id for agency in supporting):
        raise ValidationError({"supporting_agencies": "Choose agencies of your partnership"})


@transaction.atomic
def action_create(
    *,
    plan: ActionPlan,
    by: Person,
    fields: Mapping[str, Any],
    areas: Iterable[Finding] = (),
    supporting_agencies: Iterable[Agency] = (),
) -> Action:
    """A new action, placed last in the plan."""
    areas, supporting_agencies = list(areas), list(supporting_agencies)
    _check_action_links(plan, areas, supporting_agencies)
    last = Action.objects.filter(plan=plan).aggregate(last=Max("position"))["last"]
    action = assign_fields(Action(plan=plan, position=0 if last is None else last + 1), fields, ACTION_FIELDS)
    save_checked(action, by)
    action.areas.set(areas)
    action.supporting_agencies.set(supporting_agencies)
    return action


@transaction.atomic
def action_update(
    *,
    action: Action,
    by: Person,
    fields: Mapping[str, Any],
    areas: Iterable[Finding],
    supporting_agencies: Iterable[Agency],
    expected_version: int | None = None,
) -> Action:
    """Change what the manager's form sets; a stale ``expected_version`` is refused (:func:`lock_for_edit`)."""
    areas, supporting_agencies = list(areas), list(supporting_agencies)
    _check_action_links(action.plan, areas, supporting_agencies)
    submitted = {**fields, "areas": areas, "supporting_agencies": supporting_agencies}
    lock_for_edit(action, expected_version=expected_version, fields=submitted, what="this action")
    save_checked(assign_fields(action, fields, ACTION_FIELDS), by)
    action.areas.set(areas)
    action.supporting_agencies.set(supporting_agencies)
    return action


def _plan_order(plan: ActionPlan) -> list[Action]:
    return list(Action.objects.select_for_update().filter(plan=plan).order_by("position", "id"))


@transaction.atomic
def action_move(*, action: Action, by: Person, direction: Literal["up", "down"]) -> bool:
    """Swap the action with its neighbour above or below. False if it is already first or last.

    Positions are rewritten 0, 1, 2... in the same transaction, so plans whose
    actions all had the same position end up with a clear order.
    """
    order = _plan_order(action.plan)
    index = next(i for i, candidate in enumerate(order) if candidate.pk == action.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(order):
        return False
    order[index], order[other] = order[other], order[index]
    for position, candidate in enumerate(order):
        if candidate.position != position:
            candidate.position = position
            attribute(candidate, by)
            candidate.save(update_fields=["position"])
    return True


def _first_area(action: Action) -> Finding | None:
    # The same area the plan page groups the action under: the first in the findings' own order.
    areas = sorted(action.areas.all(), key=lambda f: (f.kind, f.number))
    return areas[0] if areas else None


def renumbered_references(actions: list[Action]) -> dict[int, str]:
    """Each action's new reference: "<area number>.<place within the area>", in plan order.

    Actions without an area are "0.n". A priority area for action is
    numbered separately from the areas for improvement in the letter, so its
    actions get a "P" ("P1.1") and never clash with area for improvement 1's.
    """
    seen: dict[tuple[str, int], int] = {}
    references = {}
    for action in actions:
        area = _first_area(action)
        key = (area.kind, area.number) if area else ("", 0)
        seen[key] = seen.get(key, 0) + 1
        references[action.pk] = f"{area.reference if area else 0}.{seen[key]}"
    return references


def renumber_hint(regime: Regime) -> str:
    """How :func:`renumbered_references` numbers a plan's actions, in its regime's words for its findings."""
    answered = [words for words in regime.findings if words.kind in KINDS_NEEDING_ACTION]
    priority = regime.words(Finding.Kind.PRIORITY_ACTION)
    plain = [words for words in answered if words.kind != Finding.Kind.PRIORITY_ACTION]
    example = lower_words(plain[0].singular) if plain else "finding"
    area = lower_words(answered[0].singular) if len(answered) == 1 else "area"
    hint = (
        f"Renumbering sets every reference from the first {area} the action answers and its place among that "
        f"{area}'s actions, in the order above: the actions for {example} 3 become 3.1, 3.2 and so on."
    )
    if priority is not None:
        named = lower_words(priority.singular)
        hint += f" Actions for {'an' if named[:1] in 'aeiou' else 'a'} {named} get a P (P1.1);"
        return f"{hint} actions with no {area} become 0.1, 0.2."
    return f"{hint} Actions with no {area} become 0.1, 0.2."


@transaction.atomic
def actions_renumber(*, plan: ActionPlan, by: Person) -> int:
    """Give every action of the plan its reference from :func:`renumbered_references`. Returns how many changed."""
    order = list(
        Action.objects.select_for_update().filter(plan=plan).prefetch_related("areas").order_by("position", "id")
    )
    references = renumbered_references(order)
    changed = [action for action in order if action.reference != references[action.pk]]
    # References are unique in a plan, and the new ones may swap with old ones (1.2 <-> 1.1): park the
    # changed ones on placeholders first. bulk_update writes no history, so each action's history
    # goes straight from its old reference to its new one.
    for action in changed:
        action.reference = f"~{action.pk}"
    Action.objects.bulk_update(changed, ["reference"])
    for action in changed:
        action.reference = references[action.pk]
        attribute(action, by)
        action.save(update_fields=["reference"])
    return len(changed)


@transaction.atomic
def actions_reassign_lead(*, from_person: Person, to_person: Person | None, by: Person) -> int:
    """Hand every action ``from_person`` leads to ``to_person`` (a leaver's hand-over). Returns how many moved.

    Only the lead changes: older rows that break a newer rule must not block a leaver's exit.
    """
    led = list(Action.objects.select_for_update().filter(lead=from_person).order_by("pk"))
    if led and to_person is None:
        raise ValidationError({"reassign_to": "Choose who takes over their actions"})
    for action in led:
        action.lead = to_person
        attribute(action, by)
        action.save(update_fields=["lead"])
    return len(led)


# Monitoring rounds -----------------------------------------------------------

#: Leads report on a period soon after it ends; a deadline further off is almost always a typing slip.
MAX_DEADLINE_AFTER_PERIOD = datetime.timedelta(days=60)


@transaction.atomic
def round_create(
    *,
    plan: ActionPlan,
    by: Person,
    label: str,
    period_end: datetime.date,
    update_deadline: datetime.date,
    cadence: str,
) -> MonitoringRound:
    """A draft round. The manager opens it for updates from the round's page."""
    if update_deadline > period_end + MAX_DEADLINE_AFTER_PERIOD:
        raise ValidationError(
            {"update_deadline": "The update deadline must be no more than 60 days after the period ends"}
        )
    monitoring_round = MonitoringRound(
        plan=plan,
        label=label.strip(),
        period_end=period_end,
        update_deadline=update_deadline,
        cadence=cadence,
        state=MonitoringRound.State.DRAFT,
    )
    return save_checked(monitoring_round, by)


@dataclass(frozen=True)
class ImportedPosition:
    """Where one action stood in the spreadsheet a plan was imported from."""

    action: Action
    quadrant: str
    narrative: str = ""
    #: For a complete action: when the sheet says it was completed (never after the round's day).
    completed_on: datetime.date | None = None


def imported_round_label(period_end: datetime.date) -> str:
    return f"Imported position, {period_end:%B %Y}"


@transaction.atomic
def round_import_position(
    *, plan: ActionPlan, by: Person, period_end: datetime.date, positions: Iterable[ImportedPosition]
) -> MonitoringRound:
    """The plan's opening round, as the partnership's own spreadsheet recorded it, agreed and marked imported.

    Guarantees: only for a plan with no rounds yet; the round moves along the rounds state machine
    (draft, open, agreed by :func:`round_close`, dated ``period_end``), every action gets one agreed update
    with its quadrant and text, and a complete action is completed on the sheet's date, else the round's.
    Raises :class:`RoundIncomplete` when an action of the plan has no position.
    """
    if MonitoringRound.objects.filter(plan=plan).exists():
        raise RoundStateError("This plan already has monitoring rounds, so its opening position cannot be imported.")
    monitoring_round = round_create(
        plan=plan,
        by=by,
        label=imported_round_label(period_end),
        period_end=period_end,
        update_deadline=period_end,
        cadence=MonitoringRound.Cadence.QUARTERLY,
    )
    MonitoringRound.objects.filter(pk=monitoring_round.pk).update(imported=True)
    monitoring_round = round_set_state(monitoring_round=monitoring_round, by=by, state=MonitoringRound.State.OPEN)
    now = timezone.now()
    updates = [
        Update(
            action=position.action,
            round=monitoring_round,
            status=Update.Status.AGREED,
            narrative=position.narrative,
            proposed_quadrant=position.quadrant,
            agreed_quadrant=position.quadrant,
            achieved_on=position.completed_on if position.quadrant == Quadrant.COMPLETE else None,
            submitted_by=by,
            submitted_at=now,
            agreed_by=by,
            agreed_at=now,
        )
        for position in positions
    ]
    Update.objects.bulk_create(updates)
    Update.history.bulk_history_create(updates, default_user=by.user)
    return round_close(monitoring_round=monitoring_round, by=by, meeting_on=period_end)


# Quadrant wording ------------------------------------------------------------


@transaction.atomic
def quadrant_wording_save(
    *, partnership: Partnership, by: Person, wording: Mapping[str, tuple[str, str]]
) -> list[QuadrantWording]:
    """The partnership's label and description for every quadrant. Rows that already say this are left alone."""
    if set(wording) != set(Quadrant.values):
        raise ValueError("Give the wording of every quadrant")
    existing = {row.quadrant: row for row in QuadrantWording.objects.for_partnership(partnership)}
    rows = []
    for quadrant in Quadrant.values:
        label, description = (part.strip() for part in wording[quadrant])
        row = existing.get(quadrant) or QuadrantWording(partnership=partnership, quadrant=quadrant)
        if row.pk is None or (row.label, row.description) != (label, description):
            row.label, row.description = label, description
            save_checked(row, by)
        rows.append(row)
    return rows


# Impact measures -------------------------------------------------------------

MEASURE_FIELDS = ("name", "description", "unit", "baseline", "target", "higher_is_better")


@transaction.atomic
def impact_measure_create(*, plan: ActionPlan, by: Person, fields: Mapping[str, Any]) -> ImpactMeasure:
    last = ImpactMeasure.objects.filter(plan=plan).aggregate(last=Max("position"))["last"]
    measure = ImpactMeasure(plan=plan, position=0 if last is None else last + 1)
    return save_checked(assign_fields(measure, fields, MEASURE_FIELDS), by)


@transaction.atomic
def impact_measure_update(
    *, measure: ImpactMeasure, by: Person, fields: Mapping[str, Any], expected_version: int | None = None
) -> ImpactMeasure:
    lock_for_edit(measure, expected_version=expected_version, fields=fields, what="this measure")
    assign_fields(measure, fields, MEASURE_FIELDS)
    if measure.unit == ImpactMeasure.Unit.PERCENT and measure.values.exclude(value__range=(0, 100)).exists():
        raise ValidationError(
            {"unit": "Some recorded values are not between 0 and 100, so this cannot be a percentage"}
        )
    return save_checked(measure, by)


@transaction.atomic
def impact_value_record(
    *,
    measure: ImpactMeasure,
    by: Person,
    period_label: str,
    period_end: datetime.date,
    value: Decimal,
    note: str = "",
) -> ImpactValue:
    """The measure's figure for one period (one per period end)."""
    impact_value = ImpactValue(
        measure=measure, period_label=period_label.strip(), period_end=period_end, value=value, note=note.strip()
    )
    return save_checked(impact_value, by)
