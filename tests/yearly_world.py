"""A partnership's year for the yearly report's tests, built through the services.

The year is 1 April 2025 to 31 March 2026. Plan A has a round endorsed before the year (February 2025) and
two in it (July 2025, with action A.1 completed, and January 2026); plan B's only round was endorsed after
the year (April 2026). B.2 was not implemented in the year, with reasons agreed by the chair; B.3 was merged
into A.2 in the year. One impact measure has values before, in and after the year; one committee report
was published in the year and one before it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from actions import services
from actions.models import Action, ActionPlan, MonitoringRound, ReplacedHow
from actions.quadrants import Quadrant
from inspections.models import Agency, Partnership
from people.models import Person
from reports.models import CommitteeReport, PublishedReport
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgencyFactory,
    ImpactMeasureFactory,
    ImpactValueFactory,
    InspectionFactory,
    MonitoringRoundFactory,
    PartnershipFactory,
    PersonFactory,
)

STARTS_ON = datetime.date(2025, 4, 1)
ENDS_ON = datetime.date(2026, 3, 31)
NOT_IMPLEMENTED_REASON = "The national panel's new guidance replaced the local protocol this action would have written"
MERGE_REASON = "Both actions retrain the front door: one action now tracks it"


@dataclass
class Year:
    partnership: Partnership
    manager: Person
    chair: Person
    officer: Person
    viewer: Person
    lead: Person
    plan_a: ActionPlan
    plan_b: ActionPlan
    actions: dict[str, Action] = field(default_factory=dict)
    rounds: dict[str, MonitoringRound] = field(default_factory=dict)
    published_in_year: PublishedReport | None = None
    published_before: PublishedReport | None = None


def settle(monitoring_round, chair, quadrants: dict, meeting: datetime.date, endorsed_on: datetime.date):
    """Open the round, have each lead submit the quadrant given, agree it, close and endorse the round."""
    services.round_set_state(monitoring_round=monitoring_round, by=chair, state="open")
    for action, quadrant in quadrants.items():
        fields = {"narrative": f"Progress to {monitoring_round.label}", "proposed_quadrant": quadrant}
        if quadrant == Quadrant.COMPLETE:
            fields |= {"evidence": "Audit of 40 cases", "sustainability_plan": "Re-audited every year"}
        services.update_save(
            action=action,
            monitoring_round=monitoring_round,
            by=action.lead,
            expected_version=0,
            fields=fields,
            submit=True,
        )
        services.update_agree(action=action, monitoring_round=monitoring_round, by=chair, quadrant=quadrant)
    services.round_close(monitoring_round=monitoring_round, by=chair, meeting_on=meeting)
    services.round_endorse(monitoring_round=monitoring_round, by=chair, endorsed_on=endorsed_on, meeting="the board")
    monitoring_round.refresh_from_db()
    return monitoring_round


def _round(plan, label, period_end):
    return MonitoringRoundFactory(
        plan=plan, label=label, period_end=period_end, update_deadline=period_end + datetime.timedelta(days=5)
    )


def _published(report, *, title, committee, meeting_date, published_on, by):
    moment = datetime.datetime.combine(published_on, datetime.time(12), tzinfo=timezone.get_default_timezone())
    return PublishedReport.objects.create(
        report=report,
        version=1,
        report_version=report.version,
        title=title,
        committee=committee,
        meeting_date=meeting_date,
        html="<p>Progress</p>",
        pdf=b"%PDF-1.7\n",
        figures={},
        sha256="0" * 64,
        published_by=by,
        published_at=moment,
    )


def build_year(name: str = "Tynedale") -> Year:
    partnership = PartnershipFactory(name=f"{name} Safeguarding Children Partnership")
    council = AgencyFactory(partnership=partnership, name=f"{name} Council", kind=Agency.Kind.COUNCIL)

    def person(role, last):
        return PersonFactory(partnership=partnership, agency=council, role=role, user__last_name=f"{name}-{last}")

    manager, chair = person(Person.Role.MANAGER, "Manager"), person(Person.Role.CHAIR, "Chair")
    officer, viewer = person(Person.Role.OFFICER, "Officer"), person(Person.Role.VIEWER, "Viewer")
    lead = person(Person.Role.LEAD, "Lead")
    plans = []
    for letter, start in (("A", datetime.date(2024, 3, 4)), ("B", datetime.date(2025, 1, 13))):
        inspection = InspectionFactory(
            partnership=partnership, fieldwork_start=start, fieldwork_end=start + datetime.timedelta(days=4)
        )
        plans.append(ActionPlanFactory(inspection=inspection, title=f"Plan {letter}"))
    year = Year(partnership, manager, chair, officer, viewer, lead, *plans)
    for plan, letter, count in ((year.plan_a, "A", 3), (year.plan_b, "B", 3)):
        for n in range(1, count + 1):
            year.actions[f"{letter}.{n}"] = ActionFactory(
                plan=plan,
                lead=lead,
                lead_agency=council,
                reference=f"{letter}.{n}",
                position=n,
                description=f"{name} action {letter}.{n}",
                target_date=datetime.date(2026, 12, 31),
            )
    a = year.actions
    G, Y, AM, R, C = Quadrant.GREEN, Quadrant.YELLOW, Quadrant.AMBER, Quadrant.RED, Quadrant.COMPLETE
    year.rounds["Feb 2025"] = settle(
        _round(year.plan_a, "January 2025", datetime.date(2025, 1, 31)),
        chair,
        {a["A.1"]: G, a["A.2"]: AM, a["A.3"]: R},
        datetime.date(2025, 2, 10),
        datetime.date(2025, 2, 17),
    )
    year.rounds["Jul 2025"] = settle(
        _round(year.plan_a, "June 2025", datetime.date(2025, 6, 30)),
        chair,
        {a["A.1"]: C, a["A.2"]: AM, a["A.3"]: R},
        datetime.date(2025, 7, 10),
        datetime.date(2025, 7, 17),
    )
    year.rounds["Jan 2026"] = settle(
        _round(year.plan_a, "December 2025", datetime.date(2025, 12, 31)),
        chair,
        {a["A.2"]: G, a["A.3"]: Y},
        datetime.date(2026, 1, 12),
        datetime.date(2026, 1, 19),
    )
    year.rounds["Apr 2026"] = settle(
        _round(year.plan_b, "March 2026", datetime.date(2026, 3, 31)),
        chair,
        {a["B.1"]: C, a["B.2"]: R, a["B.3"]: AM},
        datetime.date(2026, 4, 10),
        datetime.date(2026, 4, 17),
    )
    # The outcomes beyond complete, as the outcome services record them (fields of the schema).
    Action.objects.filter(pk=a["B.2"].pk).update(
        not_implemented_on=datetime.date(2025, 11, 5),
        not_implemented_reason=NOT_IMPLEMENTED_REASON,
        not_implemented_agreed_by=chair,
    )
    Action.objects.filter(pk=a["B.3"].pk).update(
        replaced_by=a["A.2"],
        replaced_how=ReplacedHow.MERGED,
        replaced_on=datetime.date(2025, 9, 1),
        replaced_reason=MERGE_REASON,
    )
    measure = ImpactMeasureFactory(
        plan=year.plan_a, name="Cases audited with a risk assessment", baseline=30, target=90
    )
    for label, period_end, value in (
        ("Q4 2024/25", datetime.date(2025, 3, 31), 35),
        ("Q1 2025/26", datetime.date(2025, 6, 30), 50),
        ("Q3 2025/26", datetime.date(2025, 12, 31), 70),
        ("Q1 2026/27", datetime.date(2026, 6, 30), 95),
    ):
        ImpactValueFactory(measure=measure, period_label=label, period_end=period_end, value=value)
    for key, title, published_on in (
        ("Jul 2025", "JTAI progress update, June 2025", datetime.date(2025, 7, 25)),
        ("Feb 2025", "JTAI progress update, January 2025", datetime.date(2025, 2, 25)),
    ):
        monitoring_round = year.rounds[key]
        report = CommitteeReport.objects.create(
            plan=year.plan_a, round=monitoring_round, title=title, report_of="Olive Officer"
        )
        published = _published(
            report,
            title=title,
            committee="Children's Scrutiny Committee",
            meeting_date=published_on + datetime.timedelta(days=10),
            published_on=published_on,
            by=officer,
        )
        if key == "Jul 2025":
            year.published_in_year = published
        else:
            year.published_before = published
    for action in year.actions.values():
        action.refresh_from_db()
    return year
