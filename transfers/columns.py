"""Taking a plan in and out of the tracker: what the columns are, who may do it, where mappings live.

The work is split by direction:

* ``transfer_files``: reading an uploaded XLSX or CSV safely into rows of values, and writing XLSX;
* ``transfer_import``: the import of a spreadsheet into an existing plan (preview, then commit);
* ``transfer_export``: the plan as a spreadsheet in the import's own column layout, and the template;
* ``transfer_json``: the whole plan as one JSON document, and its import into an empty partnership.

This module holds what they share: the columns a spreadsheet plan has, the one entry point per
direction that fetches a plan for a user (tenancy and permission together), and the store that
remembers how a partnership's files map onto those columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from actions.models import ActionPlan

#: Limits on an uploaded plan. A real plan has tens of actions; these stop a hostile file, not a big plan.
#: The most rows of actions is ``settings.IMPORT_MAX_ROWS``.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
TEXT_LIMIT = 5000


@dataclass(frozen=True)
class Column:
    """One field of an action as a spreadsheet column."""

    key: str
    label: str
    hint: str
    required: bool = False
    #: Other header names that mean this column, compared after :func:`normalise_header`.
    aliases: tuple[str, ...] = ()

    def matches(self, header: str) -> bool:
        wanted = {normalise_header(self.label), normalise_header(self.key), *map(normalise_header, self.aliases)}
        return normalise_header(header) in wanted


#: The columns of a spreadsheet plan, in the order the template and the export write them.
ACTION_COLUMNS: tuple[Column, ...] = (
    Column(
        "reference",
        "Reference",
        'The action\'s number in the plan, for example "1.1". Each action needs its own.',
        required=True,
        aliases=("ref", "action ref", "action reference", "action number", "action no", "no", "number", "ref no"),
    ),
    Column(
        "description",
        "Action",
        "What will be done.",
        required=True,
        aliases=("description", "actions", "action description", "what we will do", "action to be taken"),
    ),
    Column(
        "areas",
        "Areas for improvement",
        'The areas for improvement it answers: their numbers separated by commas, for example "1, 2" '
        '(a priority area for action is "P1"), or the finding\'s words as the letter has them.',
        aliases=(
            "area for improvement",
            "area s for improvement",
            "areas",
            "area",
            "afi",
            "aoi",
            "finding",
            "findings",
            "areas for development",
            "area for development",
        ),
    ),
    Column(
        "lead",
        "Lead",
        "The lead's email address, full name, or job title in the lead agency.",
        required=True,
        aliases=("lead officer", "lead person", "lead name", "responsible officer", "owner", "action lead"),
    ),
    Column(
        "lead_agency",
        "Lead agency",
        "The agency's name or short name.",
        required=True,
        aliases=("lead organisation", "lead partner", "agency", "lead service"),
    ),
    Column(
        "supporting_agencies",
        "Supporting agencies",
        "Other agencies involved, separated by semicolons.",
        aliases=("supporting agency", "supporting partners", "supporting", "partners", "other agencies"),
    ),
    Column(
        "target_date",
        "Target date",
        "For example 31/03/2021, 2021-03-31 or 31 March 2021.",
        required=True,
        aliases=("target", "deadline", "by when", "timescale", "timescales", "due date", "date"),
    ),
    Column(
        "measure_of_success",
        "Measure of success",
        "How the partnership will know it is done.",
        aliases=("measures of success", "success measure", "success measures", "how we will know", "outcome"),
    ),
    Column(
        "sustainability_plan",
        "Sustainability plan",
        "How the change will last once the action closes.",
        aliases=("sustainability",),
    ),
)
#: Where each action stands now, as a partnership's own sheet often says: the import records them as an
#: opening round (``actions.services.round_import_position``). The export leaves them out: rounds are its own.
POSITION_COLUMNS: tuple[Column, ...] = (
    Column(
        "status",
        "Quadrant",
        'Where the action stands: Green, Yellow, Amber, Red or Complete (Blue); also "On track", "Not started".',
        aliases=("rag", "rag status", "rag rating", "brag", "status", "current status", "quadrant", "rating"),
    ),
    Column(
        "complete",
        "Complete",
        'Yes when the action is complete; otherwise "No" or empty.',
        aliases=("completed", "complete yes no", "done", "is complete"),
    ),
    Column(
        "completed_on",
        "Completion date",
        "When a complete action was completed; without one, the day of the import.",
        aliases=("date completed", "completed on", "date of completion", "completion"),
    ),
    Column(
        "latest_update",
        "Latest update",
        "The latest progress on the action, in words.",
        aliases=("update", "progress", "progress update", "commentary", "comments", "latest position", "narrative"),
    ),
)
COLUMNS = ACTION_COLUMNS + POSITION_COLUMNS
POSITION_KEYS = tuple(column.key for column in POSITION_COLUMNS)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


def normalise_header(text: Any) -> str:
    """A header reduced to lower-case words, so "Lead Agency:" and "lead_agency" compare equal."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text or "").lower()).split())


def guess_mapping(headers: list[str], remembered: dict[str, str] | None = None) -> dict[str, int]:
    """Which column of the file holds each field: by the names remembered last time, then by header name.

    Returns field key -> column index; a field with no plausible column is left out, and no column is
    given to two fields.
    """
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    normalised = [normalise_header(header) for header in headers]
    for key, header in (remembered or {}).items():
        if key in COLUMN_BY_KEY and header in normalised and normalised.index(header) not in taken:
            mapping[key] = normalised.index(header)
            taken.add(mapping[key])
    for column in COLUMNS:
        if column.key in mapping:
            continue
        for index, header in enumerate(headers):
            if index not in taken and column.matches(header):
                mapping[column.key] = index
                taken.add(index)
                break
    return mapping


# Fetching a plan to import into or export -------------------------------------------------------


def access_plan_for_import(user: Any, pk: int) -> ActionPlan:
    """The plan, if the user may import actions into it: 404 for another partnership, 403 unless manager."""
    plan = get_object_or_404(ActionPlan.objects.visible_to(user).select_related("inspection__partnership"), pk=pk)
    if not user.has_perm("inspections.manage", plan):
        raise PermissionDenied
    return plan


def access_plan_for_export(user: Any, pk: int) -> ActionPlan:
    """The plan, if the user may take a copy out: managers and report officers; 404 for another partnership."""
    plan = get_object_or_404(ActionPlan.objects.visible_to(user).select_related("inspection__partnership"), pk=pk)
    if not (user.has_perm("inspections.manage", plan) or user.has_perm("reports.publish", plan)):
        raise PermissionDenied
    return plan


# Remembering a partnership's column mapping -----------------------------------------------------


class MappingStore(Protocol):
    """Where a partnership's last column mapping is kept: field key -> normalised header name."""

    def get(self, partnership_id: int) -> dict[str, str]: ...

    def put(self, partnership_id: int, mapping: dict[str, str]) -> None: ...


class DatabaseMappingStore:
    """Keeps the mapping per partnership, so every manager on every device starts from the last one used."""

    def __init__(self, person: Any):
        self.person = person

    def get(self, partnership_id: int) -> dict[str, str]:
        from transfers.models import ImportColumnMapping

        row = ImportColumnMapping.objects.filter(partnership_id=partnership_id).first()
        stored = row.mapping if row else {}
        return {key: value for key, value in stored.items() if key in COLUMN_BY_KEY and isinstance(value, str)}

    def put(self, partnership_id: int, mapping: dict[str, str]) -> None:
        from transfers.models import ImportColumnMapping

        ImportColumnMapping.objects.update_or_create(
            partnership_id=partnership_id, defaults={"mapping": dict(mapping), "updated_by": self.person}
        )


def mapping_store(request: Any) -> MappingStore:
    """The store of remembered column mappings for this request."""
    return DatabaseMappingStore(request.user.person)
