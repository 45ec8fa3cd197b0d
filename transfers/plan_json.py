"""The whole plan as one JSON document, and that document brought into an empty partnership.

The document is the archive of a plan: the inspection and its findings (with every sign-off and
reopening of each), the plan, every action with its areas, lead and agencies, every monitoring round
with every update and its figures as at the round, the impact measures and their values, and the
partnership's quadrant wording.
Rows refer to each other by what the partnership calls them (an agency by name, an action by
reference, a finding by kind and number, a round by label), and people by a reference local to the
document, so a document can be read by a person and imported into another partnership (or another
tracker) without its database ids.

Evidence files are listed (name, size, SHA-256) but their contents are not in the document, so an
import records that they existed and does not re-create them. Change history is not exported.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from actions.models import (
    Action,
    ActionPlan,
    ImpactMeasure,
    ImpactValue,
    MonitoringRound,
    QuadrantWording,
    Retest,
    Update,
)
from actions.quadrants import Quadrant, scale_for
from inspections.models import Agency, Finding, FindingSignOff, Inspection, Partnership
from inspections.services import agency_create
from jtai_tracker.database import ROWS_PER_INSERT, bulk_insert, links_insert
from jtai_tracker.forms import EARLIEST, LATEST, range_message
from jtai_tracker.writes import history_bulk_create
from people.models import Person
from people.services import person_create, split_name
from reports.frozen import frozen_records_save
from reports.selectors import RoundFigures, round_figures

FORMAT = "jtai-tracker-plan"
VERSION = 1


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _decimal(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


# Export -----------------------------------------------------------------------------------------


def plan_document(plan: ActionPlan) -> dict[str, Any]:
    """The plan and everything that hangs off it, as JSON-ready dicts and lists, each round with its figures.

    A fixed number of queries whatever the number of actions, and a few for each round's figures.
    """
    inspection = plan.inspection
    partnership = inspection.partnership
    actions = list(
        Action.objects.filter(plan=plan)
        .select_related(
            "lead__user",
            "lead__agency",
            "lead_agency",
            "revised_target_agreed_by__user",
            "not_implemented_agreed_by__user",
            "not_implemented_agreed_by__agency",
            "replaced_by__plan",
        )
        .prefetch_related(
            "areas",
            "supporting_agencies",
            Prefetch(
                "retests",
                queryset=Retest.objects.select_related("recorded_by__user", "recorded_by__agency").order_by(
                    "tested_on", "id"
                ),
            ),
        )
        .order_by("position", "id")
    )
    rounds = list(MonitoringRound.objects.filter(plan=plan).order_by("period_end", "id"))
    updates = list(
        Update.objects.filter(round__plan=plan)
        .select_related("action", "submitted_by__user", "submitted_by__agency", "agreed_by__user", "agreed_by__agency")
        .prefetch_related("files__uploaded_by__user", "files__uploaded_by__agency")
        .order_by("action__position", "action_id")
    )
    measures = list(ImpactMeasure.objects.filter(plan=plan).prefetch_related("values").order_by("position", "id"))
    findings = list(
        inspection.findings.order_by("kind", "number").prefetch_related(
            Prefetch(
                "sign_offs",
                queryset=FindingSignOff.objects.select_related(
                    "recorded_by__user", "recorded_by__agency", "reopened_by__user", "reopened_by__agency"
                ).order_by("signed_off_on", "recorded_at", "id"),
            )
        )
    )

    people: dict[int, Person] = {}
    for action in actions:
        recorders = [retest.recorded_by for retest in action.retests.all()]
        for person in (action.lead, action.revised_target_agreed_by, action.not_implemented_agreed_by, *recorders):
            if person is not None:
                people[person.pk] = person
    for update in updates:
        for person in (update.submitted_by, update.agreed_by, *(f.uploaded_by for f in update.files.all())):
            if person is not None:
                people[person.pk] = person
    for finding in findings:
        for sign_off in finding.sign_offs.all():
            for person in (sign_off.recorded_by, sign_off.reopened_by):
                if person is not None:
                    people[person.pk] = person
    ordered_people = sorted(
        people.values(), key=lambda p: (p.user.last_name.lower(), p.user.first_name.lower(), p.user.email, p.pk)
    )
    refs = {person.pk: f"person-{n}" for n, person in enumerate(ordered_people, start=1)}

    agencies: dict[int, Agency] = {}
    for action in actions:
        agencies[action.lead_agency.pk] = action.lead_agency
        for agency in action.supporting_agencies.all():
            agencies[agency.pk] = agency
    for person in ordered_people:
        agencies[person.agency.pk] = person.agency

    def ref(person: Person | None) -> str | None:
        return refs[person.pk] if person is not None else None

    updates_by_round: dict[int, list[Update]] = {}
    for update in updates:
        updates_by_round.setdefault(update.round_id, []).append(update)

    return {
        "format": FORMAT,
        "version": VERSION,
        "partnership": {
            "name": partnership.name,
            "local_authority": partnership.local_authority,
            "board_name": partnership.board_name,
        },
        "quadrant_wording": [
            {"quadrant": info.key, "label": info.label, "description": info.description}
            for info in scale_for(partnership.pk).values()
        ],
        "agencies": [
            {
                "id": agency.pk,
                "name": agency.name,
                "short_name": agency.short_name,
                "kind": agency.kind,
                "active": agency.active,
            }
            for agency in sorted(agencies.values(), key=lambda a: (a.name.lower(), a.pk))
        ],
        "people": [
            {
                "ref": refs[person.pk],
                "id": person.pk,
                "name": person.name,
                "first_name": person.user.first_name,
                "last_name": person.user.last_name,
                "email": person.user.email,
                "agency": person.agency.name,
                "role": person.role,
                "job_title": person.job_title,
                "active": person.user.is_active,
            }
            for person in ordered_people
        ],
        "inspection": {
            "id": inspection.pk,
            "kind": inspection.kind,
            "theme": inspection.theme,
            "inspectorates": list(inspection.inspectorates or []),
            "fieldwork_start": _iso(inspection.fieldwork_start),
            "fieldwork_end": _iso(inspection.fieldwork_end),
            "letter_published": _iso(inspection.letter_published),
            "plan_due": _iso(inspection.plan_due),
            "plan_submitted": _iso(inspection.plan_submitted),
            "plan_endorsed": _iso(inspection.plan_endorsed),
            # The regime's other events' dates (inspections/regimes.toml), by event code: {"notified": "2026-10-01"}.
            "milestones": dict(inspection.milestones or {}),
            "status": inspection.status,
            "findings": [
                {
                    "id": finding.pk,
                    "kind": finding.kind,
                    "number": finding.number,
                    "text": finding.text,
                    "case_study": finding.case_study,
                    "sign_offs": [_sign_off_document(sign_off, ref) for sign_off in finding.sign_offs.all()],
                }
                for finding in findings
            ],
        },
        "plan": {
            "id": plan.pk,
            "title": plan.title,
            "status": plan.status,
            "signed_off_on": _iso(plan.signed_off_on),
        },
        "actions": [
            {
                "id": action.pk,
                "reference": action.reference,
                "position": action.position,
                "description": action.description,
                "areas": [
                    {"kind": area.kind, "number": area.number}
                    for area in sorted(action.areas.all(), key=lambda f: (f.kind, f.number))
                ],
                "lead": ref(action.lead),
                "lead_agency": action.lead_agency.name,
                "supporting_agencies": sorted(agency.name for agency in action.supporting_agencies.all()),
                "target_date": _iso(action.target_date),
                "revised_target_date": _iso(action.revised_target_date),
                "revised_target_reason": action.revised_target_reason,
                "revised_target_agreed_by": ref(action.revised_target_agreed_by),
                "measure_of_success": action.measure_of_success,
                "sustainability_plan": action.sustainability_plan,
                "completed_on": _iso(action.completed_on),
                # How the action ended, if it has (Action.outcome), and its impact re-tests.
                "outcome": action.outcome,
                "withdrawn_on": _iso(action.withdrawn_on),
                "withdrawn_reason": action.withdrawn_reason,
                "reopened_reason": action.reopened_reason,
                "not_implemented_on": _iso(action.not_implemented_on),
                "not_implemented_reason": action.not_implemented_reason,
                "not_implemented_agreed_by": ref(action.not_implemented_agreed_by),
                "replaced_by": None
                if action.replaced_by is None
                else {"plan": action.replaced_by.plan.title, "reference": action.replaced_by.reference},
                "replaced_how": action.replaced_how,
                "replaced_on": _iso(action.replaced_on),
                "replaced_reason": action.replaced_reason,
                "retest_due": _iso(action.retest_due),
                "retests": [
                    {
                        "tested_on": _iso(retest.tested_on),
                        "result": retest.result,
                        "evidence": retest.evidence,
                        "recorded_by": ref(retest.recorded_by),
                        "recorded_at": _iso(retest.recorded_at),
                    }
                    for retest in action.retests.all()
                ],
            }
            for action in actions
        ],
        "rounds": [
            {
                "id": monitoring_round.pk,
                "label": monitoring_round.label,
                "period_end": _iso(monitoring_round.period_end),
                "update_deadline": _iso(monitoring_round.update_deadline),
                "state": monitoring_round.state,
                "cadence": monitoring_round.cadence,
                "subgroup_meeting_on": _iso(monitoring_round.subgroup_meeting_on),
                "endorsed_on": _iso(monitoring_round.endorsed_on),
                "endorsement_meeting": monitoring_round.endorsement_meeting,
                "endorsed_snapshot": monitoring_round.endorsed_snapshot,
                # What every page and output quotes about the round (reports.selectors.round_figures).
                "figures": _figures_document(round_figures(plan, monitoring_round)),
                "updates": [_update_document(update, ref) for update in updates_by_round.get(monitoring_round.pk, [])],
            }
            for monitoring_round in rounds
        ],
        "impact_measures": [
            {
                "id": measure.pk,
                "name": measure.name,
                "description": measure.description,
                "unit": measure.unit,
                "baseline": _decimal(measure.baseline),
                "target": _decimal(measure.target),
                "higher_is_better": measure.higher_is_better,
                "position": measure.position,
                "values": [
                    {
                        "id": value.pk,
                        "period_label": value.period_label,
                        "period_end": _iso(value.period_end),
                        "value": _decimal(value.value),
                        "note": value.note,
                    }
                    for value in sorted(measure.values.all(), key=lambda v: v.period_end)
                ],
            }
            for measure in measures
        ],
    }


def _sign_off_document(sign_off: FindingSignOff, ref: Any) -> dict[str, Any]:
    return {
        "id": sign_off.pk,
        "signed_off_on": _iso(sign_off.signed_off_on),
        "agreed_by_body": sign_off.agreed_by_body,
        "evidence": sign_off.evidence,
        "note": sign_off.note,
        "recorded_by": ref(sign_off.recorded_by),
        "recorded_at": _iso(sign_off.recorded_at),
        "reopened_on": _iso(sign_off.reopened_on),
        "reopened_reason": sign_off.reopened_reason,
        "reopened_by": ref(sign_off.reopened_by),
        "reopened_at": _iso(sign_off.reopened_at),
    }


def _update_document(update: Update, ref: Any) -> dict[str, Any]:
    return {
        "id": update.pk,
        "action": update.action.reference,
        "status": update.status,
        "narrative": update.narrative,
        "evidence": update.evidence,
        "barriers": update.barriers,
        "next_steps": update.next_steps,
        "proposed_quadrant": update.proposed_quadrant,
        "requested_target_date": _iso(update.requested_target_date),
        "requested_target_reason": update.requested_target_reason,
        "sustainability_plan": update.sustainability_plan,
        "submitted_by": ref(update.submitted_by),
        "submitted_at": _iso(update.submitted_at),
        "agreed_quadrant": update.agreed_quadrant,
        "agreed_reason": update.agreed_reason,
        "date_decision": update.date_decision,
        "agreed_by": ref(update.agreed_by),
        "agreed_at": _iso(update.agreed_at),
        "version": update.version,
        "evidence_files": [
            {
                "id": evidence.pk,
                "original_name": evidence.original_name,
                "content_type": evidence.content_type,
                "size": evidence.size,
                "sha256": evidence.sha256,
                "uploaded_by": ref(evidence.uploaded_by),
                "uploaded_at": _iso(evidence.uploaded_at),
            }
            for evidence in update.files.all()
        ],
    }


# Import -----------------------------------------------------------------------------------------


class PlanDocumentInvalid(Exception):
    """The document cannot be imported; the message says what is wrong and where."""


@dataclass(frozen=True)
class DocumentImportResult:
    plan: ActionPlan
    agencies_created: int
    people_created: int
    #: Evidence files the document lists; their contents are not in it, so they are not re-created.
    evidence_files_skipped: int


class _Reader:
    """Typed reads from the document that fail with a message saying where."""

    def __init__(self) -> None:
        self.where = "the document"

    def fail(self, message: str) -> PlanDocumentInvalid:
        return PlanDocumentInvalid(f"In {self.where}: {message}")

    def get(self, row: dict, key: str, default: Any = ...) -> Any:
        if not isinstance(row, dict):
            raise self.fail("expected an object")
        if key not in row:
            if default is ...:
                raise self.fail(f'"{key}" is missing')
            return default
        return row[key]

    def text(self, row: dict, key: str, default: str | object = ...) -> str:
        value = self.get(row, key, default)
        if not isinstance(value, str):
            raise self.fail(f'"{key}" must be text')
        return value

    def date(self, row: dict, key: str, *, required: bool = False) -> datetime.date | None:
        value = self.get(row, key, ... if required else None)
        if value is None:
            return None
        try:
            date = datetime.date.fromisoformat(value)
        except (TypeError, ValueError) as bad:
            raise self.fail(f'"{key}" must be a date like 2021-03-31') from bad
        if not EARLIEST <= date <= LATEST:  # the range every date in the tracker keeps to (jtai_tracker.forms)
            raise self.fail(range_message(f'"{key}"'))
        return date

    def moment(self, row: dict, key: str) -> datetime.datetime | None:
        value = self.get(row, key, None)
        if value is None:
            return None
        try:
            return datetime.datetime.fromisoformat(value)
        except (TypeError, ValueError) as bad:
            raise self.fail(f'"{key}" must be a date and time') from bad

    def decimal(self, row: dict, key: str, *, required: bool = False) -> Decimal | None:
        value = self.get(row, key, ... if required else None)
        if value is None:
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation as bad:
            raise self.fail(f'"{key}" must be a number') from bad

    def choice(self, row: dict, key: str, choices: list[str], default: str | object = ...) -> str:
        value = self.get(row, key, default)
        if value not in choices:
            raise self.fail(f'"{key}" must be one of {", ".join(c for c in choices if c) or "(empty)"}')
        return value

    def items(self, row: dict, key: str) -> list:
        value = self.get(row, key, [])
        if not isinstance(value, list):
            raise self.fail(f'"{key}" must be a list')
        return value


@transaction.atomic
def plan_import_document(*, document: Any, partnership: Partnership, by: Person | None = None) -> DocumentImportResult:
    """Bring an exported plan into a partnership that has no inspections yet.

    Guarantees: all or nothing; agencies are matched by name and people by email within the
    partnership, anything missing is created (people with no usable password, so they must be
    invited before they can sign in); the partnership's quadrant wording becomes the document's;
    a document that is not a plan export, or is damaged, raises :class:`PlanDocumentInvalid`.
    """
    read = _Reader()
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise PlanDocumentInvalid("This is not a plan exported from the JTAI action plan tracker.")
    if document.get("version") != VERSION:
        raise PlanDocumentInvalid(f"This export is version {document.get('version')}; this tracker reads {VERSION}.")
    if Inspection.objects.for_partnership(partnership).exists():
        raise PlanDocumentInvalid(
            f"{partnership.name} already has inspections: import a plan into an empty partnership."
        )
    try:
        with transaction.atomic():
            return _import(read, document, partnership, by)
    except DatabaseError as clash:
        raise read.fail(f"the database refused it ({clash})") from clash
    except ValidationError as refused:
        raise read.fail(" ".join(refused.messages)) from refused
    except (TypeError, ValueError, AttributeError) as broken:
        raise read.fail("the document is damaged") from broken


def _import(read: _Reader, document: dict, partnership: Partnership, by: Person | None) -> DocumentImportResult:
    history_user = by.user if by is not None else None

    def save(obj: Any) -> Any:
        obj._history_user = history_user
        obj.save()
        return obj

    def written(rows: list[Any]) -> None:
        bulk_insert(rows)
        history_bulk_create(rows, by)

    read.where = "the quadrant wording"
    scale = scale_for(partnership.pk)
    for row in read.items(document, "quadrant_wording"):
        quadrant = read.choice(row, "quadrant", Quadrant.values)
        label, description = read.text(row, "label"), read.text(row, "description")
        if (scale[quadrant].label, scale[quadrant].description) != (label, description):
            wording = QuadrantWording.objects.filter(partnership=partnership, quadrant=quadrant).first()
            wording = wording or QuadrantWording(partnership=partnership, quadrant=quadrant)
            wording.label, wording.description = label[:60], description[:300]
            save(wording)

    agencies: dict[str, Agency] = {
        agency.name.lower(): agency for agency in Agency.objects.for_partnership(partnership)
    }
    agencies_created = 0
    for row in read.items(document, "agencies"):
        name = read.text(row, "name")
        read.where = f"agency {name}"
        if name.lower() not in agencies:
            agencies[name.lower()] = agency_create(
                partnership=partnership,
                by=by,
                fields={
                    "name": name,
                    "short_name": read.text(row, "short_name", ""),
                    "kind": read.choice(row, "kind", Agency.Kind.values, Agency.Kind.OTHER),
                },
                active=bool(read.get(row, "active", True)),
            )
            agencies_created += 1

    def agency(name: Any) -> Agency:
        if not isinstance(name, str) or name.lower() not in agencies:
            raise read.fail(f"agency {name!r} is not in the document's agencies")
        return agencies[name.lower()]

    people: dict[str, Person] = {}
    by_email = {
        person.user.email.lower(): person
        for person in Person.objects.for_partnership(partnership).select_related("user")
        if person.user.email
    }
    people_created = 0
    for row in read.items(document, "people"):
        key = read.text(row, "ref")
        read.where = f"person {read.text(row, 'name', key)}"
        email = read.text(row, "email", "")
        existing = by_email.get(email.lower()) if email else None
        if existing is not None:
            people[key] = existing
            continue
        first_name, last_name = read.text(row, "first_name", ""), read.text(row, "last_name", "")
        if not (first_name or last_name):
            first_name, last_name = split_name(read.text(row, "name"))
        people[key] = person_create(
            partnership=partnership,
            first_name=first_name,
            last_name=last_name,
            email=email,
            agency=agency(read.get(row, "agency")),
            role=read.choice(row, "role", Person.Role.values),
            job_title=read.text(row, "job_title", ""),
            active=bool(read.get(row, "active", True)),
            by=by,
        )
        people_created += 1

    def person(key: Any, *, required: bool = False) -> Person | None:
        if key is None and not required:
            return None
        if key not in people:
            raise read.fail(f"person {key!r} is not in the document's people")
        return people[key]

    source = read.get(document, "inspection")
    read.where = "the inspection"
    milestones = read.get(source, "milestones", {})  # absent from a document exported before issue 16
    if not isinstance(milestones, dict):
        raise read.fail('"milestones" must be an object of event codes and dates')
    milestones = {code: read.date(milestones, code, required=True).isoformat() for code in milestones}
    inspection = save(
        Inspection(
            partnership=partnership,
            kind=read.choice(source, "kind", Inspection.Kind.values),
            theme=read.text(source, "theme"),
            inspectorates=[
                code for code in read.items(source, "inspectorates") if code in Inspection.Inspectorate.values
            ],
            fieldwork_start=read.date(source, "fieldwork_start", required=True),
            fieldwork_end=read.date(source, "fieldwork_end", required=True),
            letter_published=read.date(source, "letter_published"),
            plan_due=read.date(source, "plan_due"),
            plan_submitted=read.date(source, "plan_submitted"),
            plan_endorsed=read.date(source, "plan_endorsed"),
            milestones=milestones,
            status=read.choice(source, "status", Inspection.Status.values),
        )
    )
    # Each table in one pass and in bulk (jtai_tracker.database.bulk_insert), each row with the one "created"
    # history record a save would leave (history_bulk_create): queries stay the same from 10 actions to 5,000.
    findings: dict[tuple[str, int], Finding] = {}
    sign_off_rows: list[tuple[Finding, dict]] = []
    for row in read.items(source, "findings"):
        kind, number = read.choice(row, "kind", Finding.Kind.values), read.get(row, "number")
        read.where = f"finding {kind} {number}"
        if not isinstance(number, int):
            raise read.fail('"number" must be a whole number')
        findings[(kind, number)] = finding = Finding(
            inspection=inspection,
            kind=kind,
            number=number,
            text=read.text(row, "text"),
            case_study=read.text(row, "case_study", ""),
        )
        sign_off_rows += [(finding, sign_off_row) for sign_off_row in read.items(row, "sign_offs")]
    read.where = "the inspection's findings"
    written(list(findings.values()))
    for finding, sign_off_row in sign_off_rows:
        read.where = f"finding {finding.kind} {finding.number}"
        # Checked as a sign-off made today would be (dates, no overlap with the ones saved before it), but dated
        # and attributed as exported. A few a finding at most, so saved one by one.
        sign_off = FindingSignOff(
            finding=finding,
            signed_off_on=read.date(sign_off_row, "signed_off_on", required=True),
            agreed_by_body=read.text(sign_off_row, "agreed_by_body"),
            evidence=read.text(sign_off_row, "evidence"),
            note=read.text(sign_off_row, "note", ""),
            recorded_by=person(read.get(sign_off_row, "recorded_by", None)),
            recorded_at=read.moment(sign_off_row, "recorded_at") or timezone.now(),
            reopened_on=read.date(sign_off_row, "reopened_on"),
            reopened_reason=read.text(sign_off_row, "reopened_reason", ""),
            reopened_by=person(read.get(sign_off_row, "reopened_by", None)),
            reopened_at=read.moment(sign_off_row, "reopened_at"),
        )
        sign_off.full_clean()
        save(sign_off)

    source = read.get(document, "plan")
    read.where = "the plan"
    plan = save(
        ActionPlan(
            inspection=inspection,
            title=read.text(source, "title"),
            status=read.choice(source, "status", ActionPlan.Status.values),
            signed_off_on=read.date(source, "signed_off_on"),
        )
    )

    actions: dict[str, Action] = {}
    action_rows: list[tuple[Action, dict]] = []
    for row in read.items(document, "actions"):
        reference = read.text(row, "reference")
        read.where = f"action {reference}"
        action = Action(
            plan=plan,
            reference=reference,
            position=read.get(row, "position", len(action_rows)),
            description=read.text(row, "description"),
            lead=person(read.get(row, "lead"), required=True),
            lead_agency=agency(read.get(row, "lead_agency")),
            target_date=read.date(row, "target_date", required=True),
            revised_target_date=read.date(row, "revised_target_date"),
            revised_target_reason=read.text(row, "revised_target_reason", ""),
            revised_target_agreed_by=person(read.get(row, "revised_target_agreed_by", None)),
            measure_of_success=read.text(row, "measure_of_success", ""),
            sustainability_plan=read.text(row, "sustainability_plan", ""),
            completed_on=read.date(row, "completed_on"),
            withdrawn_on=read.date(row, "withdrawn_on"),
            withdrawn_reason=read.text(row, "withdrawn_reason", ""),
            reopened_reason=read.text(row, "reopened_reason", ""),
            not_implemented_on=read.date(row, "not_implemented_on"),
            not_implemented_reason=read.text(row, "not_implemented_reason", ""),
            not_implemented_agreed_by=person(read.get(row, "not_implemented_agreed_by", None)),
            retest_due=read.date(row, "retest_due"),
        )
        areas = []
        for area in read.items(row, "areas"):
            key = (read.get(area, "kind"), read.get(area, "number"))
            if key not in findings:
                raise read.fail(f"area {key[0]} {key[1]} is not one of the inspection's findings")
            areas.append(findings[key])
        action.imported_areas = areas
        action.imported_supporting = [agency(name) for name in read.items(row, "supporting_agencies")]
        if reference in actions:
            raise read.fail(f"the reference {reference} is given to two actions")
        actions[reference] = action
        action_rows.append((action, row))
    read.where = "the actions"
    bulk_insert([action for action, _row in action_rows])
    for action, _row in action_rows:
        action.imported_area_ids = [finding.pk for finding in action.imported_areas]

    # Superseded by or merged into another action: one of this plan's, or of a plan the partnership already has.
    targets: list[tuple[Action, dict, dict]] = []
    for action, row in action_rows:
        target = read.get(row, "replaced_by", None)
        if not target:
            continue
        read.where = f"action {action.reference}"
        if not isinstance(target, dict):
            raise read.fail("replaced_by must name a plan and a reference")
        targets.append((action, row, target))
    elsewhere = {
        (other.plan.title, other.reference): other
        for other in Action.objects.for_partnership(partnership)
        .filter(
            plan__title__in={str(target.get("plan")) for _action, _row, target in targets},
            reference__in={str(target.get("reference")) for _action, _row, target in targets},
        )
        .exclude(plan=plan)
        .select_related("plan")
        .order_by("-id")  # the first of any two alike, as a query for each would find it
    }
    replaced = []
    for action, row, target in targets:
        read.where = f"action {action.reference}"
        if read.get(target, "plan") == plan.title and read.get(target, "reference") in actions:
            other = actions[target["reference"]]
        else:
            other = elsewhere.get((target.get("plan"), target.get("reference")))
        if other is None:
            raise read.fail(
                f"it is replaced by {target.get('reference')} in {target.get('plan')}, which is not in this "
                "partnership: import that plan first"
            )
        action.replaced_by = other
        action.replaced_how = read.choice(row, "replaced_how", ["superseded", "merged"])
        action.replaced_on = read.date(row, "replaced_on", required=True)
        action.replaced_reason = read.text(row, "replaced_reason")
        replaced.append(action)
    read.where = "the actions"
    if replaced:
        Action.objects.bulk_update(
            replaced, ["replaced_by", "replaced_how", "replaced_on", "replaced_reason"], batch_size=ROWS_PER_INSERT
        )
    links_insert(
        Action, "areas", [(action.pk, finding.pk) for action, _row in action_rows for finding in action.imported_areas]
    )
    links_insert(
        Action,
        "supporting_agencies",
        [(action.pk, supporting.pk) for action, _row in action_rows for supporting in action.imported_supporting],
    )
    written_actions = [action for action, _row in action_rows]
    history_bulk_create(written_actions, by, m2m=("areas", "supporting_agencies"))

    retests = []
    for action, row in action_rows:
        read.where = f"action {action.reference}"
        retests += [
            Retest(
                action=action,
                tested_on=read.date(retest, "tested_on", required=True),
                result=read.choice(retest, "result", Retest.Result.values),
                evidence=read.text(retest, "evidence"),
                recorded_by=person(read.get(retest, "recorded_by"), required=True),
                recorded_at=read.moment(retest, "recorded_at") or timezone.now(),
            )
            for retest in read.items(row, "retests")
        ]
    read.where = "the actions' re-tests"
    written(retests)

    evidence_files = 0
    rounds: list[MonitoringRound] = []
    snapshots: list[tuple[MonitoringRound, Any]] = []
    updates: list[Update] = []
    quadrants = ["", *Quadrant.values]
    for row in read.items(document, "rounds"):
        label = read.text(row, "label")
        read.where = f"round {label}"
        snapshot = read.get(row, "endorsed_snapshot", None)
        monitoring_round = MonitoringRound(
            plan=plan,
            label=label,
            period_end=read.date(row, "period_end", required=True),
            update_deadline=read.date(row, "update_deadline", required=True),
            state=read.choice(row, "state", MonitoringRound.State.values),
            cadence=read.choice(row, "cadence", MonitoringRound.Cadence.values, MonitoringRound.Cadence.QUARTERLY),
            subgroup_meeting_on=read.date(row, "subgroup_meeting_on"),
            endorsed_on=read.date(row, "endorsed_on"),
            endorsement_meeting=read.text(row, "endorsement_meeting", ""),
        )
        rounds.append(monitoring_round)
        if snapshot is not None:
            snapshots.append((monitoring_round, _remap_snapshot(snapshot, actions, findings)))
        for update_row in read.items(row, "updates"):
            reference = read.get(update_row, "action")
            read.where = f"round {label}, update on action {reference}"
            if reference not in actions:
                raise read.fail(f"action {reference!r} is not in the document's actions")
            updates.append(
                Update(
                    action=actions[reference],
                    round=monitoring_round,
                    status=read.choice(update_row, "status", Update.Status.values),
                    narrative=read.text(update_row, "narrative", ""),
                    evidence=read.text(update_row, "evidence", ""),
                    barriers=read.text(update_row, "barriers", ""),
                    next_steps=read.text(update_row, "next_steps", ""),
                    proposed_quadrant=read.choice(update_row, "proposed_quadrant", quadrants, ""),
                    requested_target_date=read.date(update_row, "requested_target_date"),
                    requested_target_reason=read.text(update_row, "requested_target_reason", ""),
                    sustainability_plan=read.text(update_row, "sustainability_plan", ""),
                    submitted_by=person(read.get(update_row, "submitted_by", None)),
                    submitted_at=read.moment(update_row, "submitted_at"),
                    agreed_quadrant=read.choice(update_row, "agreed_quadrant", quadrants, ""),
                    agreed_reason=read.text(update_row, "agreed_reason", ""),
                    date_decision=read.choice(update_row, "date_decision", ["", "accepted", "refused"], ""),
                    agreed_by=person(read.get(update_row, "agreed_by", None)),
                    agreed_at=read.moment(update_row, "agreed_at"),
                    version=read.get(update_row, "version", 1),
                )
            )
            evidence_files += len(read.items(update_row, "evidence_files"))
    read.where = "the rounds"
    written(rounds)
    frozen_records_save(snapshots)
    read.where = "the rounds' updates"
    written(updates)

    measures: list[ImpactMeasure] = []
    values: list[ImpactValue] = []
    for row in read.items(document, "impact_measures"):
        name = read.text(row, "name")
        read.where = f"impact measure {name}"
        measure = ImpactMeasure(
            plan=plan,
            name=name,
            description=read.text(row, "description", ""),
            unit=read.choice(row, "unit", ImpactMeasure.Unit.values),
            baseline=read.decimal(row, "baseline"),
            target=read.decimal(row, "target"),
            higher_is_better=bool(read.get(row, "higher_is_better", True)),
            position=read.get(row, "position", 0),
        )
        measures.append(measure)
        values += [
            ImpactValue(
                measure=measure,
                period_label=read.text(value_row, "period_label"),
                period_end=read.date(value_row, "period_end", required=True),
                value=read.decimal(value_row, "value", required=True),
                note=read.text(value_row, "note", ""),
            )
            for value_row in read.items(row, "values")
        ]
    read.where = "the impact measures"
    written(measures)
    written(values)
    return DocumentImportResult(
        plan=plan,
        agencies_created=agencies_created,
        people_created=people_created,
        evidence_files_skipped=evidence_files,
    )


def _figures_document(figures: RoundFigures) -> dict[str, Any]:
    return {
        "as_at": _iso(figures.as_at),
        "total": figures.total,
        "complete": figures.complete,
        "complete_percent": figures.complete_percent,
        "denominator": figures.denominator,
        "counts": {key: figures.counts.get(key, 0) for key in Quadrant.values},
        "not_counted": figures.closed_words,
    }


def _remap_snapshot(snapshot: Any, actions: dict[str, Action], findings: dict[tuple[str, int], Finding]) -> Any:
    """An endorsed round's frozen snapshot, with its ids pointing at the new rows.

    The texts, names and dates stay exactly as the round recorded them; only the ids the pages link and
    filter by follow the new action (its lead, agency and areas are the nearest the import can name) and
    the new finding of the same kind and number.
    """
    if not isinstance(snapshot, dict):
        return snapshot
    remapped = dict(snapshot)
    new_area_ids: dict[Any, int] = {}  # the round's finding ids -> the new findings of the same kind and number
    if isinstance(snapshot.get("areas"), list):
        for row in snapshot["areas"]:
            if isinstance(row, dict) and (row.get("kind"), row.get("number")) in findings:
                new_area_ids[row.get("id")] = findings[(row["kind"], row["number"])].pk
        remapped["areas"] = [
            {**row, "id": new_area_ids[row.get("id")]}
            if isinstance(row, dict) and row.get("id") in new_area_ids
            else row
            for row in snapshot["areas"]
        ]
    if isinstance(snapshot.get("actions"), list):
        remapped["actions"] = [
            {**row, "action_id": actions[row["reference"]].pk}
            if isinstance(row, dict) and row.get("reference") in actions
            else row
            for row in snapshot["actions"]
        ]
    if isinstance(snapshot.get("retests"), list):
        remapped["retests"] = [
            {**row, "action_id": actions[row["reference"]].pk}
            if isinstance(row, dict) and row.get("reference") in actions
            else row
            for row in snapshot["retests"]
        ]
    for key in ("entries", "closed"):
        if isinstance(snapshot.get(key), list):
            remapped[key] = _remapped_entries(snapshot[key], actions, new_area_ids)
    return remapped


def _remapped_entries(rows: list, actions: dict[str, Action], new_area_ids: dict[Any, int]) -> list:
    return [
        {
            **row,
            "action_id": actions[row["reference"]].pk,
            "lead_id": actions[row["reference"]].lead_id,
            "lead_agency_id": actions[row["reference"]].lead_agency_id,
            "area_ids": [new_area_ids[pk] for pk in row.get("area_ids", []) if pk in new_area_ids]
            if new_area_ids
            else getattr(actions[row["reference"]], "imported_area_ids", []),
        }
        if isinstance(row, dict) and row.get("reference") in actions
        else row
        for row in rows
    ]
