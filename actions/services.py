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
