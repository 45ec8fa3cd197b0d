"""What a new partnership still has to set up: the manager's task list, its statuses decided here only.

:func:`setup_tasks` reads a partnership in three queries, however much it holds, and says where each of the
six tasks stands and which set-up page does it. The manager's home shows the list until every task is
completed; the set-up landing page always shows it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from actions.models import Action, MonitoringRound
from inspections.models import KINDS_NEEDING_ACTION, Agency, Finding, Inspection, Partnership
from people.models import Person


class Status(enum.Enum):
    """A task's status as the GOV.UK task list shows it: its words, and its tag colour (none: plain text)."""

    NOT_STARTED = ("Not started", "govuk-tag--blue")
    IN_PROGRESS = ("In progress", "govuk-tag--light-blue")
    COMPLETED = ("Completed", "")
    CANNOT_START = ("Cannot start yet", "")

    def __init__(self, label: str, tag: str):
        self.label = label
        self.tag = tag

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Task:
    name: str
    status: Status
    #: The set-up page that does it; empty while it cannot start.
    url: str
    hint: str = ""

    @property
    def is_completed(self) -> bool:
        return self.status is Status.COMPLETED

    @property
    def cannot_start(self) -> bool:
        return self.status is Status.CANNOT_START


@dataclass(frozen=True)
class TaskList:
    tasks: list[Task]

    def __iter__(self):
        return iter(self.tasks)

    def __len__(self) -> int:
        return len(self.tasks)

    @property
    def completed(self) -> int:
        return sum(task.is_completed for task in self.tasks)

    @property
    def all_completed(self) -> bool:
        return self.completed == len(self.tasks)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def setup_tasks(partnership: Partnership) -> TaskList:
    """The six set-up tasks of ``partnership`` and where each stands (three queries).

    1. Partnership details: completed once it has a local authority and a board name.
    2. Agencies: completed with two active agencies; in progress with one.
    3. People: completed once someone besides its managers can sign in (has accepted their invitation or been
       given a password); in progress while those added cannot yet.
    4. Inspection and findings: completed once an inspection has a priority area for action or an area for
       improvement; in progress while its inspection has none.
    5. Plan: completed once a plan has an action (not withdrawn); cannot start before there is an inspection.
    6. First monitoring round: completed once a plan has a round of its own (not the round recording an
       imported sheet's position: leads have not reported in it); cannot start before a plan has an action.
    """
    active_agencies = Agency.objects.for_partnership(partnership).filter(active=True).count()
    others = (
        Person.objects.for_partnership(partnership)
        .exclude(role=Person.Role.MANAGER)
        .filter(user__is_active=True)
        .aggregate(
            added=Count("pk"),
            can_sign_in=Count("pk", filter=~Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)),
        )
    )
    inspections = list(
        Inspection.objects.for_partnership(partnership)
        .select_related("plan")
        .annotate(
            has_findings=Exists(
                Finding.objects.filter(
                    inspection=OuterRef("pk"),
                    kind__in=KINDS_NEEDING_ACTION,
                )
            ),
            has_actions=Exists(Action.objects.current().filter(plan__inspection=OuterRef("pk"))),
            has_rounds=Exists(MonitoringRound.objects.filter(plan__inspection=OuterRef("pk"), imported=False)),
        )
        .order_by("-fieldwork_start", "-pk")
    )
    return TaskList(
        [
            _details_task(partnership),
            _agencies_task(active_agencies),
            _people_task(others["added"], others["can_sign_in"]),
            *_inspection_tasks(inspections),
        ]
    )


def _details_task(partnership: Partnership) -> Task:
    done = bool(partnership.local_authority.strip() and partnership.board_name.strip())
    return Task(
        "Partnership details",
        Status.COMPLETED if done else Status.NOT_STARTED,
        reverse("setup:partnership_edit"),
        partnership.board_name if done else "Your local authority and the board that endorses progress",
    )


def _agencies_task(active: int) -> Task:
    status = Status.COMPLETED if active >= 2 else Status.IN_PROGRESS if active == 1 else Status.NOT_STARTED
    hint = _plural(active, "active agency", "active agencies")
    if active < 2:
        hint += ": add the partners that lead actions"
    return Task("Agencies", status, reverse("setup:agencies"), hint)


def _people_task(added: int, can_sign_in: int) -> Task:
    if can_sign_in:
        status, hint = Status.COMPLETED, f"{_plural(can_sign_in, 'person', 'people')} besides managers can sign in"
    elif added:
        status, hint = Status.IN_PROGRESS, f"{_plural(added, 'person', 'people')} added, not yet signed up"
    else:
        status, hint = Status.NOT_STARTED, "Add the sub-group chair and the action leads"
    return Task("People", status, reverse("setup:people"), hint)


def _inspection_tasks(inspections: list[Inspection]) -> list[Task]:
    """Tasks 4 to 6, from the partnership's inspections newest first. Any inspection or plan that has done a task
    completes it, so recording a second inspection later does not undo set-up."""
    latest = inspections[0] if inspections else None
    with_findings = next((i for i in inspections if i.has_findings), None)
    with_actions = next((i for i in inspections if i.has_actions), None)
    with_rounds = next((i for i in inspections if i.has_rounds), None)
    with_plan = next((i for i in inspections if getattr(i, "plan", None) is not None), None)

    if with_findings is not None:
        inspection = Task(
            "Inspection and findings",
            Status.COMPLETED,
            reverse("setup:inspection", args=[with_findings.pk]),
            with_findings.short_title,
        )
    elif latest is not None:
        inspection = Task(
            "Inspection and findings",
            Status.IN_PROGRESS,
            reverse("setup:inspection", args=[latest.pk]),
            "Add its priority areas for action and areas for improvement",
        )
    else:
        inspection = Task(
            "Inspection and findings",
            Status.NOT_STARTED,
            reverse("setup:inspection_add"),
            "The inspection and the findings in its letter",
        )

    if with_actions is not None:
        plan = Task("Plan: import or add actions", Status.COMPLETED, reverse("setup:plan", args=[with_actions.plan.pk]))
    elif with_plan is not None:
        plan = Task(
            "Plan: import or add actions",
            Status.NOT_STARTED,
            reverse("setup:plan", args=[with_plan.plan.pk]),
            "Import your plan's spreadsheet, or add its actions one by one",
        )
    elif latest is not None:
        plan = Task(
            "Plan: import or add actions",
            Status.NOT_STARTED,
            reverse("setup:inspection_edit", args=[latest.pk]),
            "Give the inspection's action plan a title",
        )
    else:
        plan = Task("Plan: import or add actions", Status.CANNOT_START, "", "Record the inspection first")

    if with_rounds is not None:
        monitoring = Task(
            "First monitoring round", Status.COMPLETED, reverse("setup:plan", args=[with_rounds.plan.pk]) + "#rounds"
        )
    elif with_actions is not None:
        monitoring = Task(
            "First monitoring round",
            Status.NOT_STARTED,
            reverse("setup:round_add", args=[with_actions.plan.pk]),
            "When leads report progress and the sub-group agrees it",
        )
    else:
        monitoring = Task("First monitoring round", Status.CANNOT_START, "", "The plan needs its actions first")
    return [inspection, plan, monitoring]
