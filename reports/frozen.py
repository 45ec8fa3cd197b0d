"""What an endorsed round said, frozen: written once at endorsement, read by every view of that round.

When the board endorses a round, :func:`snapshot_document` writes everything
its board, committee report and exports show (each action's reference, text,
lead, agencies, areas, dates, agreed quadrant, movement, flags as at the
round, completion date, the update's texts and evidence file names, and
the plan's areas in their own words with where each stood on being signed
off) into the round's :class:`reports.models.FrozenRecord` (:func:`frozen_record_save`, the one writer;
:func:`frozen_record_load`, the one reader of the whole record). From then on :func:`frozen_entries`
rebuilds the board from it, so rewording, reassigning or withdrawing an
action later never changes what the round said. Since issue 16 it also keeps
each entry's "Re-test due" flag, the actions not implemented, superseded or
merged as at the round (``closed``, in the words the round printed) and the
re-tests dated by then (``retests``); a record taken before them reads as
having none.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.db import transaction

from actions.quadrants import QuadrantInfo
from inspections.models import kind_words

#: Version 2 holds the whole board; version 1 (before December 2026) held only quadrants and texts.
SNAPSHOT_VERSION = 2


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class FrozenUpdate:
    """The lead's update and the sub-group's verdict as the round recorded them."""

    status_display: str
    narrative: str
    evidence: str
    barriers: str
    next_steps: str
    agreed_reason: str
    files: tuple[str, ...] = ()

    def get_status_display(self) -> str:
        return self.status_display


@dataclass(frozen=True)
class FrozenAction:
    """An action as the endorsed round recorded it; answers what the board, report and exports ask of one."""

    pk: int
    reference: str
    description: str
    lead_id: int
    lead: Any
    lead_agency_id: int
    lead_agency: Any
    target_date: datetime.date
    revised_target_date: datetime.date | None
    revised_target_reason: str
    measure_of_success: str
    sustainability_plan: str
    completed_on: datetime.date | None
    area_ids: tuple[int, ...]
    area_references: tuple[str, ...]
    priority: bool
    supporting_agencies: tuple[str, ...]
    update: FrozenUpdate | None = field(default=None, compare=False)

    @property
    def current_target_date(self) -> datetime.date:
        return self.revised_target_date or self.target_date

    @property
    def is_complete(self) -> bool:
        return self.completed_on is not None


@dataclass(frozen=True)
class FrozenArea:
    """A priority area for action or area for improvement, in the words the endorsed round printed."""

    pk: int
    kind: str
    kind_display: str
    number: int
    name: str
    text: str
    kind_plural: str = ""

    def __str__(self) -> str:
        return self.name

    def get_kind_display(self) -> str:
        return self.kind_display

    @property
    def kind_label(self) -> str:
        return self.kind_display


@dataclass(frozen=True)
class FrozenSignOffState:
    """Where an area stood on being signed off, as the endorsed round recorded it."""

    signed_off: bool
    summary: str
    sentence: str


def snapshot_document(
    board: Any,
    *,
    updates: Mapping[int, Any],
    links: Mapping[int, list[Any]],
    supporting: Mapping[int, list[str]],
    sign_offs: Any,
) -> dict[str, Any]:
    """The endorsed round's board as JSON-ready data: every fact its pages and outputs show.

    ``updates`` maps action id to the round's Update (with its files prefetched), ``links`` action id to the
    findings it answers, ``supporting`` to its supporting agencies' names, ``sign_offs`` the plan's areas
    and where each stood on being signed off (reports.sign_offs.AreaSignOffs). A completion date is kept
    only if the action was complete as at the round.
    """

    def row(entry: Any) -> dict[str, Any]:
        action = entry.action
        update = updates.get(action.pk)
        complete_then = entry.quadrant is not None and entry.quadrant.key == "complete" and not entry.proposed
        findings = links.get(action.pk, [])
        return {
            "action_id": action.pk,
            "reference": action.reference,
            "description": action.description,
            "lead_id": action.lead_id,
            "lead": action.lead.name,
            "lead_agency_id": action.lead_agency_id,
            "lead_agency": action.lead_agency.name,
            "lead_agency_short": action.lead_agency.display_name,
            "supporting_agencies": sorted(supporting.get(action.pk, [])),
            "area_ids": [finding.pk for finding in findings],
            "area_references": [finding.reference for finding in findings],
            "priority": any(finding.kind == "priority" for finding in findings),
            "target_date": _iso(action.target_date),
            "revised_target_date": _iso(action.revised_target_date),
            "revised_target_reason": action.revised_target_reason,
            "measure_of_success": action.measure_of_success,
            "sustainability_plan": action.sustainability_plan if complete_then else "",
            "completed_on": _iso(action.completed_on) if complete_then and action.completed_on else None,
            "quadrant": entry.quadrant.key if entry.quadrant else "",
            "proposed": entry.proposed,
            "carried_forward": entry.carried_forward,
            "draft_started": entry.draft_started,
            "previous": entry.previous.key if entry.previous else "",
            "movement": entry.movement,
            "first_round": entry.first_round,
            "overdue": entry.overdue,
            "due_soon_not_green": entry.due_soon_not_green,
            "update": None
            if update is None
            else {
                "status": update.get_status_display(),
                "narrative": update.narrative,
                "evidence": update.evidence,
                "barriers": update.barriers,
                "next_steps": update.next_steps,
                "agreed_reason": update.agreed_reason,
                "files": [evidence.original_name for evidence in update.files.all()],
            },
            # Since issue 16: read with .get, so a snapshot taken before them still reads.
            "retest_due": entry.retest_due,
            "outcome": entry.outcome,
            "outcome_sentence": entry.outcome_sentence,
        }

    return {
        "version": SNAPSHOT_VERSION,
        "round": board.monitoring_round.label,
        "as_at": _iso(board.as_at),
        "total": board.total,
        "complete": board.complete_total,
        "entries": [row(entry) for entry in board.entries],
        # Actions not implemented, superseded or merged as at the round, in the words it recorded (since issue 16).
        "closed": [row(entry) for entry in board.closed],
        "areas": [
            {
                "id": row.area.pk,
                "kind": row.area.kind,
                "kind_display": row.area.kind_label,
                "kind_plural": row.area.kind_plural,
                "number": row.area.number,
                "name": str(row.area),
                "text": row.area.text,
                "action_count": row.action_count,
                "signed_off": row.state.signed_off,
                "summary": row.state.summary,
                "sentence": row.state.sentence,
            }
            for row in sign_offs.areas
        ],
    }


def frozen_areas(snapshot: dict[str, Any]) -> list[Any] | None:
    """The plan's areas and their sign-offs as the round recorded them; None for a snapshot taken before
    December 2026, which did not hold them (its areas are read as at its endorsement instead)."""
    from reports.sign_offs import AreaSignOff

    if "areas" not in snapshot:
        return None
    return [
        AreaSignOff(
            area=FrozenArea(
                pk=row["id"],
                kind=row["kind"],
                kind_display=row["kind_display"],
                kind_plural=row.get("kind_plural") or kind_words("", row["kind"])[1],
                number=row["number"],
                name=row["name"],
                text=row["text"],
            ),
            action_count=row["action_count"],
            state=FrozenSignOffState(signed_off=row["signed_off"], summary=row["summary"], sentence=row["sentence"]),
        )
        for row in snapshot["areas"]
    ]


def is_frozen(snapshot: Any) -> bool:
    return isinstance(snapshot, dict) and snapshot.get("version") == SNAPSHOT_VERSION


def snapshot_figures(snapshot: Any) -> dict[str, Any]:
    """The round's figures as the record holds them (what ``reports.selectors.RoundFigures`` is built from):
    counts per quadrant, total, complete, as at, and the actions closed without completion by outcome. Empty for a
    record taken before the frozen board, which does not hold them."""
    if not is_frozen(snapshot):
        return {}
    counts: dict[str, int] = {}
    for row in snapshot["entries"]:
        if row["quadrant"]:
            counts[row["quadrant"]] = counts.get(row["quadrant"], 0) + 1
    closed: dict[str, int] = {}
    for row in snapshot.get("closed", []):
        closed[row["outcome"]] = closed.get(row["outcome"], 0) + 1
    return {
        "counts": counts,
        "total": snapshot["total"],
        "complete": snapshot["complete"],
        "as_at": snapshot.get("as_at"),
        "closed": closed,
    }


@transaction.atomic
def frozen_record_save(*, monitoring_round: Any, snapshot: dict[str, Any]) -> Any:
    """Record what the endorsed round said: the one way a frozen record is written (``round_endorse``, the plan's
    JSON import, the demo). Replaces the round's earlier record, if any, and keeps its figures beside it."""
    from reports.models import FrozenRecord

    record, _ = FrozenRecord.objects.update_or_create(
        round_id=monitoring_round.pk, defaults={"snapshot": snapshot, "figures": snapshot_figures(snapshot)}
    )
    return record


@transaction.atomic
def frozen_records_save(records: Any) -> None:
    """Record what several new endorsed rounds said, ``(round, snapshot)`` pairs, in one query: the plan's JSON
    import, whose rounds are new and so have no record yet."""
    from reports.models import FrozenRecord

    FrozenRecord.objects.bulk_create(
        FrozenRecord(round_id=monitoring_round.pk, snapshot=snapshot, figures=snapshot_figures(snapshot))
        for monitoring_round, snapshot in records
    )


def frozen_record_load(monitoring_round: Any) -> dict[str, Any] | None:
    """The round's whole frozen record, or None when it has none (not endorsed). One query; only the pages and
    outputs of that endorsed round call it."""
    from reports.models import FrozenRecord

    return FrozenRecord.objects.filter(round_id=monitoring_round.pk).values_list("snapshot", flat=True).first()


def frozen_records_load(round_ids: Any) -> dict[int, dict[str, Any]]:
    """The whole frozen records of several rounds, by round id (those with none left out). One query."""
    from reports.models import FrozenRecord

    return dict(FrozenRecord.objects.filter(round_id__in=list(round_ids)).values_list("round_id", "snapshot"))


def frozen_figures_load(round_ids: Any) -> dict[int, dict[str, Any]]:
    """Only the figures of several rounds' frozen records, by round id (:func:`snapshot_figures`). One query; the
    records themselves are not read."""
    from reports.models import FrozenRecord

    return dict(FrozenRecord.objects.filter(round_id__in=list(round_ids)).values_list("round_id", "figures"))


def frozen_entries(snapshot: dict[str, Any], scale: Mapping[str, QuadrantInfo], key: str = "entries") -> list[Any]:
    """The board's entries (or, with ``key="closed"``, its actions closed without completion) rebuilt from the
    snapshot, in the order the round recorded them. A snapshot taken before outcomes and re-tests has neither."""
    from reports.selectors import BoardEntry

    entries = []
    for row in snapshot.get(key, []):
        update = row["update"]
        action = FrozenAction(
            pk=row["action_id"],
            reference=row["reference"],
            description=row["description"],
            lead_id=row["lead_id"],
            lead=SimpleNamespace(name=row["lead"], pk=row["lead_id"]),
            lead_agency_id=row["lead_agency_id"],
            lead_agency=SimpleNamespace(
                name=row["lead_agency"], display_name=row["lead_agency_short"], pk=row["lead_agency_id"]
            ),
            target_date=_date(row["target_date"]),
            revised_target_date=_date(row["revised_target_date"]),
            revised_target_reason=row["revised_target_reason"],
            measure_of_success=row["measure_of_success"],
            sustainability_plan=row["sustainability_plan"],
            completed_on=_date(row["completed_on"]),
            area_ids=tuple(row["area_ids"]),
            area_references=tuple(row["area_references"]),
            priority=row["priority"],
            supporting_agencies=tuple(row["supporting_agencies"]),
            update=None
            if update is None
            else FrozenUpdate(
                status_display=update["status"],
                narrative=update["narrative"],
                evidence=update["evidence"],
                barriers=update["barriers"],
                next_steps=update["next_steps"],
                agreed_reason=update["agreed_reason"],
                files=tuple(update["files"]),
            ),
        )
        entries.append(
            BoardEntry(
                action=action,
                quadrant=scale[row["quadrant"]] if row["quadrant"] else None,
                proposed=row["proposed"],
                carried_forward=row["carried_forward"],
                draft_started=row["draft_started"],
                previous=scale[row["previous"]] if row["previous"] else None,
                movement=row["movement"],
                first_round=row["first_round"],
                overdue=row["overdue"],
                due_soon_not_green=row["due_soon_not_green"],
                retest_due=row.get("retest_due", False),
                outcome=row.get("outcome", ""),
                outcome_sentence=row.get("outcome_sentence", ""),
            )
        )
    return entries


def frozen_filter(entries: list[Any], chosen: Mapping[str, Any]) -> set[int]:
    """The board's filters applied to an endorsed round's own record (not to today's rows)."""

    def keep(entry: Any) -> bool:
        action = entry.action
        if chosen.get("lead_agency") and str(action.lead_agency_id) != str(chosen["lead_agency"]):
            return False
        if chosen.get("lead") and str(action.lead_id) != str(chosen["lead"]):
            return False
        if chosen.get("area") and int(chosen["area"]) not in action.area_ids:
            return False
        if chosen.get("overdue") and not entry.overdue:
            return False
        if chosen.get("retest_due") and not entry.retest_due:
            return False
        return not (chosen.get("priority") and not action.priority)

    return {entry.action.pk for entry in entries if keep(entry)}
