"""A plan as a spreadsheet in the import's own column layout, and the blank template.

What comes out can go back in: the export writes areas as the import reads them ("1, 2", "P1"),
leads by name (by email when two people share a name), agencies by name, and dates as real dates.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q

from actions.models import Action, ActionPlan, Outcome, Retest
from inspections.models import Agency, Finding, FindingSignOff
from people.models import Person
from transfers.columns import ACTION_COLUMNS, COLUMNS
from transfers.spreadsheets import SheetToWrite, workbook_bytes

_WIDTHS = {
    "reference": 11,
    "description": 60,
    "areas": 14,
    "lead": 22,
    "lead_agency": 22,
    "supporting_agencies": 30,
    "target_date": 13,
    "measure_of_success": 50,
    "sustainability_plan": 40,
}
HEADER = [column.label for column in ACTION_COLUMNS]
WIDTHS = [_WIDTHS[column.key] for column in ACTION_COLUMNS]

#: The template's example: Northumberland's first action (JTAI of child exploitation, 2019).
EXAMPLE_ROW = {
    "reference": "1.1",
    "description": (
        "Produce a partnership profile regarding criminal exploitation, and update the CSE intelligence profile"
    ),
    "areas": "1",
    "lead": "Steven Armstrong",
    "lead_agency": "Northumbria Police",
    "supporting_agencies": "Northumberland County Council; Northumberland CCG; Youth Offending Service",
    "target_date": datetime.date(2020, 6, 30),
    "measure_of_success": (
        "A criminal exploitation profile and a refreshed CSE profile are signed off by the S&CE sub-group and "
        "used to direct MSET, disruption activity and the strategy."
    ),
    "sustainability_plan": "Both profiles are refreshed every year and reported to the sub-group.",
}


def _guidance_rows() -> list[list[Any]]:
    return [[column.label, "Required" if column.required else "Optional", column.hint] for column in COLUMNS] + [
        ["", "", ""],
        ["", "", "Keep the header row. Put one action on each row. Type values, not formulas."],
        ["", "", "Agencies and leads must already be in the tracker, or be ticked to be created in the preview."],
    ]


def template_xlsx() -> bytes:
    """The workbook a partnership fills in: the columns, one example row and a sheet of guidance."""
    example = [EXAMPLE_ROW[column.key] for column in ACTION_COLUMNS]
    return workbook_bytes(
        [
            SheetToWrite("Actions", HEADER, [example], WIDTHS),
            SheetToWrite(
                "How to fill this in", ["Column", "Required?", "What to put in it"], _guidance_rows(), [24, 12, 90]
            ),
        ]
    )


def plan_rows(plan: ActionPlan) -> list[list[Any]]:
    """The plan's actions as rows of the import's columns, in plan order. Five queries.

    The leads, agencies, areas and supporting agencies are read once each into dictionaries: a prefetch through
    the many-to-many managers built two querysets for every action (a third of a 5,000-action export).
    """
    actions = list(Action.objects.filter(plan=plan).order_by("position", "id"))
    people = {
        person.pk: person
        for person in Person.objects.for_partnership(plan.inspection.partnership_id).select_related("user")
    }
    names = Counter(person.user.get_full_name().strip().lower() for person in people.values())
    agencies = dict(Agency.objects.for_partnership(plan.inspection.partnership_id).values_list("pk", "name"))
    areas_of: dict[int, list[Finding]] = {}
    for link in Action.areas.through.objects.filter(action__plan=plan).select_related("finding"):
        areas_of.setdefault(link.action_id, []).append(link.finding)
    supporting_of: dict[int, list[str]] = {}
    for action_id, name in (
        Action.supporting_agencies.through.objects.filter(action__plan=plan)
        .order_by("agency__name", "agency_id")
        .values_list("action_id", "agency__name")
    ):
        supporting_of.setdefault(action_id, []).append(name)

    def lead_name(person: Person) -> str:
        full = person.user.get_full_name().strip()
        if person.user.email and (not full or names[full.lower()] > 1):
            return person.user.email  # the import reads an email as unambiguously as a unique name
        return full or person.user.get_username()

    rows = []
    for action in actions:
        areas = sorted(areas_of.get(action.pk, []), key=lambda f: (f.kind != Finding.Kind.PRIORITY_ACTION, f.number))
        values = {
            "reference": action.reference,
            "description": action.description,
            "areas": ", ".join(area.reference for area in areas),
            "lead": lead_name(people[action.lead_id]),
            "lead_agency": agencies[action.lead_agency_id],
            "supporting_agencies": "; ".join(supporting_of.get(action.pk, [])),
            "target_date": action.target_date,
            "measure_of_success": action.measure_of_success,
            "sustainability_plan": action.sustainability_plan,
        }
        rows.append([values[column.key] for column in ACTION_COLUMNS])
    return rows


#: The second sheet, when any area has been signed off: every sign-off and reopening, for the record.
#: The import reads only the "Actions" sheet.
SIGN_OFF_HEADER = ["Area", "Signed off on", "Agreed by", "Evidence", "Note", "Reopened on", "Why it was reopened"]
SIGN_OFF_WIDTHS = [12, 13, 24, 50, 30, 13, 40]


def sign_off_rows(plan: ActionPlan) -> list[list[Any]]:
    """Every sign-off of the plan's areas, area by area, oldest first. One query."""
    sign_offs = (
        FindingSignOff.objects.filter(finding__inspection_id=plan.inspection_id)
        .select_related("finding")
        .order_by("-finding__kind", "finding__number", "signed_off_on", "recorded_at", "id")
    )
    return [
        [
            s.finding.reference,
            s.signed_off_on,
            s.agreed_by_body,
            s.evidence,
            s.note,
            s.reopened_on,
            s.reopened_reason,
        ]
        for s in sign_offs
    ]


#: A third sheet, when any action has ended other than complete or has a re-test: its outcome and re-tests, for the
#: record (``Action.outcome``). The import reads only the "Actions" sheet.
OUTCOME_HEADER = ["Action", "Outcome", "On", "Agreed by", "Replaced by", "Reasons", "Re-test due", "Re-tests"]
OUTCOME_WIDTHS = [11, 18, 13, 24, 24, 50, 13, 50]


def outcome_rows(plan: ActionPlan) -> list[list[Any]]:
    """The plan's actions withdrawn, not implemented, superseded or merged, or with a re-test date or re-tests, in plan
    order. Two queries."""
    # Only those with something to say: most of a big plan's actions are open or complete with no re-test.
    actions = (
        Action.objects.filter(plan=plan)
        .filter(
            ~Q(pk__in=Action.objects.with_outcome(Outcome.OPEN, Outcome.COMPLETE).values("pk"))
            | Q(retest_due__isnull=False)
            | Exists(Retest.objects.filter(action_id=OuterRef("pk")))
        )
        .select_related("not_implemented_agreed_by__user", "replaced_by__plan")
        .prefetch_related(Prefetch("retests", queryset=Retest.objects.order_by("tested_on", "id")))
        .order_by("position", "id")
    )
    rows = []
    for action in actions:
        retests = list(action.retests.all())
        if action.outcome in (Outcome.OPEN, Outcome.COMPLETE) and action.retest_due is None and not retests:
            continue
        replaced_by = action.replaced_by
        rows.append(
            [
                action.reference,
                action.outcome_label,
                action.outcome_on,
                action.not_implemented_agreed_by.name if action.not_implemented_agreed_by else "",
                ""
                if replaced_by is None
                else replaced_by.reference
                + ("" if replaced_by.plan_id == plan.pk else f" in {replaced_by.plan.title}"),
                action.not_implemented_reason or action.replaced_reason or action.withdrawn_reason,
                action.retest_due,
                "; ".join(
                    f"{retest.tested_on:%-d %B %Y}: {retest.get_result_display().lower()} ({retest.evidence})"
                    for retest in retests
                ),
            ]
        )
    return rows


def plan_xlsx(plan: ActionPlan) -> bytes:
    """The plan's actions as a workbook the import accepts back, and the areas' sign-offs and the actions' outcomes
    and re-tests if there are any."""
    sheets = [SheetToWrite("Actions", HEADER, plan_rows(plan), WIDTHS)]
    signed_off = sign_off_rows(plan)
    if signed_off:
        sheets.append(SheetToWrite("Sign-offs", SIGN_OFF_HEADER, signed_off, SIGN_OFF_WIDTHS))
    outcomes = outcome_rows(plan)
    if outcomes:
        sheets.append(SheetToWrite("Outcomes", OUTCOME_HEADER, outcomes, OUTCOME_WIDTHS))
    return workbook_bytes(sheets)
