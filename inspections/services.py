"""Setting a partnership's plans up: agencies, people, inspections, findings, actions, rounds, wording, measures.

Only the partnership manager does this. Views fetch what they change through
:func:`manager_partnership` and :func:`access_for_setup` (403 without the
role, 404 for another partnership) and then call one of the services below.
Each service is keyword-only and runs in one transaction (a multi-row
change such as a paste, a renumber or a leaver's hand-over happens whole or
not at all); it checks the model's own rules with ``full_clean`` before a
save, except where it only moves rows that are already valid (order,
references, a leaver's actions), and records ``by`` as the author of the
history it leaves.
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Literal, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404

from actions.models import Action, ActionPlan, ImpactMeasure, ImpactValue, MonitoringRound, QuadrantWording
from actions.quadrants import Quadrant
from inspections.models import Agency, Finding, Inspection, Partnership
from inspections.tenancy import TenantQuerySet, partnership_id_of
from people.models import Person

T = TypeVar("T", bound=models.Model)


# Access ----------------------------------------------------------------------


def manager_partnership(user: Any) -> Partnership:
    """The partnership the user manages; PermissionDenied for anyone who is not its manager."""
    if partnership_id_of(user) is None:
        raise PermissionDenied
    partnership = user.person.partnership
    if not user.has_perm("inspections.manage", partnership):
        raise PermissionDenied
    return partnership


def access_for_setup(user: Any, queryset: TenantQuerySet, pk: int) -> Any:
    """One row to set up: 404 if it is another partnership's (whatever the user's role), else 403 unless manager."""
    obj = get_object_or_404(queryset.visible_to(user), pk=pk)
    if not user.has_perm("inspections.manage", obj):
        raise PermissionDenied
    return obj


def _save(obj: T, by: Person) -> T:
    obj.full_clean()
    obj._history_user = by.user
    obj.save()
    return obj


def _assign(obj: T, fields: Mapping[str, Any], allowed: tuple[str, ...]) -> T:
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be set here")
        setattr(obj, name, value)
    return obj


# Agencies --------------------------------------------------------------------

AGENCY_FIELDS = ("name", "short_name", "kind")


@transaction.atomic
def agency_create(*, partnership: Partnership, by: Person, fields: Mapping[str, Any]) -> Agency:
    """A new, active agency of the partnership; its name is unique in the partnership."""
    return _save(_assign(Agency(partnership=partnership), fields, AGENCY_FIELDS), by)


@transaction.atomic
def agency_update(*, agency: Agency, by: Person, fields: Mapping[str, Any]) -> Agency:
    return _save(_assign(agency, fields, AGENCY_FIELDS), by)


@transaction.atomic
def agency_set_active(*, agency: Agency, by: Person, active: bool) -> Agency:
    """Deactivate or reactivate: an inactive agency is kept (past actions name it) but offered for nothing new."""
    agency.active = active
    return _save(agency, by)


# People ----------------------------------------------------------------------

#: No 0/O, 1/l/I: the manager reads the password out or writes it down.
_UNAMBIGUOUS_CHARACTERS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"


def temporary_password(user: Any = None) -> str:
    """A random 19-character password in four groups (``Xk7p-Qm2r-Tz9w-Ab3c``) that passes the validators."""
    while True:
        password = "-".join("".join(secrets.choice(_UNAMBIGUOUS_CHARACTERS) for _ in range(4)) for _ in range(4))
        try:
            validate_password(password, user)
        except ValidationError:  # pragma: no cover - vanishingly unlikely
            continue
        return password


@transaction.atomic
def person_create(
    *,
    partnership: Partnership,
    by: Person,
    first_name: str,
    last_name: str,
    email: str,
    username: str,
    agency: Agency,
    role: str,
    job_title: str = "",
) -> tuple[Person, str]:
    """A user account and its place in the partnership, with a temporary password.

    Returns the person and the password, which is stored only as a hash: the
    caller shows it once and never again.
    """
    user = get_user_model()(username=username, first_name=first_name, last_name=last_name, email=email)
    password = temporary_password(user)
    user.set_password(password)
    user.full_clean()
    user.save()
    person = Person(user=user, partnership=partnership, agency=agency, role=role, job_title=job_title)
    return _save(person, by), password


@transaction.atomic
def person_update(*, person: Person, by: Person, agency: Agency, role: str, job_title: str) -> Person:
    if person.pk == by.pk and role != person.role:
        raise ValidationError({"role": "You cannot change your own role. Ask another manager to do it"})
    person.agency, person.role, person.job_title = agency, role, job_title
    return _save(person, by)


@transaction.atomic
def person_deactivate(*, person: Person, by: Person, reassign_to: Person | None) -> int:
    """A leaver: their actions pass to ``reassign_to`` and they can no longer sign in.

    Nothing is deleted, so updates they wrote keep their name. Returns how many
    actions were reassigned. Refuses to deactivate the manager doing it, or to
    leave actions without a lead.
    """
    if person.pk == by.pk:
        raise ValidationError("You cannot deactivate yourself. Ask another manager to do it")
    person = Person.objects.select_for_update().select_related("user").get(pk=person.pk)
    led = list(Action.objects.filter(lead=person).order_by("pk"))
    if led:
        if reassign_to is None:
            raise ValidationError({"reassign_to": "Choose who takes over their actions"})
        if (
            reassign_to.pk == person.pk
            or reassign_to.partnership_id != person.partnership_id
            or not reassign_to.user.is_active
        ):
            raise ValidationError({"reassign_to": "Choose an active person in your partnership"})
    for action in led:
        # Only the lead changes: older rows that break a newer rule must not block a leaver's exit.
        action.lead = reassign_to
        action._history_user = by.user
        action.save(update_fields=["lead"])
    person.user.is_active = False
    person.user.save(update_fields=["is_active"])
    # Touch the person so their history shows who deactivated them, and when.
    person._history_user = by.user
    person.save()
    return len(led)


@transaction.atomic
def person_password_reset(*, person: Person, by: Person) -> str:
    """A new temporary password for someone who has forgotten theirs; returned once, stored only as a hash.

    Changing the password ends the person's existing sessions (Django checks a hash of it on every request).
    """
    if person.pk == by.pk:
        raise ValidationError("Change your own password from the navigation bar")
    password = temporary_password(person.user)
    person.user.set_password(password)
    person.user.save(update_fields=["password"])
    person._history_user = by.user
    person.save()  # the person's history shows who reset it, and when
    return password


@transaction.atomic
def person_reactivate(*, person: Person, by: Person) -> Person:
    """Let a deactivated person sign in again with their old password. Their old actions stay reassigned."""
    person.user.is_active = True
    person.user.save(update_fields=["is_active"])
    person._history_user = by.user
    person.save()
    return person


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
)


def default_plan_title(theme: str) -> str:
    return f"{theme.strip()} action plan"[: ActionPlan._meta.get_field("title").max_length]


@transaction.atomic
def inspection_create(
    *, partnership: Partnership, by: Person, fields: Mapping[str, Any], plan_title: str = ""
) -> Inspection:
    """The inspection and the action plan that answers it (titled "<theme> action plan" unless given)."""
    inspection = _save(_assign(Inspection(partnership=partnership), fields, INSPECTION_FIELDS), by)
    _save(ActionPlan(inspection=inspection, title=plan_title.strip() or default_plan_title(inspection.theme)), by)
    return inspection


@transaction.atomic
def inspection_update(*, inspection: Inspection, by: Person, fields: Mapping[str, Any], plan_title: str) -> Inspection:
    """Change the inspection and its plan's title (creating the plan if it has none yet)."""
    _save(_assign(inspection, fields, INSPECTION_FIELDS), by)
    plan = ActionPlan.objects.filter(inspection=inspection).first() or ActionPlan(inspection=inspection)
    title = plan_title.strip() or plan.title or default_plan_title(inspection.theme)
    if plan.pk is None or plan.title != title:
        plan.title = title
        _save(plan, by)
    return inspection


# Findings --------------------------------------------------------------------


def finding_next_number(inspection: Inspection, kind: str) -> int:
    """The number after the last finding of this kind (1 for the first)."""
    last = Finding.objects.filter(inspection=inspection, kind=kind).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


@transaction.atomic
def finding_create(
    *, inspection: Inspection, by: Person, kind: str, text: str, case_study: str = "", number: int | None = None
) -> Finding:
    """One finding; without a number it is numbered after the last one of its kind."""
    finding = Finding(
        inspection=inspection,
        kind=kind,
        number=number or finding_next_number(inspection, kind),
        text=text.strip(),
        case_study=case_study.strip(),
    )
    return _save(finding, by)


@transaction.atomic
def finding_update(*, finding: Finding, by: Person, kind: str, number: int, text: str, case_study: str) -> Finding:
    finding.kind, finding.number, finding.text, finding.case_study = kind, number, text.strip(), case_study.strip()
    return _save(finding, by)


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
    *, inspection: Inspection, by: Person, kind: str, texts: list[str], expected_first_number: int | None = None
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
        _save(Finding(inspection=inspection, kind=kind, number=first + offset, text=text), by)
        for offset, text in enumerate(texts)
    ]


# Actions ---------------------------------------------------------------------

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
        raise ValidationError({"areas": "Choose areas for improvement of this plan's inspection"})
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
    action = _assign(Action(plan=plan, position=0 if last is None else last + 1), fields, ACTION_FIELDS)
    _save(action, by)
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
) -> Action:
    areas, supporting_agencies = list(areas), list(supporting_agencies)
    _check_action_links(action.plan, areas, supporting_agencies)
    _save(_assign(action, fields, ACTION_FIELDS), by)
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
            candidate._history_user = by.user
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
        prefix = "P" if area and area.kind == Finding.Kind.PRIORITY_ACTION else ""
        references[action.pk] = f"{prefix}{key[1]}.{seen[key]}"
    return references


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
        action._history_user = by.user
        action.save(update_fields=["reference"])
    return len(changed)


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
    return _save(monitoring_round, by)


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
            _save(row, by)
        rows.append(row)
    return rows


# Impact measures -------------------------------------------------------------

MEASURE_FIELDS = ("name", "description", "unit", "baseline", "target", "higher_is_better")


@transaction.atomic
def impact_measure_create(*, plan: ActionPlan, by: Person, fields: Mapping[str, Any]) -> ImpactMeasure:
    last = ImpactMeasure.objects.filter(plan=plan).aggregate(last=Max("position"))["last"]
    measure = ImpactMeasure(plan=plan, position=0 if last is None else last + 1)
    return _save(_assign(measure, fields, MEASURE_FIELDS), by)


@transaction.atomic
def impact_measure_update(*, measure: ImpactMeasure, by: Person, fields: Mapping[str, Any]) -> ImpactMeasure:
    _assign(measure, fields, MEASURE_FIELDS)
    if measure.unit == ImpactMeasure.Unit.PERCENT and measure.values.exclude(value__range=(0, 100)).exists():
        raise ValidationError(
            {"unit": "Some recorded values are not between 0 and 100, so this cannot be a percentage"}
        )
    return _save(measure, by)


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
    return _save(impact_value, by)
