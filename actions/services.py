"""Changes to actions, rounds and updates. Each runs in one transaction and leaves history.

Views parse the request and call one of these; nothing else writes these rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from actions.models import Action, EvidenceFile, MonitoringRound, Update
from actions.quadrants import Quadrant
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
)


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    theirs: Any
    yours: Any


class UpdateConflict(Exception):
    """Someone saved the update after this user opened it: nothing was saved."""

    def __init__(self, current: Update, changes: list[FieldChange]):
        super().__init__("The update was changed by someone else.")
        self.current = current
        self.changes = changes


class RoundNotOpen(Exception):
    """The round is not taking updates, so the update is read-only."""


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
    return action.plan.rounds.filter(state=MonitoringRound.State.OPEN).order_by("-period_end").first()


def _changes(current: Update, submitted: dict[str, Any]) -> list[FieldChange]:
    return [
        FieldChange(
            field=name,
            label=Update._meta.get_field(name).verbose_name.capitalize(),
            theirs=getattr(current, name),
            yours=submitted[name],
        )
        for name in LEAD_FIELDS
        if name in submitted and getattr(current, name) != submitted[name]
    ]


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
    nothing is written and :class:`UpdateConflict` says what differs; the
    update, its files and its history are written together or not at all.
    """
    locked_round = MonitoringRound.objects.select_for_update().get(pk=monitoring_round.pk)
    if locked_round.state != MonitoringRound.State.OPEN or locked_round.plan_id != action.plan_id:
        raise RoundNotOpen
    update = Update.objects.select_for_update().filter(action=action, round=locked_round).first()
    current_version = update.version if update else 0
    if current_version != expected_version:
        raise UpdateConflict(update, _changes(update, fields) if update else [])
    if update is None:
        update = Update(action=action, round=locked_round, version=0)
    elif update.status == Update.Status.AGREED:
        raise RoundNotOpen
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


SENSE_CHECK_STATES = (MonitoringRound.State.OPEN, MonitoringRound.State.SENSE_CHECK)


def access_round_for_sense_check(user: Any, pk: int) -> MonitoringRound:
    """The round, if the user chairs the sense check: 404 for another partnership, 403 without the role."""
    monitoring_round = get_object_or_404(
        MonitoringRound.objects.visible_to(user).select_related("plan__inspection"), pk=pk
    )
    if not user.has_perm("actions.sense_check", monitoring_round):
        raise PermissionDenied
    return monitoring_round


def _lock_round(monitoring_round: MonitoringRound, allowed: tuple[str, ...]) -> MonitoringRound:
    locked = MonitoringRound.objects.select_for_update().get(pk=monitoring_round.pk)
    if locked.state not in allowed:
        raise RoundStateError(f"{locked.label} is {locked.get_state_display().lower()}, so this cannot be done now.")
    return locked


@transaction.atomic
def round_set_state(*, monitoring_round: MonitoringRound, by: Person, state: str) -> MonitoringRound:
    """Open a draft round for updates, or move an open round on to the sense check (and back)."""
    allowed_from = {
        MonitoringRound.State.OPEN: (MonitoringRound.State.DRAFT, MonitoringRound.State.SENSE_CHECK),
        MonitoringRound.State.SENSE_CHECK: (MonitoringRound.State.OPEN,),
    }
    if state not in allowed_from:
        raise RoundStateError("Use closing or endorsing to move a round on from the sense check.")
    locked = _lock_round(monitoring_round, allowed_from[state])
    locked.state = state
    locked._history_user = by.user
    locked.save()
    return locked


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
    locked_round = _lock_round(monitoring_round, SENSE_CHECK_STATES)
    if action.plan_id != locked_round.plan_id:
        raise RoundStateError("This action is not in this round's plan.")
    update = Update.objects.select_for_update().filter(action=action, round=locked_round).first()
    if expected_version is not None and (update.version if update else 0) != expected_version:
        raise UpdateConflict(update, [])
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

    changed = False
    if quadrant == Quadrant.COMPLETE and not action.is_complete:
        action.completed_on = timezone.localdate()
        action.sustainability_plan = update.sustainability_plan or action.sustainability_plan
        changed = True
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
    locked = _lock_round(monitoring_round, SENSE_CHECK_STATES)
    missing = round_missing_agreement(locked)
    for action in [a for a in missing if a.is_complete]:
        carried = Update(
            action=action,
            round=locked,
            status=Update.Status.AGREED,
            narrative="Completed in an earlier round.",
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
    locked.state = MonitoringRound.State.AGREED
    locked.subgroup_meeting_on = meeting_on
    locked._history_user = by.user
    locked.save()
    return locked


def round_snapshot(monitoring_round: MonitoringRound) -> dict[str, Any]:
    """What the round says: each action's agreed quadrant with the words that went with it."""
    updates = (
        Update.objects.filter(round=monitoring_round)
        .select_related("action__lead_agency")
        .order_by("action__position", "action_id")
    )
    return {
        "round": monitoring_round.label,
        "actions": [
            {
                "action_id": u.action_id,
                "reference": u.action.reference,
                "description": u.action.description,
                "lead_agency": u.action.lead_agency.display_name,
                "target_date": u.action.current_target_date.isoformat(),
                "agreed_quadrant": u.agreed_quadrant,
                "agreed_reason": u.agreed_reason,
                "narrative": u.narrative,
                "barriers": u.barriers,
            }
            for u in updates
        ],
    }


@transaction.atomic
def round_endorse(*, monitoring_round: MonitoringRound, by: Person, endorsed_on: Any, meeting: str) -> MonitoringRound:
    """Record the partnership board's endorsement and freeze what the round says."""
    locked = _lock_round(monitoring_round, (MonitoringRound.State.AGREED,))
    locked.state = MonitoringRound.State.ENDORSED
    locked.endorsed_on = endorsed_on
    locked.endorsement_meeting = meeting.strip()
    locked.endorsed_snapshot = round_snapshot(locked)
    locked._history_user = by.user
    locked.save()
    return locked
