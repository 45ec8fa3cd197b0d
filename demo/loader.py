"""The demo: two safeguarding partnerships with a JTAI, its findings, an action plan and three rounds.

Northumberland's data comes from public council reports: the JTAI letter's strengths and areas for
improvement (Health & Wellbeing Board, 12 September 2019) and the 22 actions of Appendix A, the
four-quadrant progress update for the S&CE sub-group, May 2020 (Families and Children's Overview and
Scrutiny Committee, 16 July 2020). Leads, dates, narratives, evidence and impact figures are invented
but consistent with those reports. Halton (from its Policy and Performance Board report of 9 September
2019) is a second, small partnership that shows one partnership never sees another's rows.

How it stays idempotent
-----------------------
Every row is *upserted* on its natural key (partnership name; agency name; username; inspection kind
and fieldwork start; finding kind and number; action reference; round label; action and round; measure
name; value period end; quadrant) and saved only when a value differs from the demo's. So:

* running ``load_demo`` twice gives the same rows, the same primary keys (links keep working) and no
  new history records the second time;
* running it after people have tried the demo resets every demo row to the demo's values, while rows
  added by hand in the demo partnerships are left alone (nothing is deleted, so nothing that refers to
  a demo row, such as evidence files or reminder logs, can be broken or block the load);
* only the two demo partnerships, found by name, are ever read or written. A demo username that already
  belongs to someone outside them stops the load with :class:`DemoConflict` instead of taking over that
  account.

Delete-and-rebuild was rejected: people, actions and updates are protected from deletion by other rows
(``PROTECT``), it would change every primary key, and it would throw away history.

The whole load runs in one transaction: it either all happens or none of it does.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import models, transaction
from django.utils import timezone

from actions.models import (
    Action,
    ActionPlan,
    ImpactMeasure,
    ImpactValue,
    MonitoringRound,
    QuadrantWording,
    Update,
)
from actions.quadrants import Quadrant
from inspections.models import Agency, Finding, Inspection, Partnership
from people.models import Person

#: The password of every demo login. Printed by ``manage.py load_demo``: never use it for real data.
PASSWORD = "Demo-tracker-2026"

D = datetime.date
G, Y, A, R = Quadrant.GREEN, Quadrant.YELLOW, Quadrant.AMBER, Quadrant.RED
STRENGTH = Finding.Kind.STRENGTH
IMPROVEMENT = Finding.Kind.AREA_FOR_IMPROVEMENT


class DemoConflict(Exception):
    """The database holds something the demo must not overwrite (e.g. a real user called "manager")."""


# ---------------------------------------------------------------------------------------------------
# The shapes of the data
# ---------------------------------------------------------------------------------------------------


class AgencySpec(NamedTuple):
    short: str
    name: str
    kind: str


class PersonSpec(NamedTuple):
    username: str
    first_name: str
    last_name: str
    role: str
    agency: str  # AgencySpec.short
    job_title: str


class ActionSpec(NamedTuple):
    reference: str
    areas: tuple[int, ...]  # numbers of the areas for improvement it answers
    description: str
    lead: str  # username
    lead_agency: str  # AgencySpec.short
    supporting: tuple[str, ...]
    target_date: datetime.date
    measure_of_success: str
    #: (revised date, reason) agreed by the chair, or None.
    revised: tuple[datetime.date, str] | None = None


class RoundSpec(NamedTuple):
    label: str
    period_end: datetime.date
    update_deadline: datetime.date
    subgroup_meeting_on: datetime.date
    #: (date, meeting) when the board endorsed the round, or None if it is only agreed.
    endorsed: tuple[datetime.date, str] | None


class Progress(NamedTuple):
    """One lead's update for one round. ``quadrant`` is the one the sub-group agreed."""

    quadrant: str
    narrative: str
    evidence: str
    next_steps: str
    barriers: str = ""


class Challenge(NamedTuple):
    """The sub-group changed the lead's proposed quadrant: what the lead proposed, and why it changed."""

    proposed: str
    reason: str


class MeasureSpec(NamedTuple):
    name: str
    description: str
    unit: str
    baseline: Decimal
    target: Decimal
    values: tuple[tuple[str, datetime.date, Decimal], ...]


@dataclass(frozen=True)
class PartnershipDemo:
    name: str
    local_authority: str
    board_name: str
    email_domain: str
    agencies: list[AgencySpec]
    people: list[PersonSpec]
    inspection: dict[str, Any]
    #: (kind, number, text, case study)
    findings: list[tuple[str, int, str, str]]
    plan_title: str
    actions: list[ActionSpec]
    rounds: list[RoundSpec]
    cadence: str
    chair: str  # username of the person who agrees every update
    #: Action reference -> one Progress per round, in round order.
    progress: dict[str, tuple[Progress, ...]]
    #: (action reference, round label) -> Challenge
    challenges: dict[tuple[str, str], Challenge] = field(default_factory=dict)
    measures: list[MeasureSpec] = field(default_factory=list)
    #: quadrant -> (label, description); only where the partnership words it differently.
    wording: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: A round still open for updates, so leads and the chair have something to do in the demo.
    open_round: RoundSpec | None = None
    #: Leads whose updates for the open round are left for the demo user to write.
    open_round_left_to: tuple[str, ...] = ()


# The data tables below are laid out by hand, strings wrapped at 110 columns (the formatter, at 120,
# would re-join them).
# fmt: off

# ---------------------------------------------------------------------------------------------------
# Northumberland
# ---------------------------------------------------------------------------------------------------

NORTHUMBERLAND_AGENCIES = [
    AgencySpec("NCC", "Northumberland County Council children's services", Agency.Kind.COUNCIL),
    AgencySpec("NCC Education", "Northumberland County Council education and skills", Agency.Kind.EDUCATION),
    AgencySpec("Police", "Northumbria Police", Agency.Kind.POLICE),
    AgencySpec("CCG", "Northumberland CCG", Agency.Kind.HEALTH),
    AgencySpec("NHCFT", "Northumbria Healthcare NHS Foundation Trust", Agency.Kind.HEALTH),
    AgencySpec("CNTW", "Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust", Agency.Kind.HEALTH),
    AgencySpec("NPS", "National Probation Service", Agency.Kind.PROBATION),
    AgencySpec("YOS", "Northumberland Youth Offending Service", Agency.Kind.YOUTH_JUSTICE),
    AgencySpec("Schools", "Northumberland schools", Agency.Kind.EDUCATION),
]

MANAGER, CHAIR, LEAD, OFFICER, VIEWER = Person.Role.values
NORTHUMBERLAND_PEOPLE = [
    # username, first name, last name, role, agency, job title
    PersonSpec("manager", "Claire", "Robson", MANAGER, "NCC", "NSCC business manager"),
    PersonSpec(
        "chair", "Mark", "Tait", CHAIR, "Police",
        "Detective Superintendent, safeguarding; chair of the S&CE sub-group",
    ),
    PersonSpec("lead", "Rachel", "Forster", LEAD, "NCC", "Service manager, MASH and exploitation"),
    PersonSpec("officer", "Daniel", "Charlton", OFFICER, "NCC", "Senior policy and performance officer"),
    PersonSpec("viewer", "Joanne", "Milburn", VIEWER, "NHCFT", "Named nurse, safeguarding children"),
    PersonSpec("lead.police", "Steven", "Armstrong", LEAD, "Police", "Detective Inspector, exploitation"),
    PersonSpec("lead.health", "Karen", "Bell", LEAD, "CCG", "Designated nurse, safeguarding children"),
    PersonSpec(
        "lead.education", "Paul", "Dixon", LEAD, "NCC Education",
        "Head of inclusion and alternative provision",
    ),
    PersonSpec("lead.yos", "Andrew", "Scott", LEAD, "YOS", "Head of the Youth Offending Service"),
    PersonSpec(
        "lead.safeguarding", "Susan", "Reed", LEAD, "NCC", "Head of safeguarding and independent reviewing",
    ),
    PersonSpec("lead.workforce", "Louise", "Hedley", LEAD, "NCC", "Workforce development manager"),
    PersonSpec("lead.performance", "Gareth", "Lowes", LEAD, "NCC", "Performance and intelligence manager"),
]

NORTHUMBERLAND_INSPECTION = {
    "kind": Inspection.Kind.JTAI,
    "theme": "Child sexual and criminal exploitation",
    "inspectorates": ["ofsted", "cqc", "hmicfrs", "hmip"],
    "fieldwork_start": D(2019, 6, 17),
    "fieldwork_end": D(2019, 6, 21),
    "letter_published": D(2019, 8, 2),
    "plan_due": D(2019, 11, 11),
    "plan_submitted": D(2019, 11, 11),
    # "endorsed by Ofsted in December": the day is not public.
    "plan_endorsed": D(2019, 12, 16),
    "status": Inspection.Status.MONITORING,
}

# The letter's text, as the Health & Wellbeing Board report quotes it (the board's "21 areas of
# strength" are summarised there as these eleven; "NCSB" is the report's own spelling).
NORTHUMBERLAND_STRENGTHS = [
    (
        "The safeguarding agencies in Northumberland demonstrate a strong commitment to working together "
        "to safeguard children. They have made changes in response to findings from previous inspections,"
        " including the Ofsted focused visit in February 2018 that looked at the effectiveness of the "
        "front door arrangements to protect children."
    ),
    (
        "Several agencies, including health and education, are represented in the MASH. This aids "
        "information sharing and joint planning to reduce risks to children."
    ),
    (
        "Following challenge from the NCSB, a review of the processes for return home interviews has led "
        "to changes which are beginning to have a positive impact on informing safety plans for children."
    ),
    (
        "The Multi-agency Safeguarding Hub (MASH) has effective systems in place which ensure that new "
        "concerns about children are responded to in a timely manner. In the main, thresholds are "
        "understood, and the risk of significant harm is identified. Timely strategy meetings are held "
        "and include the right professionals. This aids decision making."
    ),
    (
        "The introduction of a child sexual exploitation (CSE) practitioner in the MASH has been "
        "instrumental in raising the quality of risk assessment and safety planning for children who are "
        "identified as being at a high risk of sexual exploitation. Practitioners are increasingly "
        "considering extra familial risks to children in relation to sexual exploitation."
    ),
    (
        "Political support from elected members has ensured that resources for children's social care "
        "have been protected. Senior managers have worked hard to improve the workforce stability. The "
        "introduction of assistant team manager and advanced practitioner posts, as well as retaining "
        "social workers who undertake their assessed and supported year in employment year within the "
        "authority, is contributing to a more stable and increasingly experienced workforce. The number "
        "of social workers has increased in the last two years, and social workers describe their "
        "caseloads as manageable. Social workers receive regular supervision and management oversight of "
        "their work."
    ),
    (
        "All General Practices and schools in Northumberland routinely receive information through an "
        "initiative, Operation Endeavor, about children who are missing. This initiative strengthens "
        "information sharing about children and families of concern, as many children who are missing may"
        " not be known to early help services or children's social care. The appointment of a specialist "
        "MASH education worker further supports information sharing with schools, appropriately informing"
        " analysis of risk and planning for children. Harm reduction work has been proactive as a result "
        "of the shared approach of partners recognising the vulnerability of children and underlying "
        "concerns. Inspectors saw examples where schools had passed intelligence to the Police as a "
        "result of their vigilant observation of who children were associating with outside of the "
        "school."
    ),
    (
        "The Missing, Slavery, Exploitation and Trafficking group (MSET) has been in place since March "
        "2019, with the aim to provide a structured response, through the sharing of information, to "
        "reduce the risk of all forms of child exploitation. This replaces the previous Risk Management "
        "Group. The new arrangements are aligned with other Local Authorities in the region and "
        "Northumbria Police, who chair all the groups. Intelligence is mapped to create a detailed "
        "picture of risk to individual children and associated vulnerable people. The MSET process has "
        "supported active disruption operations, including a multi-agency operation that took place over "
        "a weekend. This has had a positive impact on reducing the numbers of children's missing episodes"
        " in one locality. This relatively new process has been successful in reducing risks for some "
        "children."
    ),
    (
        "Child protection (Section 47) enquiries are prompt and social workers see children alone. Social"
        " workers engage with children in a sensitive way to support them to tell their story. When "
        "children are at significant risk, there is timely escalation to initial child protection "
        "conferences."
    ),
    (
        "The NSCB undertakes regular multi-agency audits. A multi-agency audit in December 2018 into the "
        "safeguarding of disabled children led to the incorporation of the consideration of sexual "
        "exploitation into all assessments. The failure to include the consideration of criminal "
        "exploitation is a lost opportunity to further strengthen assessments for these children. "
        "Multi-agency audits completed by the partnership reflected the areas of development identified "
        "by inspectors during this inspection."
    ),
    (
        "The NCSB receive a wide range of performance data, which they interrogate and use to provide "
        "appropriate challenge. For example, an audit which focused on the application of thresholds "
        "within the MASH, in recognition that S47 rates were high, found that thresholds were understood."
        " This demonstrates that action is taken to understand practice and to inform action to improve."
    ),
]

#: "Case Study: Highly Effective Practice", which the letter gives for the Operation Endeavor strength.
OPERATION_ENDEAVOR_STRENGTH = 7
OPERATION_ENDEAVOR_CASE_STUDY = (
    "The local area has built on the embedded good practice of Operation Encompass by implementing "
    "Operation Endeavor. Every school and General Practice across the area receives missing children "
    "notifications. This initiative strengthens information sharing about children of concern and has"
    " resulted in proactive harm reduction work.\n\n"
    "Schools display a good understanding of risks to "
    "children of criminal exploitation. They have access to regular and up to date training, and can "
    "apply this effectively. School staff are proactive in ensuring the risks to children are "
    "mitigated while children are in school. Inspectors saw examples of schools being vigilant about "
    "who children are associating with outside school and passing this intelligence on to the Police "
    "and other partners so that appropriate action could be taken."
)

# "Areas for Improvement include": the seven bullets, then the paragraph on permanent exclusions.
NORTHUMBERLAND_AREAS = [
    (
        "The need for an intelligence profile of the criminal exploitation of children has recently been "
        "identified by leaders in the partnership and commissioned by the Police. The child sexual "
        "exploitation profile needs to be updated. This means that the ability of the partnership to "
        "understand the extent of child criminal exploitation in Northumberland is currently limited."
    ),
    (
        "The partnership has recently refreshed its strategy on child sexual exploitation to include "
        "criminal exploitation. However, the strategy and accompanying action plan are underdeveloped and"
        " are not informed by an up to date profile. This means that resources may not be sufficiently "
        "aligned to tackling child exploitation."
    ),
    (
        "The complex needs of children who offend because of child sexual exploitation and/or criminal "
        "exploitation are not sufficiently recognised or planned for in the refreshed strategy and action"
        " plan. This could result in the unnecessary criminalisation of children."
    ),
    (
        "Child criminal exploitation is not comprehensively understood by practitioners in all agencies "
        "across the partnership. Training, although in place, has not yet had a consistent impact on "
        "practice. This means that exploitation, other than child sexual exploitation, may not be "
        "recognised or responded to. In some cases, children's records showed that practitioners viewed "
        "children's behaviour as part of a lifestyle choice. This limits their ability to see children as"
        " victims of exploitation."
    ),
    (
        "The MASH receives referrals from partner agencies through a variety of formats, which means "
        "there is no single consistent approach. This means that trigger factors that present when a "
        "child is at risk of exploitation may be missed."
    ),
    (
        "Assessments are mostly timely. However, they are of a variable quality. Some do not include "
        "sufficient consideration of wider family and community networks. There is an overreliance on "
        "parents' self-reporting at times, and this is a missed opportunity to understand children's "
        "networks of support more thoroughly."
    ),
    (
        "The MSET processes require further development to ensure that all children are identified when "
        "they are at risk of criminal exploitation. Not all practitioners are able to fully identify the "
        "risk of child criminal exploitation, and this is impacting on their ability to complete the "
        "screening tool. A focus on the risk of child sexual exploitation means that some children who "
        "may be at risk from other forms of exploitation are scored as being at a low risk of harm. For "
        "some children, this can mean that risk of harm from exploitation is underestimated or is not "
        "sufficiently well considered."
    ),
    (
        "Northumberland has a high rate of permanent exclusions from schools. The NSCB receives a "
        "comprehensive suite of performance data, including data on children missing education, children "
        "who are electively home educated and exclusions. However, the Board has not challenged agencies "
        "to further understand any links between increased risk to children permanently excluded and "
        "their vulnerability to exploitation. Following this inspection, they now plan to do so."
    ),
]

# The 22 actions of Appendix A, text verbatim, numbered by the area for improvement they answer.
# Areas: 1 profile, 2 strategy, 3 criminalisation, 4 understanding and training, 5 referrals,
# 6 assessment and strategy meetings, 7 MSET, 8 permanent exclusions.
_NOT_IN_SCHOOL_REVISED = (
    "Scope widened to all children not in school during school hours (part-time timetables, elective "
    "home education, children missing education), agreed by the sub-group in March 2020."
)
NORTHUMBERLAND_ACTIONS = [
    ActionSpec(
        "1.1",
        areas=(1,),
        description=(
            "Produce a partnership profile regarding criminal exploitation, and update the CSE intelligence "
            "profile"
        ),
        lead="lead.police",
        lead_agency="Police",
        supporting=("NCC", "CCG", "YOS", "NCC Education"),
        target_date=D(2020, 6, 30),
        measure_of_success=(
            "A criminal exploitation profile and a refreshed CSE profile are signed off by the S&CE sub-group"
            " and used to direct MSET, disruption activity and the strategy."
        ),
    ),
    ActionSpec(
        "2.1",
        areas=(2, 1),
        description=(
            "Using the CCE and CSE profiles, update the CE & CSE strategy, action plan and work programme"
        ),
        lead="lead",
        lead_agency="NCC",
        supporting=("Police", "CCG", "YOS", "NPS"),
        target_date=D(2020, 6, 30),
        measure_of_success=(
            "The NSCC agrees a CE & CSE strategy, action plan and work programme whose priorities come from "
            "the profiles, and reviews the work programme at each meeting."
        ),
    ),
    ActionSpec(
        "3.1",
        areas=(3,),
        description="Formally launch the work on reducing the criminalisation of LAC, and roll it out",
        lead="lead.safeguarding",
        lead_agency="NCC",
        supporting=("Police", "YOS"),
        target_date=D(2020, 9, 30),
        measure_of_success=(
            "The protocol is launched with every children's home and foster carer; police call-outs to "
            "children's homes and first-time entrants among looked after children fall."
        ),
    ),
    ActionSpec(
        "3.2",
        areas=(3,),
        description="Extend the decriminalisation work to include all CYP who are at risk of exploitation",
        lead="lead.yos",
        lead_agency="YOS",
        supporting=("Police", "NCC"),
        target_date=D(2021, 3, 31),
        measure_of_success=(
            "Every child at risk of exploitation who is arrested has a joint police and YOS decision that "
            "considers whether they are a victim of exploitation."
        ),
    ),
    ActionSpec(
        "3.3",
        areas=(3,),
        description=(
            "Ensure robust Police Management direction for investigations relating to criminal exploitation "
            "of children to maximise prosecution opportunities"
        ),
        lead="lead.police",
        lead_agency="Police",
        supporting=("NCC",),
        target_date=D(2020, 12, 31),
        measure_of_success=(
            "Quarterly dip samples show management direction recorded in at least 90% of investigations, with"
            " prosecution of adults who exploit children considered in every case."
        ),
    ),
    ActionSpec(
        "4.1",
        areas=(4,),
        description="LA and multi agency training and management oversight, and evaluation of it",
        lead="lead.workforce",
        lead_agency="NCC",
        supporting=("Police", "CCG", "NHCFT", "CNTW", "Schools"),
        target_date=D(2020, 9, 30),
        measure_of_success=(
            "Practitioners in every agency complete exploitation training; a three-month follow-up shows "
            "criminal exploitation recognised in case records and supervision."
        ),
    ),
    ActionSpec(
        "4.2",
        areas=(4,),
        description=(
            "Develop an awareness campaign to empower parents, practitioners and education providers to be "
            "aware and act upon early warning signs"
        ),
        lead="lead.workforce",
        lead_agency="NCC",
        supporting=("Police", "Schools", "CCG"),
        target_date=D(2020, 12, 31),
        measure_of_success=(
            "The campaign reaches parents, practitioners and every school; referrals that name early warning "
            "signs of exploitation increase."
        ),
    ),
    ActionSpec(
        "4.3",
        areas=(4,),
        description="Provide professionals with a good practice document to follow regarding PSHE",
        lead="lead.education",
        lead_agency="NCC Education",
        supporting=("Schools",),
        target_date=D(2020, 7, 31),
        measure_of_success=(
            "Every school has the good practice document and PSHE leads report using it to teach about "
            "exploitation."
        ),
    ),
    ActionSpec(
        "5.1",
        areas=(5,),
        description="Review and refresh the multi agency referral form, followed by a relaunch",
        lead="lead",
        lead_agency="NCC",
        supporting=("Police", "CCG", "NHCFT", "Schools"),
        target_date=D(2020, 3, 31),
        measure_of_success=(
            "One referral form is used by every agency, and an audit of referrals finds exploitation trigger "
            "factors recorded where they are present."
        ),
        revised=(
            D(2020, 7, 31),
            "COVID-19: the relaunch events planned for March were cancelled and the relaunch moved online.",
        ),
    ),
    ActionSpec(
        "6.1",
        areas=(6,),
        description=(
            "Requirement to hold strategy meetings where there is likelihood of significant harm as a result "
            "of increasing risks"
        ),
        lead="lead",
        lead_agency="NCC",
        supporting=("Police", "CCG"),
        target_date=D(2020, 6, 30),
        measure_of_success=(
            "Audits find a strategy meeting held in every case where exploitation risk increased to a "
            "likelihood of significant harm."
        ),
    ),
    ActionSpec(
        "6.2",
        areas=(6,),
        description=(
            "Where strategy meetings are held, ensure there is key professional attendance, and that the "
            "rationale for decision making and explicit meaningful actions are recorded"
        ),
        lead="lead.health",
        lead_agency="CCG",
        supporting=("NCC", "Police", "NHCFT", "CNTW"),
        target_date=D(2020, 9, 30),
        measure_of_success=(
            "Police and health attend at least 90% of strategy meetings, and audits find the rationale and "
            "actions with owners recorded."
        ),
    ),
    ActionSpec(
        "6.3",
        areas=(6,),
        description=(
            "Explore with the police how to introduce the participation of young people, parents and carers "
            "in strategy meetings"
        ),
        lead="lead",
        lead_agency="NCC",
        supporting=("Police",),
        target_date=D(2021, 3, 31),
        measure_of_success=(
            "A model for young people, parents and carers to take part is piloted and their views are "
            "recorded in strategy meeting minutes."
        ),
    ),
    ActionSpec(
        "6.4",
        areas=(6, 7),
        description="Review list of invitees to meetings such as CPCs and MSET",
        lead="lead.safeguarding",
        lead_agency="NCC",
        supporting=("Police", "YOS", "CCG"),
        target_date=D(2020, 6, 30),
        measure_of_success=(
            "Conference and MSET invitation lists include every agency involved with the child, and "
            "attendance records show them attending."
        ),
    ),
    ActionSpec(
        "6.5",
        areas=(6,),
        description=(
            "Develop and implement a process to ensure that actions and outcomes from meetings where children"
            " are discussed are reflected in one plan in CSC's records"
        ),
        lead="lead",
        lead_agency="NCC",
        supporting=("Police",),
        target_date=D(2020, 10, 31),
        measure_of_success=(
            "Audited case records show one plan holding the actions from MSET, strategy meetings and "
            "conferences."
        ),
    ),
    ActionSpec(
        "7.1",
        areas=(7,),
        description="Review Terms of Reference and membership of MSET",
        lead="lead.police",
        lead_agency="Police",
        supporting=("NCC", "CCG", "NCC Education"),
        target_date=D(2020, 6, 30),
        measure_of_success=(
            "Revised terms of reference agreed by the sub-group, with education and health members attending "
            "every MSET meeting."
        ),
    ),
    ActionSpec(
        "7.2",
        areas=(7,),
        description=(
            "Review MSET process and risk assessment toolkit to ensure they focus on a wider range of child "
            "exploitation risks"
        ),
        lead="lead.police",
        lead_agency="Police",
        supporting=("NCC", "YOS"),
        target_date=D(2020, 9, 30),
        measure_of_success=(
            "The revised toolkit scores criminal exploitation, county lines, trafficking and online risks, "
            "and audits find fewer children scored low risk who were in fact at risk."
        ),
    ),
    ActionSpec(
        "7.3",
        areas=(7, 4),
        description="Deliver MSET roadshows to frontline practitioners across the partnership",
        lead="lead.police",
        lead_agency="Police",
        supporting=("NCC", "CCG", "Schools"),
        target_date=D(2020, 4, 30),
        measure_of_success=(
            "Frontline practitioners from every agency attend a roadshow, and MSET referrals for criminal "
            "exploitation increase."
        ),
    ),
    ActionSpec(
        "8.1",
        areas=(8,),
        description=(
            "Complete the review on exclusions and alternative provision and report back to scrutiny and the "
            "NSCC"
        ),
        lead="lead.education",
        lead_agency="NCC Education",
        supporting=("Schools", "YOS"),
        target_date=D(2020, 7, 31),
        measure_of_success=(
            "The review is reported to scrutiny and the NSCC and its recommendations are accepted."
        ),
    ),
    ActionSpec(
        "8.2",
        areas=(8,),
        description="Deliver on exclusions action plan",
        lead="lead.education",
        lead_agency="NCC Education",
        supporting=("Schools", "YOS", "NCC"),
        target_date=D(2021, 3, 31),
        measure_of_success="The rate of permanent exclusions falls towards the regional average.",
    ),
    ActionSpec(
        "8.3",
        areas=(8,),
        description=(
            "Undertake a formal data analysis review to better understand what the local challenges are to "
            "counteract the impact of exclusions, those who are electively home educated and those who go "
            "missing, and report findings to the Board"
        ),
        lead="lead.performance",
        lead_agency="NCC",
        supporting=("NCC Education", "Police", "Schools"),
        target_date=D(2020, 9, 30),
        measure_of_success=(
            "The analysis is reported to the NSCC and its findings are used by the exclusions action plan and"
            " MSET."
        ),
    ),
    ActionSpec(
        "8.4",
        areas=(8,),
        description=(
            "Build on the work of the YOS Management Board to further consider the impact of links between "
            "permanently excluded children and young people and offending"
        ),
        lead="lead.yos",
        lead_agency="YOS",
        supporting=("NCC Education", "Police", "NPS"),
        target_date=D(2020, 12, 31),
        measure_of_success=(
            "The YOS Management Board reviews data on excluded children and offending each quarter and agrees"
            " joint actions with education."
        ),
    ),
    ActionSpec(
        "8.5",
        areas=(8,),
        description=(
            "Implement a model that allows the NSCC to scrutinise the data about the safeguarding of children"
            " who are not in school during normal school hours"
        ),
        lead="lead.performance",
        lead_agency="NCC",
        supporting=("NCC Education", "Schools"),
        target_date=D(2020, 3, 31),
        measure_of_success=(
            "The NSCC receives and challenges a termly report on children not in school during school hours."
        ),
        revised=(D(2020, 12, 31), _NOT_IN_SCHOOL_REVISED),
    ),
]

NORTHUMBERLAND_ROUNDS = [
    RoundSpec(
        "January 2020",
        period_end=D(2020, 1, 31),
        update_deadline=D(2020, 1, 17),
        subgroup_meeting_on=D(2020, 1, 29),
        endorsed=(D(2020, 2, 12), "NSCC, 12 February 2020"),
    ),
    RoundSpec(
        "March 2020",
        period_end=D(2020, 3, 31),
        update_deadline=D(2020, 3, 13),
        subgroup_meeting_on=D(2020, 3, 25),
        endorsed=(D(2020, 4, 15), "NSCC, 15 April 2020"),
    ),
    RoundSpec(
        "May 2020",
        period_end=D(2020, 5, 31),
        update_deadline=D(2020, 5, 15),
        subgroup_meeting_on=D(2020, 5, 27),
        endorsed=(D(2020, 6, 10), "NSCC, 10 June 2020"),
    ),
]

_COVID_GATHERINGS = "COVID-19: no events that gather groups of staff in one place during the lockdown."

# Each action's update in January, March and May 2020. Earlier rounds have more amber; 2.1, 7.3 and 8.2
# slip, the rest improve or hold. May 2020 matches Appendix A: 10 green, 7 yellow, 3 amber, 2 red.
NORTHUMBERLAND_PROGRESS: dict[str, tuple[Progress, ...]] = {
    "1.1": (
        Progress(
            A,
            narrative=(
                "The force intelligence unit has been commissioned to write the criminal exploitation "
                "profile; data requests have gone to health, education and the council. The CSE profile "
                "refresh has not started."
            ),
            evidence="Commissioning note; data request log.",
            next_steps="Draft CCE profile to the sub-group in March; start the CSE profile refresh.",
            barriers="Waiting for partners' data returns, particularly exclusions data.",
        ),
        Progress(
            Y,
            narrative="First drafts of the CCE profile and the refreshed CSE profile have been circulated to "
            "sub-group members for comment.",
            evidence="Draft profiles (restricted); comments log.",
            next_steps=(
                "Take partners' comments in and bring the final versions to the May sub-group for sign-off."
            ),
        ),
        Progress(
            G,
            narrative=(
                "Both profiles are final and are brought to the S&CE sub-group for sign-off, so that there is"
                " a record of partnership agreement."
            ),
            evidence="Final CCE and CSE intelligence profiles (restricted); sub-group minutes.",
            next_steps=(
                "Brief MSET chairs and practitioners on the findings; set a date for the annual refresh."
            ),
        ),
    ),
    "2.1": (
        Progress(
            A,
            narrative=(
                "The strategy has been extended to criminal exploitation in outline, but the action plan and "
                "work programme cannot be finalised until the new profiles are available."
            ),
            evidence="Draft CE & CSE strategy, version 0.3.",
            next_steps=(
                "Align the strategy's priorities with the draft profiles when they reach the sub-group."
            ),
            barriers="Depends on the intelligence profiles (action 1.1).",
        ),
        Progress(
            A,
            narrative=(
                "A task-and-finish group has mapped the draft profiles' findings against the strategy's "
                "priorities. The action plan and work programme are still in draft."
            ),
            evidence="Task-and-finish group notes.",
            next_steps="Update the strategy once the profiles are signed off.",
            barriers="Profiles not yet signed off; the task-and-finish group has paused during the lockdown.",
        ),
        Progress(
            R,
            narrative=(
                "The strategy, action plan and work programme have not yet been updated: they wait for the "
                "CCE and CSE profiles led by Northumbria Police."
            ),
            evidence="Draft strategy; mapping of profile findings to priorities.",
            next_steps=(
                "Can the revised profiles be signed off at S&CE sub group, so that there is a record of "
                "partnership agreement? Then use the CCE and CSE profiles to update the CE & CSE strategy, "
                "action plan and work programme, and agree a revised target date."
            ),
            barriers=(
                "The revised profiles have not yet been signed off at the S&CE sub group, so the strategy "
                "cannot be updated on an agreed partnership picture by the end of June."
            ),
        ),
    ),
    "3.1": (
        Progress(
            Y,
            narrative=(
                "A protocol on reducing the criminalisation of looked after children has been drafted with "
                "the police, the YOS and residential providers."
            ),
            evidence="Draft protocol.",
            next_steps="Agree the protocol at the Corporate Parenting Board and plan the launch.",
        ),
        Progress(
            G,
            narrative=(
                "The Corporate Parenting Board agreed the protocol and it was formally launched with "
                "children's home managers and police neighbourhood teams."
            ),
            evidence="Board minutes; launch briefing and attendance list.",
            next_steps=(
                "Roll out to foster carers and out-of-area providers; start reviewing police call-outs."
            ),
        ),
        Progress(
            G,
            narrative=(
                "Roll-out continues online. Police call-outs to the council's children's homes are reviewed "
                "each month with the home managers."
            ),
            evidence="Monthly call-out reviews; foster carer briefing (online).",
            next_steps="Report the first quarter of call-out data to the sub-group.",
        ),
    ),
    "3.2": (
        Progress(
            A,
            narrative=(
                "Scoping has started on extending the approach beyond looked after children to every child at"
                " risk of exploitation."
            ),
            evidence="Scoping paper to the YOS Management Board.",
            next_steps="Agree the approach with the police and the CPS.",
            barriers="The looked after children protocol (3.1) launches first.",
        ),
        Progress(
            Y,
            narrative=(
                "The YOS Management Board agreed the approach; the police and the YOS now make joint "
                "decisions for children known to MSET who are arrested."
            ),
            evidence="YOS Management Board minutes; joint decision log.",
            next_steps="Write the extended protocol and guidance for custody officers.",
        ),
        Progress(
            G,
            narrative=(
                "The extended protocol is drafted and in use for children known to MSET; custody sergeants "
                "have been briefed."
            ),
            evidence="Draft protocol; custody briefing note; joint decision log.",
            next_steps="Sign-off by the YOS Management Board in July, then extend to every child at risk.",
        ),
    ),
    "3.3": (
        Progress(
            Y,
            narrative=(
                "A detective inspector now reviews every investigation where a child is suspected of being "
                "criminally exploited and sets the investigation plan."
            ),
            evidence="Force policy note; review template.",
            next_steps="Dip-sample investigations to test that direction is recorded.",
        ),
        Progress(
            G,
            narrative=(
                "A dip sample of 20 investigations found management direction recorded in 18, with "
                "prosecution of the adults involved considered in each."
            ),
            evidence="Dip-sample report, March 2020.",
            next_steps="Repeat the dip sample each quarter.",
        ),
        Progress(
            G,
            narrative=(
                "Direction continues to be recorded. The first charges under the Modern Slavery Act have been"
                " brought in a county lines case involving a Northumberland child."
            ),
            evidence="Quarterly dip sample; case summary (restricted).",
            next_steps="Next dip sample in August.",
        ),
    ),
    "4.1": (
        Progress(
            Y,
            narrative=(
                "The exploitation training pathway now covers criminal exploitation and the first "
                "multi-agency courses are booked. Guidance on management oversight is in draft."
            ),
            evidence="Training pathway; course bookings.",
            next_steps="Run the first courses and agree how the training will be evaluated.",
        ),
        Progress(
            Y,
            narrative=(
                "Four multi-agency courses have run, with 86 practitioners. The face-to-face sessions from "
                "late March were cancelled."
            ),
            evidence="Attendance records; course evaluations.",
            next_steps="Move the course online; design a three-month follow-up evaluation.",
            barriers="COVID-19: face-to-face training suspended.",
        ),
        Progress(
            Y,
            narrative=(
                "The course has been converted to e-learning and live webinars: 140 practitioners trained so "
                "far. Management oversight prompts have been added to supervision templates. The evaluation "
                "has started but not yet reported."
            ),
            evidence="E-learning completion report; supervision template.",
            next_steps="Report the evaluation to the sub-group in September.",
            barriers="COVID-19 lockdown prevents the classroom workshops planned for managers.",
        ),
    ),
    "4.2": (
        Progress(
            A,
            narrative=(
                "A task group is planning the campaign for parents, practitioners and education providers and"
                " reviewing neighbouring partnerships' materials."
            ),
            evidence="Task group terms of reference.",
            next_steps="Agree the key messages and a launch date.",
        ),
        Progress(
            A,
            narrative=(
                "Key messages are agreed. The launch planned for the Easter holidays, with workshops in "
                "schools, has been postponed."
            ),
            evidence="Agreed key messages.",
            next_steps="Re-plan the launch for online channels.",
            barriers="COVID-19: schools closed and no group events.",
        ),
        Progress(
            A,
            narrative=(
                "The campaign has been re-planned for digital channels. The parent and school workshops "
                "cannot take place during the lockdown."
            ),
            evidence="Revised campaign plan.",
            next_steps=(
                "Launch the digital materials when schools return in September; hold the workshops when "
                "restrictions allow."
            ),
            barriers=_COVID_GATHERINGS,
        ),
    ),
    "4.3": (
        Progress(
            Y,
            narrative=(
                "A good practice document on teaching about exploitation in PSHE is being written with school"
                " PSHE leads."
            ),
            evidence="Draft outline.",
            next_steps="Consult headteachers.",
        ),
        Progress(
            G,
            narrative=(
                "The document has been sent to every school, with links to teaching resources on criminal "
                "exploitation and county lines."
            ),
            evidence="Good practice document; circulation list.",
            next_steps="Check how it is used through the PSHE leads' network.",
        ),
        Progress(
            G,
            narrative=(
                "Schools are using the document for remote PSHE lessons; the PSHE leads' network reports it "
                "is useful."
            ),
            evidence="PSHE leads' network notes.",
            next_steps="Review the document in the autumn term.",
        ),
    ),
    "5.1": (
        Progress(
            A,
            narrative=(
                "Work on a single multi-agency referral form has started: the agencies' current forms and the"
                " trigger questions for exploitation have been collected."
            ),
            evidence="Mapping of current referral routes.",
            next_steps="Draft the form and test it with agencies.",
        ),
        Progress(
            Y,
            narrative=(
                "The refreshed form, with exploitation trigger questions, has been tested with the police, "
                "health and schools. The relaunch events in March were cancelled."
            ),
            evidence="Refreshed form; test feedback.",
            next_steps="Relaunch online; the sub-group agreed a revised target date of 31 July 2020.",
            barriers="COVID-19: relaunch events cancelled.",
        ),
        Progress(
            Y,
            narrative=(
                "The refreshed form is live on the NSCC website and the relaunch is being delivered through "
                "online briefings."
            ),
            evidence="New form; briefing schedule; first month's use of the form.",
            next_steps="Audit the first 50 referrals made on the new form.",
            barriers="COVID-19: the relaunch workshops have moved online, which has slowed it.",
        ),
    ),
    "6.1": (
        Progress(
            G,
            narrative=(
                "Guidance issued: a strategy meeting must be held where increasing exploitation risks make "
                "significant harm likely. The MASH tracks compliance."
            ),
            evidence="Practice guidance; MASH tracker.",
            next_steps="Audit compliance in March.",
        ),
        Progress(
            G,
            narrative=(
                "The March audit found strategy meetings held in all 24 sampled cases where risk escalated."
            ),
            evidence="Audit report, March 2020.",
            next_steps="Repeat the audit in June.",
        ),
        Progress(
            G,
            narrative="Strategy meetings continue to be held promptly, now online during the lockdown.",
            evidence="MASH performance data, April and May 2020.",
            next_steps="June audit.",
        ),
    ),
    "6.2": (
        Progress(
            A,
            narrative=(
                "Attendance at strategy meetings is now recorded by agency. Police attendance is high; health"
                " attendance is inconsistent."
            ),
            evidence="Attendance data, Q3 2019/20.",
            next_steps="Agree a standard template for recording the rationale and actions.",
        ),
        Progress(
            Y,
            narrative=(
                "A new strategy meeting template, with sections for the rationale and actions, is in use. "
                "Health attendance improved once named nurses joined a rota."
            ),
            evidence="Template; attendance data, Q4 2019/20.",
            next_steps="Audit the quality of recording.",
        ),
        Progress(
            Y,
            narrative=(
                "Online meetings have made attendance easier: police and health attended 78% of strategy "
                "meetings in April and May. The recording audit found the rationale clearly recorded in most "
                "cases."
            ),
            evidence="Attendance data; recording audit.",
            next_steps="Reach 90% attendance; re-audit in August.",
        ),
    ),
    "6.3": (
        Progress(
            A,
            narrative=(
                "First discussion with the police about how young people, parents and carers could take part "
                "in strategy meetings; examples from other areas requested."
            ),
            evidence="Meeting notes.",
            next_steps="Bring options to the sub-group.",
        ),
        Progress(
            A,
            narrative=(
                "An options paper has been drafted (attending part of the meeting, a separate conversation, "
                "an advocate). Advice sought on information sharing."
            ),
            evidence="Draft options paper.",
            next_steps="Agree a pilot with the police.",
        ),
        Progress(
            A,
            narrative=(
                "The pilot has not started: with meetings held online, the police and the council agreed to "
                "wait for a safe way to involve families remotely."
            ),
            evidence="Sub-group minutes.",
            next_steps="Agree a pilot for the autumn.",
            barriers="COVID-19: online meetings make it harder to involve young people safely.",
        ),
    ),
    "6.4": (
        Progress(
            G,
            narrative=(
                "Invitation lists for child protection conferences and MSET reviewed: the YOS, school nurses "
                "and substance misuse services are now invited where exploitation is a factor."
            ),
            evidence="Revised invitation lists.",
            next_steps="Check attendance reflects the new lists.",
        ),
        Progress(
            G,
            narrative=(
                "Conference chairs report the right agencies are invited, and attendance data confirms it."
            ),
            evidence="Conference attendance report.",
            next_steps="Keep under review.",
        ),
        Progress(
            G,
            narrative="No further changes needed; the lists are used for online conferences.",
            evidence="Attendance report, April and May 2020.",
            next_steps="Final review with the sub-group in June.",
        ),
    ),
    "6.5": (
        Progress(
            A,
            narrative=(
                "Mapping shows that actions from MSET, strategy meetings and conferences are recorded in "
                "several places in CSC's records."
            ),
            evidence="Process map.",
            next_steps="Design a single-plan process with the systems team.",
        ),
        Progress(
            A,
            narrative=(
                "The design is agreed; the changes to the case recording system are queued with the supplier."
            ),
            evidence="Agreed design.",
            next_steps="Test the system changes.",
            barriers="Supplier capacity.",
        ),
        Progress(
            Y,
            narrative=(
                "The system change is live: actions from MSET and strategy meetings now flow into the child's"
                " plan. Practice guidance is being finalised."
            ),
            evidence="Screenshots of the child's plan; draft guidance.",
            next_steps="Issue the guidance and audit in September.",
        ),
    ),
    "7.1": (
        Progress(
            Y,
            narrative=(
                "The MSET chairs have reviewed the terms of reference and membership; education and health "
                "members are to be added."
            ),
            evidence="Draft terms of reference.",
            next_steps="Agree at the sub-group.",
        ),
        Progress(
            G,
            narrative="The S&CE sub-group agreed the revised terms of reference and membership.",
            evidence="Agreed terms of reference; sub-group minutes.",
            next_steps="Review after six months.",
        ),
        Progress(
            G,
            narrative=(
                "MSET meetings are running online under the new terms of reference, with full membership."
            ),
            evidence="MSET attendance records.",
            next_steps="Six-month review in September.",
        ),
    ),
    "7.2": (
        Progress(
            A,
            narrative=(
                "The review of the MSET process and risk assessment toolkit has started: the screening tool "
                "is weighted towards sexual exploitation."
            ),
            evidence="Review notes.",
            next_steps="Draft a revised screening tool.",
        ),
        Progress(
            Y,
            narrative=(
                "A revised toolkit has been drafted, covering criminal exploitation, county lines, "
                "trafficking and online risks."
            ),
            evidence="Draft toolkit.",
            next_steps="Test it on live cases.",
        ),
        Progress(
            Y,
            narrative=(
                "The revised toolkit was tested on 15 cases; some children's scores rose from low to medium. "
                "The guidance for practitioners still needs finalising."
            ),
            evidence="Test results.",
            next_steps="Finalise the guidance and launch the toolkit with the roadshows (7.3).",
        ),
    ),
    "7.3": (
        Progress(
            Y,
            narrative=(
                "Six roadshows for frontline practitioners are planned across the county for March and April."
            ),
            evidence="Programme; venues booked.",
            next_steps="Open bookings.",
        ),
        Progress(
            A,
            narrative="The first two roadshows were postponed and no new dates can be set yet.",
            evidence="Postponement notice.",
            next_steps="Reschedule when gatherings are possible.",
            barriers="COVID-19: public health advice on gatherings.",
        ),
        Progress(
            R,
            narrative=(
                "No roadshows have been delivered. Alternative ways of delivering them, such as recorded "
                "sessions and webinars, are being considered."
            ),
            evidence="Cancelled bookings.",
            next_steps="Agree an alternative way of delivering the roadshows and a revised target date.",
            barriers="COVID 19 lockdown has prevented the roadshows taking place",
        ),
    ),
    "8.1": (
        Progress(
            Y,
            narrative=(
                "The review of exclusions and alternative provision is under way: three years' data analysed."
            ),
            evidence="Data pack.",
            next_steps="Finish the interviews with schools and providers.",
        ),
        Progress(
            G,
            narrative="The review is complete and its findings were reported to scrutiny and the NSCC.",
            evidence="Review report; committee and NSCC minutes.",
            next_steps="Turn the recommendations into the exclusions action plan (8.2).",
        ),
        Progress(
            G,
            narrative="The recommendations are accepted and carried by the exclusions action plan.",
            evidence="NSCC minutes.",
            next_steps="Agree a sustainability plan so the sub-group can close the action.",
        ),
    ),
    "8.2": (
        Progress(
            Y,
            narrative="An exclusions action plan has been drafted from the review's early findings.",
            evidence="Draft action plan.",
            next_steps="Agree it with headteachers.",
        ),
        Progress(
            A,
            narrative=(
                "The consultation with headteachers is delayed; some actions depend on schools' behaviour "
                "policies."
            ),
            evidence="Consultation plan.",
            next_steps="Resume the consultation.",
            barriers="Schools closed from 20 March.",
        ),
        Progress(
            A,
            narrative=(
                "Delivery is slipping: with schools closed, the inclusion support and managed moves work "
                "cannot start until September."
            ),
            evidence="Revised timetable.",
            next_steps="Restart the work with schools in September.",
            barriers="COVID-19: school closures.",
        ),
    ),
    "8.3": (
        Progress(
            A,
            narrative=(
                "Data sets identified: exclusions, elective home education, children missing education and "
                "missing episodes."
            ),
            evidence="Data specification.",
            next_steps="Match the records.",
        ),
        Progress(
            A,
            narrative="Matching the records is delayed until an information sharing agreement is signed.",
            evidence="Draft information sharing agreement.",
            next_steps="Sign the agreement.",
            barriers="Information sharing agreement needed.",
        ),
        Progress(
            Y,
            narrative=(
                "The analysis is complete: a small group of children appear in the exclusions, home education"
                " and missing data. The report to the Board is being finalised."
            ),
            evidence="Draft analysis.",
            next_steps="Report to the NSCC in July.",
        ),
    ),
    "8.4": (
        Progress(
            G,
            narrative=(
                "The YOS Management Board has a standing item on permanently excluded children and offending."
            ),
            evidence="Board agenda and minutes.",
            next_steps="Receive joint YOS and education data.",
        ),
        Progress(
            G,
            narrative="The Board received joint data on permanently excluded children known to the YOS.",
            evidence="Data report.",
            next_steps="Agree joint actions.",
        ),
        Progress(
            G,
            narrative=(
                "Joint actions agreed with education, including an early intervention offer for excluded "
                "pupils at risk."
            ),
            evidence="Board minutes.",
            next_steps="Report the impact to the sub-group in the autumn.",
        ),
    ),
    "8.5": (
        Progress(
            R,
            narrative=(
                "Little progress: the performance team has not been able to design the model, and the March "
                "target date cannot be met."
            ),
            evidence="None yet.",
            next_steps="Agree the scope with the NSCC business manager and propose a revised target date.",
            barriers="Capacity in the performance team.",
        ),
        Progress(
            A,
            narrative=(
                "The scope has been widened to all children not in school during school hours; the sub-group "
                "agreed a revised target date of 31 December 2020."
            ),
            evidence="Scope paper.",
            next_steps="Design the report.",
        ),
        Progress(
            Y,
            narrative=(
                "Model agreed: a termly report to the NSCC on exclusions, part-time timetables, elective home"
                " education and children missing education. The first report is being built."
            ),
            evidence="Report specification.",
            next_steps="First report to the NSCC in September.",
        ),
    ),
}

NORTHUMBERLAND_CHALLENGES = {
    ("7.3", "March 2020"): Challenge(
        Y, "The roadshows have been postponed with no new dates: the timescale has started to slip, so amber."
    ),
    ("1.1", "May 2020"): Challenge(
        Y, "The sub-group signed off both profiles at this meeting, so the action is on track: green."
    ),
    ("2.1", "May 2020"): Challenge(
        A,
        "The target date is the end of June and the strategy cannot be updated, consulted on and agreed by "
        "then: within two months and unachievable, so red.",
    ),
    ("6.2", "May 2020"): Challenge(
        G,
        "Attendance is improving but is still short of the 90% target, and the recording audit found some "
        "actions without an owner: yellow until the August re-audit.",
    ),
}

NORTHUMBERLAND_MEASURES = [
    MeasureSpec(
        "Strategy meetings with police and health attendance",
        "Share of strategy meetings for children at risk of exploitation attended by both police and health. "
        "Illustrative figures for the demo, not Northumberland's data.",
        ImpactMeasure.Unit.PERCENT,
        Decimal(62),
        Decimal(90),
        (
            ("Q3 2019/20", D(2019, 12, 31), Decimal(64)),
            ("Q4 2019/20", D(2020, 3, 31), Decimal(71)),
            ("Q1 2020/21", D(2020, 6, 30), Decimal(78)),
        ),
    ),
    MeasureSpec(
        "MSET referrals for criminal exploitation",
        "Share of children referred to MSET whose main risk is criminal rather than sexual exploitation. "
        "Illustrative figures for the demo, not Northumberland's data.",
        ImpactMeasure.Unit.PERCENT,
        Decimal(18),
        Decimal(40),
        (
            ("Q3 2019/20", D(2019, 12, 31), Decimal(21)),
            ("Q4 2019/20", D(2020, 3, 31), Decimal(29)),
            ("Q1 2020/21", D(2020, 6, 30), Decimal(33)),
        ),
    ),
]

NORTHUMBERLAND = PartnershipDemo(
    name="Northumberland Safeguarding Children Partnership",
    local_authority="Northumberland County Council",
    board_name="Northumberland Safeguarding Children Committee (NSCC)",
    email_domain="northumberland.demo.invalid",
    agencies=NORTHUMBERLAND_AGENCIES,
    people=NORTHUMBERLAND_PEOPLE,
    inspection=NORTHUMBERLAND_INSPECTION,
    findings=[
        (STRENGTH, n, text, OPERATION_ENDEAVOR_CASE_STUDY if n == OPERATION_ENDEAVOR_STRENGTH else "")
        for n, text in enumerate(NORTHUMBERLAND_STRENGTHS, start=1)
    ]
    + [(IMPROVEMENT, n, text, "") for n, text in enumerate(NORTHUMBERLAND_AREAS, start=1)],
    plan_title="JTAI action plan: child exploitation",
    actions=NORTHUMBERLAND_ACTIONS,
    rounds=NORTHUMBERLAND_ROUNDS,
    cadence=MonitoringRound.Cadence.QUARTERLY,
    chair="chair",
    progress=NORTHUMBERLAND_PROGRESS,
    challenges=NORTHUMBERLAND_CHALLENGES,
    measures=NORTHUMBERLAND_MEASURES,
    open_round=RoundSpec(
        "August 2020",
        period_end=D(2020, 8, 31),
        update_deadline=D(2020, 8, 14),
        subgroup_meeting_on=D(2020, 8, 26),
        endorsed=None,
    ),
    open_round_left_to=("lead",),
)


# ---------------------------------------------------------------------------------------------------
# Halton: a second, smaller partnership, so that isolation and per-partnership wording can be seen
# ---------------------------------------------------------------------------------------------------

HALTON = PartnershipDemo(
    name="Halton Children and Young People Safeguarding Partnership",
    local_authority="Halton Borough Council",
    board_name="Halton Children and Young People Safeguarding Partnership (HCYPSP)",
    email_domain="halton.demo.invalid",
    agencies=[
        AgencySpec("HBC", "Halton Borough Council children's services", Agency.Kind.COUNCIL),
        AgencySpec("Police", "Cheshire Constabulary", Agency.Kind.POLICE),
        AgencySpec("CCG", "NHS Halton CCG", Agency.Kind.HEALTH),
    ],
    people=[
        PersonSpec("halton.manager", "Nadia", "Hussain", MANAGER, "HBC", "Partnership business manager"),
        PersonSpec(
            "halton.chair", "Philip", "Doyle", CHAIR, "Police",
            "Detective Chief Inspector, public protection; chair of the child exploitation sub-group",
        ),
        PersonSpec("halton.lead", "Emma", "Whitfield", LEAD, "HBC", "Divisional manager, child exploitation"),
    ],
    inspection={
        "kind": Inspection.Kind.JTAI,
        "theme": "Child exploitation",
        "inspectorates": ["ofsted", "cqc", "hmicfrs", "hmip"],
        "fieldwork_start": D(2019, 7, 8),
        "fieldwork_end": D(2019, 7, 12),
        # Not in the report: 70 working days before the plan was due, as for Northumberland.
        "letter_published": D(2019, 8, 23),
        "plan_due": D(2019, 12, 2),
        "plan_submitted": D(2019, 12, 2),
        "plan_endorsed": None,
        "status": Inspection.Status.MONITORING,
    },
    findings=[
        (
            STRENGTH,
            1,
            "Senior leaders in the Halton local area partnership have a clear vision and strong commitment "
            "to working together to meet the needs of vulnerable children.",
            (
                "The effective multi-agency response to reducing risk and improving safety for children and "
                "young people following the death of a young person as a result of knife crime."
            ),
        ),
        (
            IMPROVEMENT,
            1,
            (
                "The quality of multi-agency risk assessment for children at risk of criminal exploitation is"
                " variable."
            ),
            "",
        ),
        (
            IMPROVEMENT,
            2,
            "Information from return home interviews is not consistently shared with partners or used in "
            "safety planning.",
            "",
        ),
    ],
    plan_title="JTAI written statement of action: child exploitation",
    actions=[
        ActionSpec(
            "1.1",
            areas=(1,),
            description=(
                "Introduce one multi-agency risk assessment tool for every form of child exploitation"
            ),
            lead="halton.lead",
            lead_agency="HBC",
            supporting=("Police", "CCG"),
            target_date=D(2020, 9, 30),
            measure_of_success=(
                "Every agency uses the tool and audits find risk of criminal exploitation assessed."
            ),
        ),
        ActionSpec(
            "1.2",
            areas=(1,),
            description=(
                "Audit the quality of exploitation risk assessments each quarter and report to the "
                "partnership"
            ),
            lead="halton.manager",
            lead_agency="HBC",
            supporting=("Police", "CCG"),
            target_date=D(2020, 12, 31),
            measure_of_success=(
                "Quarterly audits reported to the partnership show risk assessments improving."
            ),
        ),
        ActionSpec(
            "2.1",
            areas=(2,),
            description="Share return home interview information with the police and health within 72 hours",
            lead="halton.lead",
            lead_agency="HBC",
            supporting=("Police", "CCG"),
            target_date=D(2020, 6, 30),
            measure_of_success=(
                "Return home interview information reaches the police and health within 72 hours in 90% of "
                "cases."
            ),
        ),
    ],
    rounds=[
        RoundSpec(
            "Q4 2019/20",
            period_end=D(2020, 3, 31),
            update_deadline=D(2020, 3, 13),
            subgroup_meeting_on=D(2020, 3, 26),
            endorsed=None,
        )
    ],
    cadence=MonitoringRound.Cadence.QUARTERLY,
    chair="halton.chair",
    progress={
        "1.1": (
            Progress(
                G,
                narrative=(
                    "The tool is agreed by all three agencies and training for practitioners has started."
                ),
                evidence="Agreed tool; training schedule.",
                next_steps="Launch the tool in April.",
            ),
        ),
        "1.2": (
            Progress(
                Y,
                narrative="The audit tool is ready; the first audit was delayed by a month.",
                evidence="Audit tool.",
                next_steps="Complete the first audit and report it in June.",
            ),
        ),
        "2.1": (
            Progress(
                A,
                narrative="Information sharing with the police is in place; health is not yet receiving it.",
                evidence="Information sharing agreement (draft).",
                next_steps="Agree a secure route to health.",
                barriers="No secure email route to health yet.",
            ),
        ),
    },
    wording={
        Quadrant.COMPLETE: ("Blue", "Complete: evidenced and sustained, agreed by the partnership"),
        Quadrant.GREEN: ("Green", "On track to be delivered by the target date"),
        Quadrant.YELLOW: ("Amber-green", "Mostly on track, some slippage that the lead can recover"),
        Quadrant.AMBER: ("Amber-red", "At risk: significant slippage, needs the sub-group's attention"),
        Quadrant.RED: ("Red", "Off track: will not be delivered without the partnership's help"),
    },
)

DEMOS = [NORTHUMBERLAND, HALTON]

# fmt: on


# ---------------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    name: str
    partnership: str


@dataclass(frozen=True)
class DemoSummary:
    """Counts of what the two demo partnerships hold after the load, and the logins to try."""

    partnerships: int
    agencies: int
    people: int
    findings: int
    actions: int
    rounds: int
    updates: int
    impact_measures: int
    logins: tuple[DemoLogin, ...]
    password: str = PASSWORD

    def counts(self) -> dict[str, int]:
        return {
            "partnerships": self.partnerships,
            "agencies": self.agencies,
            "people": self.people,
            "findings": self.findings,
            "actions": self.actions,
            "rounds": self.rounds,
            "updates": self.updates,
            "impact measures": self.impact_measures,
        }


@transaction.atomic
def load_demo() -> DemoSummary:
    """Create the demo partnerships, or bring them back to the demo's values. Safe to run again."""
    passwords = _DemoPassword()
    partnerships = [_load_partnership(demo, passwords) for demo in DEMOS]
    return _summarise(partnerships)


def _load_partnership(demo: PartnershipDemo, passwords: _DemoPassword) -> Partnership:
    partnership = _sync(
        Partnership,
        {"name": demo.name},
        {"local_authority": demo.local_authority, "board_name": demo.board_name},
    )
    agencies = {
        a.short: _sync(
            Agency,
            {"partnership": partnership, "name": a.name},
            {"short_name": a.short, "kind": a.kind, "active": True},
        )
        for a in demo.agencies
    }
    people: dict[str, Person] = {}
    for spec in demo.people:
        people[spec.username] = _sync_person(partnership, agencies, spec, demo.email_domain, passwords)
    chair = people[demo.chair]

    inspection_keys = {"partnership": partnership, "kind": demo.inspection["kind"]}
    inspection_keys["fieldwork_start"] = demo.inspection["fieldwork_start"]
    inspection = _sync(
        Inspection,
        inspection_keys,
        {k: v for k, v in demo.inspection.items() if k not in inspection_keys},
    )
    findings = {
        (kind, number): _sync(
            Finding,
            {"inspection": inspection, "kind": kind, "number": number},
            {"text": text, "case_study": case_study},
        )
        for kind, number, text, case_study in demo.findings
    }

    plan = _sync(
        ActionPlan,
        {"inspection": inspection},
        {"title": demo.plan_title, "status": ActionPlan.Status.ACTIVE, "signed_off_on": None},
    )
    actions = {}
    for position, spec in enumerate(demo.actions, start=1):
        revised_date, revised_reason = spec.revised or (None, "")
        action = _sync(
            Action,
            {"plan": plan, "reference": spec.reference},
            {
                "position": position,
                "description": spec.description,
                "lead": people[spec.lead],
                "lead_agency": agencies[spec.lead_agency],
                "target_date": spec.target_date,
                "revised_target_date": revised_date,
                "revised_target_reason": revised_reason,
                "revised_target_agreed_by": chair if spec.revised else None,
                "measure_of_success": spec.measure_of_success,
                "sustainability_plan": "",
                "completed_on": None,
            },
        )
        # set() adds and removes only the difference, so an unchanged action records no history.
        action.areas.set([findings[(IMPROVEMENT, number)] for number in spec.areas])
        action.supporting_agencies.set([agencies[short] for short in spec.supporting])
        actions[spec.reference] = action

    for index, round_spec in enumerate(demo.rounds):
        _load_round(demo, plan, index, round_spec, actions, people, chair)
    if demo.open_round:
        _load_open_round(demo, plan, demo.open_round, actions, people)

    for position, measure_spec in enumerate(demo.measures, start=1):
        measure = _sync(
            ImpactMeasure,
            {"plan": plan, "name": measure_spec.name},
            {
                "description": measure_spec.description,
                "unit": measure_spec.unit,
                "baseline": measure_spec.baseline,
                "target": measure_spec.target,
                "higher_is_better": True,
                "position": position,
            },
        )
        for label, period_end, value in measure_spec.values:
            _sync(
                ImpactValue,
                {"measure": measure, "period_end": period_end},
                {"period_label": label, "value": value},
            )

    for quadrant, (label, description) in demo.wording.items():
        _sync(
            QuadrantWording,
            {"partnership": partnership, "quadrant": quadrant},
            {"label": label, "description": description},
        )
    return partnership


def _load_round(
    demo: PartnershipDemo,
    plan: ActionPlan,
    index: int,
    spec: RoundSpec,
    actions: dict[str, Action],
    people: dict[str, Person],
    chair: Person,
) -> None:
    endorsed_on, meeting = spec.endorsed or (None, "")
    monitoring_round = _sync(
        MonitoringRound,
        {"plan": plan, "label": spec.label},
        {
            "period_end": spec.period_end,
            "update_deadline": spec.update_deadline,
            "state": MonitoringRound.State.ENDORSED if spec.endorsed else MonitoringRound.State.AGREED,
            "cadence": demo.cadence,
            "subgroup_meeting_on": spec.subgroup_meeting_on,
            "endorsed_on": endorsed_on,
            "endorsement_meeting": meeting,
        },
    )
    for n, action_spec in enumerate(demo.actions):
        progress = demo.progress[action_spec.reference][index]
        challenge = demo.challenges.get((action_spec.reference, spec.label))
        lead = people[action_spec.lead]
        # Leads submit over the last few days before the deadline; the chair agrees at the meeting.
        submitted_on = spec.update_deadline - datetime.timedelta(days=n % 4)
        _sync(
            Update,
            {"action": actions[action_spec.reference], "round": monitoring_round},
            {
                "status": Update.Status.AGREED,
                "narrative": progress.narrative,
                "evidence": progress.evidence,
                "barriers": progress.barriers,
                "next_steps": progress.next_steps,
                "proposed_quadrant": challenge.proposed if challenge else progress.quadrant,
                "submitted_by": lead,
                "submitted_at": _at(submitted_on, 9 + n % 8, 5 * (n % 12)),
                "agreed_quadrant": progress.quadrant,
                "agreed_reason": challenge.reason if challenge else "",
                "agreed_by": chair,
                "agreed_at": _at(spec.subgroup_meeting_on, 10 + n // 12, 4 * (n % 12)),
            },
        )


def _load_open_round(
    demo: PartnershipDemo,
    plan: ActionPlan,
    spec: RoundSpec,
    actions: dict[str, Action],
    people: dict[str, Person],
) -> None:
    """The round after the last agreed one, open for updates: most leads have submitted, some are drafting.

    The demo's own "lead" user has written nothing yet, so a visitor signing in as them has updates to do;
    the chair can sense-check the submitted ones straight away.
    """
    monitoring_round = _sync(
        MonitoringRound,
        {"plan": plan, "label": spec.label},
        {
            "period_end": spec.period_end,
            "update_deadline": spec.update_deadline,
            "state": MonitoringRound.State.OPEN,
            "cadence": demo.cadence,
            "subgroup_meeting_on": None,
            "endorsed_on": None,
            "endorsement_meeting": "",
        },
    )
    for n, action_spec in enumerate(demo.actions):
        if action_spec.lead in demo.open_round_left_to:
            continue
        latest = demo.progress[action_spec.reference][-1]
        steps = latest.next_steps.rstrip(".")
        drafting = n % 5 == 4
        lead = people[action_spec.lead]
        _sync(
            Update,
            {"action": actions[action_spec.reference], "round": monitoring_round},
            {
                "status": Update.Status.DRAFT if drafting else Update.Status.SUBMITTED,
                "narrative": f"Since May we have worked to the next steps agreed then: {steps[:1].lower()}{steps[1:]}.",
                "evidence": latest.evidence,
                "barriers": latest.barriers,
                "next_steps": "Report the outcome to the sub-group in the next round.",
                "proposed_quadrant": latest.quadrant,
                "submitted_by": None if drafting else lead,
                "submitted_at": None if drafting else _at(spec.update_deadline - datetime.timedelta(days=n % 5), 11, 0),
                "agreed_quadrant": "",
                "agreed_reason": "",
                "agreed_by": None,
                "agreed_at": None,
            },
        )


def _sync_person(
    partnership: Partnership,
    agencies: dict[str, Agency],
    spec: PersonSpec,
    email_domain: str,
    passwords: _DemoPassword,
) -> Person:
    user_model = get_user_model()
    user = user_model.objects.filter(username=spec.username).first()
    if user is None:
        user = user_model(username=spec.username)
    else:
        owner = Person.objects.filter(user=user).select_related("partnership").first()
        if owner is None or owner.partnership.name not in {demo.name for demo in DEMOS}:
            raise DemoConflict(
                f'The username "{spec.username}" already belongs to someone outside the demo partnerships; '
                "the demo will not take it over. Rename or remove that user first."
            )
    changed = user.pk is None
    for name, value in {
        "first_name": spec.first_name,
        "last_name": spec.last_name,
        "email": f"{spec.username}@{email_domain}",
        "is_active": True,
        "is_staff": False,
        "is_superuser": False,
    }.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed = True
    if not passwords.matches(user.password):
        user.password = passwords.encoded()
        changed = True
    if changed:
        user.full_clean()
        user.save()
    return _sync(
        Person,
        {"user": user},
        {
            ("partnership"): partnership,
            ("agency"): agencies[spec.agency],
            ("role"): spec.role,
            ("job_title"): spec.job_title,
        },
    )


class _DemoPassword:
    """The demo password, hashed once per load and checked once per stored hash.

    Hashing is deliberately slow; fifteen users each hashed and checked separately would make the load
    take seconds. Users created in the same load share one hash of the (published) demo password.
    """

    def __init__(self) -> None:
        self._encoded: str | None = None
        self._checked: dict[str, bool] = {}

    def encoded(self) -> str:
        if self._encoded is None:
            self._encoded = make_password(PASSWORD)
            self._checked[self._encoded] = True
        return self._encoded

    def matches(self, encoded: str) -> bool:
        if encoded not in self._checked:
            self._checked[encoded] = check_password(PASSWORD, encoded)
        return self._checked[encoded]


def _sync(model: type[models.Model], keys: dict[str, Any], values: dict[str, Any]) -> Any:
    """The row with these natural ``keys``, created or brought to ``values``; saved only if it differs.

    Saving only on a difference keeps a second run free of new history records. A changed ``Update``
    has its ``version`` bumped, so a form opened before the reset cannot silently overwrite it.
    """
    obj = model._default_manager.filter(**keys).first()
    created = obj is None
    if created:
        obj = model(**keys)
    changed = created
    for name, value in values.items():
        field_ = model._meta.get_field(name)
        if field_.is_relation:
            differs = getattr(obj, field_.attname) != (value.pk if value is not None else None)
        else:
            differs = getattr(obj, name) != value
        if differs:
            setattr(obj, name, value)
            changed = True
    if changed:
        if not created and isinstance(obj, Update):
            obj.version += 1
        obj.full_clean()
        obj.save()
    return obj


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    """A time on ``day`` in the project's time zone (UK local time)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _summarise(partnerships: list[Partnership]) -> DemoSummary:
    def count(model: type[models.Model]) -> int:
        return sum(model.objects.for_partnership(p).count() for p in partnerships)

    people = Person.objects.filter(partnership__in=partnerships).select_related("user", "partnership")
    demo_usernames = [p.username for demo in DEMOS for p in demo.people]
    by_username = {person.user.username: person for person in people}
    logins = tuple(
        DemoLogin(
            username=username,
            role=by_username[username].get_role_display(),
            name=by_username[username].name,
            partnership=by_username[username].partnership.name,
        )
        for username in demo_usernames
    )
    return DemoSummary(
        partnerships=len(partnerships),
        agencies=count(Agency),
        people=count(Person),
        findings=count(Finding),
        actions=count(Action),
        rounds=count(MonitoringRound),
        updates=count(Update),
        impact_measures=count(ImpactMeasure),
        logins=logins,
    )
