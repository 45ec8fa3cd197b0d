"""A partnership with a realistic amount of data, built through the services, for the role homes' tests.

Each plan has endorsed rounds (frozen records), and then a live round; the first plan's is open for
updates with its deadline passed (some updates not started, some drafts, some submitted, some agreed);
the others have an agreed round waiting for the board and a round in the sense check. Committee reports:
the first plan's latest endorsed round is published, an earlier one is a draft for a meeting coming.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import time_machine
from django.utils import timezone

from actions import services
from actions.models import Action, ActionPlan, MonitoringRound
from actions.quadrants import Quadrant
from inspections.models import Agency, Partnership
from people.models import Person
from reports.models import CommitteeReport, PublishedReport
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgencyFactory,
    FindingFactory,
    InspectionFactory,
    PartnershipFactory,
    PersonFactory,
)

#: The day the homes are read on: the first plan's open round was due five days before.
TODAY = datetime.date(2030, 6, 20)
OPEN_DEADLINE = datetime.date(2030, 6, 15)
QUADRANTS = [Quadrant.GREEN, Quadrant.YELLOW, Quadrant.AMBER, Quadrant.RED]


def on(day: datetime.date, hour: int = 12):
    """Time stands still at ``hour`` o'clock, London time, on ``day``."""
    moment = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_default_timezone())
    return time_machine.travel(moment, tick=False)


@dataclass
class World:
    partnership: Partnership
    manager: Person
    chair: Person
    officer: Person
    viewer: Person
    leads: list[Person]
    plans: list[ActionPlan] = field(default_factory=list)
    actions: dict[int, list[Action]] = field(default_factory=dict)
    #: Each plan's latest endorsed round, by plan id.
    endorsed: dict[int, MonitoringRound] = field(default_factory=dict)
    open_round: MonitoringRound | None = None
    sense_check: list[MonitoringRound] = field(default_factory=list)
    agreed: list[MonitoringRound] = field(default_factory=list)
    draft_report: CommitteeReport | None = None
    published: PublishedReport | None = None


def _settle(plan_actions, monitoring_round, chair, meeting, *, endorse: bool, offset: int = 0):
    services.round_set_state(monitoring_round=monitoring_round, by=chair, state="open")
    for n, action in enumerate(plan_actions):
        quadrant = QUADRANTS[(n + offset) % 4]
        services.update_save(
            action=action,
            monitoring_round=monitoring_round,
            by=action.lead,
            expected_version=0,
            fields={"narrative": f"Progress to {monitoring_round.label}", "proposed_quadrant": quadrant},
            submit=True,
        )
        services.update_agree(action=action, monitoring_round=monitoring_round, by=chair, quadrant=quadrant)
    services.round_close(monitoring_round=monitoring_round, by=chair, meeting_on=meeting)
    if endorse:
        services.round_endorse(
            monitoring_round=monitoring_round,
            by=chair,
            endorsed_on=meeting + datetime.timedelta(days=7),
            meeting="the board",
        )
    monitoring_round.refresh_from_db()
    return monitoring_round


def build_world(
    name: str = "Tynedale", *, plans: int = 2, actions_per_plan: int = 12, endorsed_rounds: int = 2
) -> World:
    partnership = PartnershipFactory(name=f"{name} Safeguarding Children Partnership", board_name=f"{name} board")
    council = AgencyFactory(partnership=partnership, name=f"{name} Council", kind=Agency.Kind.COUNCIL)
    police = AgencyFactory(partnership=partnership, name=f"{name} Police", kind=Agency.Kind.POLICE)

    def person(role, first, last, agency=council):
        return PersonFactory(
            partnership=partnership, agency=agency, role=role, user__first_name=first, user__last_name=last
        )

    world = World(
        partnership=partnership,
        manager=person(Person.Role.MANAGER, "Mary", f"{name}-Manager"),
        chair=person(Person.Role.CHAIR, "Colin", f"{name}-Chair", police),
        officer=person(Person.Role.OFFICER, "Olive", f"{name}-Officer"),
        viewer=person(Person.Role.VIEWER, "Victor", f"{name}-Viewer"),
        leads=[
            person(Person.Role.LEAD, "Lena", f"{name}-Lead", council),
            person(Person.Role.LEAD, "Paul", f"{name}-Police", police),
            person(Person.Role.LEAD, "Gita", f"{name}-Health", council),
        ],
    )
    for p in range(1, plans + 1):
        start = datetime.date(2028, p, 10)
        inspection = InspectionFactory(
            partnership=partnership, fieldwork_start=start, fieldwork_end=start + datetime.timedelta(days=4)
        )
        area = FindingFactory(inspection=inspection, number=1)
        plan = ActionPlanFactory(inspection=inspection, title=f"{name} plan {p}")
        plan_actions = []
        for n in range(actions_per_plan):
            lead = world.leads[n % len(world.leads)]
            action = ActionFactory(
                plan=plan,
                lead=lead,
                lead_agency=lead.agency,
                reference=f"{p}.{n + 1}",
                position=n,
                description=f"{name} plan {p} action {n + 1}",
                target_date=TODAY + datetime.timedelta(days=20 * n - 30),  # two already overdue
            )
            action.areas.add(area)
            plan_actions.append(action)
        world.plans.append(plan)
        world.actions[plan.pk] = plan_actions
        months = [datetime.date(2029, 1, 31) + datetime.timedelta(days=61 * k) for k in range(endorsed_rounds)]
        for k, period_end in enumerate(months):
            meeting = period_end + datetime.timedelta(days=10)
            with on(meeting + datetime.timedelta(days=20)):  # entered weeks after the meeting
                monitoring_round = services.round_create(
                    plan=plan,
                    by=world.manager,
                    label=f"{period_end:%B %Y}",
                    period_end=period_end,
                    update_deadline=period_end + datetime.timedelta(days=5),
                    cadence=MonitoringRound.Cadence.BI_MONTHLY,
                )
                world.endorsed[plan.pk] = _settle(
                    plan_actions, monitoring_round, world.chair, meeting, endorse=True, offset=k
                )
        with on(datetime.date(2030, 5, 20)):
            if p == 1:
                world.open_round = _open_round(world, plan, plan_actions)
            else:
                agreed = services.round_create(
                    plan=plan,
                    by=world.manager,
                    label="March 2030",
                    period_end=datetime.date(2030, 3, 31),
                    update_deadline=datetime.date(2030, 4, 5),
                    cadence=MonitoringRound.Cadence.BI_MONTHLY,
                )
                world.agreed.append(
                    _settle(plan_actions, agreed, world.chair, datetime.date(2030, 4, 20), endorse=False, offset=1)
                )
                world.sense_check.append(_sense_check_round(world, plan, plan_actions))
    _reports(world)
    return world


def _open_round(world, plan, plan_actions):
    """Open, deadline passed: a quarter not started, a quarter in draft, a quarter submitted, a quarter agreed."""
    monitoring_round = services.round_create(
        plan=plan,
        by=world.manager,
        label="June 2030",
        period_end=datetime.date(2030, 6, 30),
        update_deadline=OPEN_DEADLINE,
        cadence=MonitoringRound.Cadence.BI_MONTHLY,
    )
    services.round_set_state(monitoring_round=monitoring_round, by=world.manager, state="open")
    for n, action in enumerate(plan_actions):
        if n % 4 == 0:
            continue  # not started
        services.update_save(
            action=action,
            monitoring_round=monitoring_round,
            by=action.lead,
            expected_version=0,
            fields={"narrative": "Under way", "proposed_quadrant": Quadrant.GREEN},
            submit=n % 4 != 1,
        )
        if n % 4 == 3:
            services.update_agree(action=action, monitoring_round=monitoring_round, by=world.chair, quadrant="green")
    monitoring_round.refresh_from_db()
    return monitoring_round


def _sense_check_round(world, plan, plan_actions):
    """In the sense check: every update submitted, the first three agreed."""
    monitoring_round = services.round_create(
        plan=plan,
        by=world.manager,
        label="May 2030",
        period_end=datetime.date(2030, 5, 31),
        update_deadline=datetime.date(2030, 6, 5),
        cadence=MonitoringRound.Cadence.BI_MONTHLY,
    )
    services.round_set_state(monitoring_round=monitoring_round, by=world.manager, state="open")
    for n, action in enumerate(plan_actions):
        services.update_save(
            action=action,
            monitoring_round=monitoring_round,
            by=action.lead,
            expected_version=0,
            fields={"narrative": "Done", "proposed_quadrant": Quadrant.YELLOW},
            submit=True,
        )
        if n < 3:
            services.update_agree(action=action, monitoring_round=monitoring_round, by=world.chair, quadrant="yellow")
    services.round_set_state(monitoring_round=monitoring_round, by=world.chair, state="sense_check")
    monitoring_round.refresh_from_db()
    return monitoring_round


def _reports(world):
    """The first plan's latest endorsed round published; its earlier one a draft for a meeting coming."""
    plan = world.plans[0]
    latest = world.endorsed[plan.pk]
    earlier = (
        MonitoringRound.objects.filter(plan=plan, state="endorsed").exclude(pk=latest.pk).order_by("period_end").first()
    )
    report = CommitteeReport.objects.create(
        plan=plan, round=latest, title=f"{latest.label} progress", report_of="Olive", committee="Scrutiny"
    )
    world.published = PublishedReport.objects.create(
        report=report,
        version=1,
        title=f"{latest.label} progress",
        committee="Families Scrutiny Committee",
        meeting_date=datetime.date(2029, 6, 1),
        html="<p>Progress</p>",
        pdf=b"%PDF-1.7\n",
        figures={},
        sha256="0" * 64,
        published_by=world.officer,
        published_at=timezone.now(),
    )
    if earlier is not None:
        world.draft_report = CommitteeReport.objects.create(
            plan=plan,
            round=earlier,
            title=f"{earlier.label} progress",
            report_of="Olive",
            committee="Children's Scrutiny Committee",
            meeting_date=TODAY + datetime.timedelta(days=10),
        )
