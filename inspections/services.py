"""Changes to agencies, inspections, findings and their sign-off. Each runs in one transaction and leaves history.

Set-up screens, the spreadsheet and JSON imports and the demo all write these
rows through the functions below. Each is keyword-only, checks the model's
own rules with ``full_clean`` before a save and records ``by`` (a Person, or
None for a command) as the author of the change.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.utils import timezone

from inspections.models import (
    KINDS_NEEDING_ACTION,
    Agency,
    Finding,
    FindingSignOff,
    Inspection,
    Partnership,
    lower_words,
)
from jtai_tracker.versions import change, field_changes, lock_for_edit, refuse_if_stale
from jtai_tracker.writes import assign_fields, save_checked
from people.models import Person

# The partnership -------------------------------------------------------------

#: What its manager keeps; its name is support's (the admin).
PARTNERSHIP_FIELDS = ("local_authority", "board_name", "committee_name", "second_factor_for_everyone")


@transaction.atomic
def partnership_update(
    *,
    partnership: Partnership,
    by: Person | None,
    fields: Mapping[str, Any],
    expected_version: int | None = None,
    request: Any = None,
) -> Partnership:
    """Change the partnership's local authority and board name; a stale ``expected_version`` is refused
    (:func:`jtai_tracker.versions.lock_for_edit`)."""
    lock_for_edit(partnership, expected_version=expected_version, fields=fields, what="your partnership's details")
    was = partnership.second_factor_for_everyone
    saved = save_checked(assign_fields(partnership, fields, PARTNERSHIP_FIELDS), by)
    if saved.second_factor_for_everyone != was:
        from audit.models import AuditEvent
        from audit.services import record

        record(
            request,
            AuditEvent.Event.SIGN_IN_SETTINGS_CHANGED,
            user=getattr(by, "user", by),
            partnership=saved.pk,
            detail="Everyone must use a second step: " + ("yes" if saved.second_factor_for_everyone else "no"),
        )
    return saved


# Agencies --------------------------------------------------------------------

AGENCY_FIELDS = ("name", "short_name", "kind")


@transaction.atomic
def agency_create(
    *, partnership: Partnership, by: Person | None, fields: Mapping[str, Any], active: bool = True
) -> Agency:
    """A new agency of the partnership (active unless said): the only way an agency is created.

    Its name is unique in the partnership, whatever its case.
    """
    return save_checked(assign_fields(Agency(partnership=partnership, active=active), fields, AGENCY_FIELDS), by)


@transaction.atomic
def agency_update(
    *, agency: Agency, by: Person | None, fields: Mapping[str, Any], expected_version: int | None = None
) -> Agency:
    """Change the agency; a stale ``expected_version`` is refused (:func:`jtai_tracker.versions.lock_for_edit`)."""
    lock_for_edit(agency, expected_version=expected_version, fields=fields, what="this agency")
    return save_checked(assign_fields(agency, fields, AGENCY_FIELDS), by)


@transaction.atomic
def agency_set_active(*, agency: Agency, by: Person | None, active: bool) -> Agency:
    """Deactivate or reactivate: an inactive agency is kept (past actions name it) but offered for nothing new."""
    agency.active = active
    return save_checked(agency, by)


# Inspections -----------------------------------------------------------------

INSPECTION_FIELDS = (
    "kind",
    "theme",
    "inspectorates",
    "fieldwork_start",
    "fieldwork_end",
    "letter_published",
    "plan_due",
    "plan_submitted",
    "plan_endorsed",
    "status",
    "milestones",
)


def plan_title_for(inspection: Inspection) -> str:
    """A new plan's title: the theme and the regime's name for its plan ("Child H action plan", "Neglect
    written statement of action")."""
    return f"{inspection.theme.strip()} {lower_words(inspection.regime.plan)}"[:200]


@transaction.atomic
def inspection_create(
    *, partnership: Partnership, by: Person | None, fields: Mapping[str, Any], plan_title: str = ""
) -> Inspection:
    """The inspection or review and the plan that answers it (titled by :func:`plan_title_for` unless given).

    The same source is not added twice: one of the same type, theme or name, and start date is refused by the
    theme (the partnership's row locked, so two added at once queue)."""
    from actions.services import plan_save

    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    theme, start, kind = fields.get("theme", ""), fields.get("fieldwork_start"), fields.get("kind")
    if (
        theme
        and start
        and Inspection.objects.for_partnership(partnership)
        .filter(kind=kind or Inspection.Kind.JTAI, theme__iexact=str(theme).strip(), fieldwork_start=start)
        .exists()
    ):
        raise ValidationError({"theme": f"{theme} is already on the service, with the same type and start date"})
    inspection = save_checked(assign_fields(Inspection(partnership=partnership), fields, INSPECTION_FIELDS), by)
    plan_save(inspection=inspection, by=by, title=plan_title.strip() or plan_title_for(inspection))
    return inspection


@transaction.atomic
def inspection_update(
    *,
    inspection: Inspection,
    by: Person | None,
    fields: Mapping[str, Any],
    plan_title: str,
    expected_version: int | None = None,
) -> Inspection:
    """Change the inspection and its plan's title (creating the plan if it has none yet).

    A stale ``expected_version`` is refused as :func:`jtai_tracker.versions.lock_for_edit` says; the plan's
    title is compared too (a blank one keeps the title the plan has).
    """
    from actions.models import ActionPlan
    from actions.services import plan_save

    inspection.refresh_from_db(from_queryset=Inspection.objects.select_for_update())
    plan = ActionPlan.objects.filter(inspection=inspection).first()
    changes = field_changes(inspection, fields)
    if plan is not None and plan_title.strip():
        changes += change("plan_title", "Action plan title", plan.title, plan_title)
    refuse_if_stale(inspection, expected_version, changes, what="this inspection")
    save_checked(assign_fields(inspection, fields, INSPECTION_FIELDS), by)
    plan_save(
        inspection=inspection,
        by=by,
        title=plan_title.strip() or (plan.title if plan is not None else plan_title_for(inspection)),
    )
    return inspection


# Findings --------------------------------------------------------------------


def finding_next_number(inspection: Inspection, kind: str) -> int:
    """The number after the last finding of this kind (1 for the first)."""
    last = Finding.objects.filter(inspection=inspection, kind=kind).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


@transaction.atomic
def finding_create(
    *, inspection: Inspection, by: Person | None, kind: str, text: str, case_study: str = "", number: int | None = None
) -> Finding:
    """One finding; without a number it is numbered after the last one of its kind."""
    finding = Finding(
        inspection=inspection,
        kind=kind,
        number=number or finding_next_number(inspection, kind),
        text=text.strip(),
        case_study=case_study.strip(),
    )
    return save_checked(finding, by)


@transaction.atomic
def finding_update(
    *,
    finding: Finding,
    by: Person | None,
    kind: str,
    number: int,
    text: str,
    case_study: str,
    expected_version: int | None = None,
) -> Finding:
    submitted = {"kind": kind, "number": number, "text": text, "case_study": case_study}
    lock_for_edit(finding, expected_version=expected_version, fields=submitted, what="this finding")
    finding.kind, finding.number, finding.text, finding.case_study = kind, number, text.strip(), case_study.strip()
    return save_checked(finding, by)


#: A line that starts a new item: a bullet ("-", "–", "•", "*", "·", "▪") or a number ("1.", "12)").
_ITEM_START = re.compile(r"^\s*(?:[-–•*·▪]\s*|\d{1,3}[.)]\s+|\d{1,3}[.)]$)(?P<text>.*)$")


def findings_parse(text: str) -> list[str]:
    """Split the letter's pasted list into the text of each finding, in order.

    With bullets or numbers, each bullet starts an item and a line without one
    continues the item before it (a bullet the PDF wrapped over several
    lines); a line before the first bullet is an item of its own. Without any
    bullets, each non-empty line is one item. Markers are removed and white
    space collapsed.
    """
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    bulleted = any(_ITEM_START.match(line) for line in lines)
    items: list[list[str]] = []
    for line in lines:
        match = _ITEM_START.match(line)
        if not bulleted or match or not items:
            items.append([match.group("text") if match else line])
        else:
            items[-1].append(line)
    joined = (" ".join(" ".join(parts).split()) for parts in items)
    return [item for item in joined if item]


class FindingsChanged(Exception):
    """Someone added findings of this kind since the preview, so the numbers shown are no longer right."""

    def __init__(self, first_number: int):
        super().__init__(f"The numbers now start at {first_number}.")
        self.first_number = first_number


@transaction.atomic
def findings_paste(
    *, inspection: Inspection, by: Person | None, kind: str, texts: list[str], expected_first_number: int | None = None
) -> list[Finding]:
    """Add the findings in order, numbered on from the last one of their kind: all of them or none.

    If ``expected_first_number`` (what the preview showed) is no longer the
    next number, nothing is added and :class:`FindingsChanged` says so.
    """
    if not texts:
        raise ValidationError("There are no findings to add")
    first = finding_next_number(inspection, kind)
    if expected_first_number is not None and first != expected_first_number:
        raise FindingsChanged(first)
    return [
        save_checked(Finding(inspection=inspection, kind=kind, number=first + offset, text=text), by)
        for offset, text in enumerate(texts)
    ]


# Signing findings off -------------------------------------------------------------

#: The findings a plan answers, so the ones that can be signed off as addressed.
FINDINGS_NEEDING_ACTION = KINDS_NEEDING_ACTION


def access_finding_for_sign_off(user: Any, pk: int) -> Finding:
    """A priority area for action or area for improvement the user may sign off or reopen.

    404 for another partnership's finding (or a strength, which is never signed off), 403 without the
    right (``inspections.sign_off``: the sub-group chair or the manager).
    """
    finding = get_object_or_404(
        Finding.objects.visible_to(user).filter(kind__in=FINDINGS_NEEDING_ACTION).select_related("inspection__plan"),
        pk=pk,
    )
    if not user.has_perm("inspections.sign_off", finding):
        raise PermissionDenied
    return finding


def _lock(finding: Finding) -> Finding:
    """One change to a finding's sign-off at a time, so two chairs cannot both sign it off."""
    return Finding.objects.select_for_update().select_related("inspection").get(pk=finding.pk)


@transaction.atomic
def finding_sign_off(
    *,
    finding: Finding,
    by: Person,
    signed_off_on: datetime.date,
    agreed_by_body: str,
    evidence: str,
    note: str = "",
) -> FindingSignOff:
    """Record that ``agreed_by_body`` agreed at its meeting on ``signed_off_on`` that the finding was addressed.

    Guarantees: the finding needs action (not a strength) and is not signed off already; the date is
    not after today, not before the inspection's fieldwork and not inside an earlier sign-off's period;
    the body and the evidence are given. Otherwise raises ValidationError and writes nothing.
    """
    locked = _lock(finding)
    if locked.sign_offs.standing().exists():
        raise ValidationError(f"{locked} is already signed off. Reopen it first to record a new sign-off.")
    sign_off = FindingSignOff(
        finding=locked,
        signed_off_on=signed_off_on,
        agreed_by_body=" ".join(agreed_by_body.split()),
        evidence=evidence.strip(),
        note=note.strip(),
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    return save_checked(sign_off, by)


@transaction.atomic
def finding_reopen(*, finding: Finding, by: Person, reopened_on: datetime.date, reason: str) -> FindingSignOff:
    """Reopen the finding's sign-off as at the meeting of ``reopened_on``, for ``reason``.

    Guarantees: the finding is signed off; the date is not after today nor before the sign-off; the
    reason is given. The sign-off is kept, closed by the reopening, so what it said stays on record.
    Otherwise raises ValidationError and writes nothing.
    """
    locked = _lock(finding)
    sign_off = locked.sign_offs.standing().select_for_update().first()
    if sign_off is None:
        raise ValidationError(f"{locked} is not signed off, so there is nothing to reopen.")
    sign_off.reopened_on = reopened_on
    sign_off.reopened_reason = reason.strip()
    sign_off.reopened_by = by
    sign_off.reopened_at = timezone.now()
    return save_checked(sign_off, by)
