"""The demo: two safeguarding partnerships with a JTAI, its findings, an action plan and its rounds.

What the demo holds is data, one TOML file per partnership in ``demo/data/`` (read and checked by
:mod:`demo.spec`; each file says where its content comes from). This module writes it to the database.

How it writes
-------------
A row the demo creates goes through the same service as a row created any other way, so the same
rules hold: ``people.services.person_create`` (with the demo password, which the password validators
check as they check anyone's), ``inspections.services`` ``agency_create``, ``inspection_create`` (which
creates the plan too) and ``finding_create``, and ``actions.services`` ``action_create``,
``round_create``, ``impact_measure_create``, ``impact_value_record`` and ``quadrant_wording_save``.

Some of the demo is the past, and no service writes the past: the services that move a round on, or
submit and agree an update, do it now and for the signed-in person. So the rounds are created as
drafts by ``round_create`` and then given their 2020 state, sub-group meeting and endorsement
directly; the leads' updates, submitted and agreed on dates in 2020, are written directly; so are the
partnership (no service creates one) and what no create service sets (an action's revised target
date, which the chair agreed). There is no service for back-dating yet. Whatever the demo writes names in
its history the person its data says did it, as a service would: the manager adds the actions, each lead
writes their update, the chair agrees it.

Dates: the record stays, the live plan moves
--------------------------------------------
A file's dates are 2020's, and a demo loaded years later must still look like a partnership at work
(a round open for updates, actions due in the coming months), while the rounds the board endorsed
keep what they said (Northumberland's May 2020 round is Appendix A: 10 green, 7 yellow, 3 amber,
2 red). So a file with an open round is loaded moved by one whole number of months, :func:`months_to_now`:
the fewest that put the open round's update deadline at least :data:`LEAD_TIME` after the day of the
load. Its period then ends this month (June 2020 becomes this month, updates due a week after) and
the round is renamed for that month. What moves, by those months (:func:`shift`), is the live plan:
the open round's dates and label, and every action's target date and revised target date, so each
action is as near to or as far past its target date today as it was in the file's open round; the
open round's updates are submitted over the few days before the load. What stays is the record:
the agreed rounds (the spec requires them to be endorsed when there is an open round), their updates,
the inspection and the impact measures' values. An endorsed round's snapshot, what the board
endorsed, is written from the file's own target dates (:meth:`_PartnershipLoad.freeze_endorsed`), so
its board, report and exports show the target dates and the flags of its day. A file without an
open round (Halton) is loaded as it is. A further source (``[[sources]]``: Northumberland's rapid review)
is the partnership's recent work, not its record: every date it gives moves by the same months
(:meth:`_PartnershipLoad.load_source`), its endorsed round's snapshot is written with them, and its rounds
are found by label (the open one as above). Loaded in a later month, the open round (found by its period
end moved by whole months and that month's label) is moved again, keeping its primary key and updates.

How it stays idempotent
-----------------------
Every row is found on its natural key (partnership name; agency name; username; inspection kind and
fieldwork start, a further source's kind and name; finding kind and number; action reference; round
label, the open round's moved by whole months; action and round; measure name; value period end;
quadrant). A row that is not there is created as above. A row that is there
is brought back to the demo's values by the loader's own step, :func:`_reset`, which saves only when a
value differs: the services' update functions save, and record history, every time they are called,
and they set only what a person may change on a form. So:

* running ``load_demo`` twice on one day gives the same rows, the same primary keys (links keep working) and no
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

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from actions.models import Action, ActionPlan, ImpactMeasure, MonitoringRound, Update
from actions.services import (
    action_create,
    impact_measure_create,
    impact_value_record,
    quadrant_wording_save,
    round_create,
    round_snapshot,
)
from demo.spec import (
    DATA,
    ActionSpec,
    OpenRoundSpec,
    PartnershipDemo,
    PersonSpec,
    RoundSpec,
    SourceDemo,
    month_label,
    read_demo,
)
from inspections.models import KINDS_NEEDING_ACTION, Agency, Finding, Inspection, Partnership
from inspections.services import agency_create, finding_create, inspection_create
from jtai_tracker.writes import attribute
from people.models import Person
from people.services import person_create
from reports.frozen import frozen_record_load, frozen_record_save
from reports.logos import Logo
from reports.services import report_style_save

#: The inspection's own dates, moved for a source (:meth:`_PartnershipLoad.load_source`).
DATED_FIELDS = ("fieldwork_start", "fieldwork_end", "letter_published", "plan_due", "plan_submitted", "plan_endorsed")

#: The password of every demo login. Printed by ``manage.py load_demo``: never use it for real data.
PASSWORD = "Demo-tracker-2026"

#: How long before its update deadline the open round is, at least, on the day of the load.
LEAD_TIME = datetime.timedelta(days=7)

#: The demo partnerships, in the order they are loaded and their logins listed.
DEMOS: list[PartnershipDemo] = [read_demo(DATA / name) for name in ("northumberland.toml", "halton.toml")]


class DemoConflict(Exception):
    """The database holds something the demo must not overwrite (e.g. a real user called "manager")."""


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
    #: Each open round: (partnership, label, update deadline).
    open_rounds: tuple[tuple[str, str, datetime.date], ...] = ()
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
def load_demo(today: datetime.date | None = None) -> DemoSummary:
    """Create the demo partnerships, or bring them back to the demo's values, live on ``today`` (default: today).

    Safe to run again.
    """
    passwords = _DemoPassword()
    today = today or timezone.localdate()
    loads = [_PartnershipLoad(demo, passwords, today) for demo in DEMOS]
    for load in loads:
        load.run()
    _support_account(passwords)
    _monitor_account(passwords, loads)
    return _summarise(loads)


#: The demo's support staff account (onboarding.services): sets partnerships up, sees none of their plans.
SUPPORT_USERNAME = "support"


def _support_account(passwords: _DemoPassword) -> None:
    from onboarding.services import support_user_create

    user = get_user_model().objects.filter(username=SUPPORT_USERNAME).first() or support_user_create(
        username=SUPPORT_USERNAME, email="support@service.example.org", first_name="Demo", last_name="Support"
    )
    user.password = passwords.hash(PASSWORD)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])


#: The demo's outside monitor (monitors/): an inspector with no place in a partnership, given plans in two.
MONITOR_USERNAME = "monitor"
MONITOR_ORGANISATION = "Ofsted inspector"


def _monitor_account(passwords: _DemoPassword, loads: list[_PartnershipLoad]) -> None:
    """The outside monitor, given every plan of each demo partnership by its manager: Northumberland's JTAI and
    Child H plans (endorsed rounds and a published report to read) and Halton's (no round endorsed yet)."""
    from monitors.models import MonitorAccess

    user = get_user_model().objects.filter(username=MONITOR_USERNAME).first() or get_user_model()(
        username=MONITOR_USERNAME
    )
    user.first_name, user.last_name = "Helen", "Ashworth"
    user.email = "helen.ashworth@inspector.example.org"
    user.password = passwords.hash(PASSWORD)
    user.is_active = True
    user.save()
    for load in loads:
        for plan in ActionPlan.objects.for_partnership(load.partnership).order_by("pk"):
            if MonitorAccess.objects.filter(user=user, plan=plan).current().exists():
                continue
            access = MonitorAccess(user=user, plan=plan, organisation=MONITOR_ORGANISATION, invited_by=load.manager)
            access._history_user = load.manager.user
            access._change_reason = "Access given"
            access.save()


def shift(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole ``months``: the last day of a month stays the last, any other day is kept if it can be."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return datetime.date(year, month + 1, last)
    return datetime.date(year, month + 1, min(day.day, last))


def months_to_now(open_round: OpenRoundSpec, today: datetime.date) -> int:
    """The fewest whole months that put the open round's update deadline at least :data:`LEAD_TIME` after ``today``."""
    deadline = open_round.update_deadline
    months = (today.year - deadline.year) * 12 + today.month - deadline.month - 1
    while shift(deadline, months) < today + LEAD_TIME:
        months += 1
    return months


class _PartnershipLoad:
    """One partnership's file written to the database, in the order its rows refer to each other."""

    def __init__(self, demo: PartnershipDemo, passwords: _DemoPassword, today: datetime.date):
        self.demo, self.passwords, self.today = demo, passwords, today
        #: How far the live plan moves (module docstring, "Dates"): nothing without an open round.
        self.months = months_to_now(demo.open_round, today) if demo.open_round else 0

    def live(self, day: datetime.date | None) -> datetime.date | None:
        """A date of the live plan, moved to the day of the load."""
        return shift(day, self.months) if day else None

    def run(self) -> Partnership:
        demo = self.demo
        partnership = Partnership.objects.filter(name=demo.name).first() or Partnership(name=demo.name)
        self.partnership = _reset(partnership, {"local_authority": demo.local_authority, "board_name": demo.board_name})
        self.load_agencies()
        self.load_people()
        self.load_inspection()
        self.load_actions()
        agreed = [self.load_agreed_round(index, round_spec) for index, round_spec in enumerate(demo.rounds)]
        self.freeze_endorsed([monitoring_round for monitoring_round in agreed if monitoring_round.is_endorsed])
        self.open_round = None
        if demo.open_round:
            self.open_round = self.load_open_round(demo.open_round)
        for source in demo.sources:
            self.load_source(source)
        self.load_measures()
        if demo.wording:
            # Saves only the quadrants whose wording differs, so it is safe on every run.
            quadrant_wording_save(partnership=self.partnership, by=None, wording=demo.wording)
        if demo.report_style:
            self.load_report_style()
        return self.partnership

    def load_report_style(self) -> None:
        spec = self.demo.report_style
        report_style_save(
            partnership=self.partnership,
            by=None,
            fields={"council_name": spec.council_name, "body_size": spec.body_size},
            defaults=spec.defaults,
            logo=Logo(spec.logo, spec.logo_type) if spec.logo else None,
            logo_name=spec.logo_name,
            remove_logo=not spec.logo,
        )

    def load_agencies(self) -> None:
        existing = _by_key(Agency.objects.filter(partnership=self.partnership), "name")
        self.agencies: dict[str, Agency] = {}
        for spec in self.demo.agencies:
            fields = {"name": spec.name, "short_name": spec.short, "kind": spec.kind}
            agency = existing.get(spec.name) or agency_create(partnership=self.partnership, by=None, fields=fields)
            self.agencies[spec.short] = _reset(agency, {**fields, "active": True})

    def load_people(self) -> None:
        usernames = [spec.username for spec in self.demo.people]
        users = _by_key(get_user_model().objects.filter(username__in=usernames), "username")
        owners = _by_key(Person.objects.filter(user__in=users.values()).select_related("partnership"), "user_id")
        demo_partnerships = {demo.name for demo in DEMOS}
        self.people: dict[str, Person] = {}
        for spec in self.demo.people:
            user = users.get(spec.username)
            if user is None:
                self.people[spec.username] = self.create_person(spec)
                continue
            owner = owners.get(user.pk)
            if owner is None or owner.partnership.name not in demo_partnerships:
                raise DemoConflict(
                    f'The username "{spec.username}" already belongs to someone outside the demo partnerships; '
                    "the demo will not take it over. Rename or remove that user first."
                )
            account = {
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": self.email(spec),
                "is_active": True,
                "is_staff": False,
                "is_superuser": False,
            }
            if not self.passwords.matches(user.password):
                account["password"] = self.passwords.hash(PASSWORD)
            _reset(user, account)
            self.people[spec.username] = _reset(
                owner,
                {
                    "partnership": self.partnership,
                    "agency": self.agencies[spec.agency],
                    "role": spec.role,
                    "job_title": spec.job_title,
                },
            )
        self.chair = self.people[self.demo.chair]
        #: Who the demo's plan was written by: its partnership manager (the first, if several).
        self.manager = next(
            (self.people[spec.username] for spec in self.demo.people if spec.role == Person.Role.MANAGER), None
        )

    def create_person(self, spec: PersonSpec) -> Person:
        try:
            return person_create(
                partnership=self.partnership,
                by=None,
                first_name=spec.first_name,
                last_name=spec.last_name,
                agency=self.agencies[spec.agency],
                role=spec.role,
                email=self.email(spec),
                username=spec.username,
                job_title=spec.job_title,
                password=PASSWORD,
                hash_password=self.passwords.hash,
            )
        except ValidationError as exc:
            # Another account has this username in other letters, or this email address.
            raise DemoConflict(f'The demo cannot create the user "{spec.username}": {" ".join(exc.messages)}') from exc

    def email(self, spec: PersonSpec) -> str:
        return f"{spec.username}@{self.demo.email_domain}"

    def load_inspection(self) -> None:
        demo = self.demo
        keys = {"kind": demo.inspection["kind"], "fieldwork_start": demo.inspection["fieldwork_start"]}
        inspection = Inspection.objects.filter(partnership=self.partnership, **keys).first()
        if inspection is None:
            inspection = inspection_create(
                partnership=self.partnership, by=None, fields=demo.inspection, plan_title=demo.plan_title
            )
        self.inspection = _reset(inspection, demo.inspection)
        plan = ActionPlan.objects.filter(inspection=inspection).first() or ActionPlan(inspection=inspection)
        self.plan = _reset(plan, {"title": demo.plan_title, "status": ActionPlan.Status.ACTIVE, "signed_off_on": None})

        existing = _by_key(Finding.objects.filter(inspection=inspection), "kind", "number")
        self.areas: dict[int, Finding] = {}
        for spec in demo.findings:
            finding = existing.get((spec.kind, spec.number)) or finding_create(
                inspection=inspection,
                by=None,
                kind=spec.kind,
                number=spec.number,
                text=spec.text,
                case_study=spec.case_study,
            )
            _reset(finding, {"text": spec.text, "case_study": spec.case_study})
            if spec.kind == Finding.Kind.AREA_FOR_IMPROVEMENT:
                self.areas[spec.number] = finding

    def load_actions(self) -> None:
        existing = _by_key(Action.objects.filter(plan=self.plan), "reference")
        self.actions: dict[str, Action] = {}
        for position, spec in enumerate(self.demo.actions):
            fields = {
                "reference": spec.reference,
                "description": spec.description,
                "lead": self.people[spec.lead],
                "lead_agency": self.agencies[spec.lead_agency],
                "target_date": self.live(spec.target_date),
                "measure_of_success": spec.measure_of_success,
                "sustainability_plan": "",
            }
            areas = [self.areas[number] for number in spec.areas]
            supporting = [self.agencies[short] for short in spec.supporting]
            action = existing.get(spec.reference)
            if action is None:
                action = action_create(
                    plan=self.plan, by=self.manager, fields=fields, areas=areas, supporting_agencies=supporting
                )
            else:
                # set() adds and removes only the difference, so an unchanged action records no history.
                action.areas.set(areas)
                action.supporting_agencies.set(supporting)
            self.actions[spec.reference] = _reset(
                action,
                {
                    **fields,
                    "position": position,
                    "revised_target_date": self.live(spec.revised_target_date),
                    "revised_target_reason": spec.revised_target_reason,
                    "revised_target_agreed_by": self.chair if spec.revised_target_date else None,
                    "completed_on": None,
                },
                by=self.manager,
            )

    def load_round(
        self,
        found: MonitoringRound | None,
        fields: dict[str, Any],
        state: str,
        plan: ActionPlan | None = None,
        **when: Any,
    ) -> tuple[MonitoringRound, dict[int, Update]]:
        """The round ``found`` (or created as a draft by the service) given its ``fields`` and state, and its
        updates by action."""
        created = found is None
        monitoring_round = found or round_create(plan=plan or self.plan, by=None, **fields)
        _reset(monitoring_round, {**fields, "state": state, **when})
        updates = {} if created else _by_key(Update.objects.filter(round=monitoring_round), "action_id")
        return monitoring_round, updates

    def load_agreed_round(
        self,
        index: int,
        spec: RoundSpec,
        *,
        plan: ActionPlan | None = None,
        action_specs: tuple[ActionSpec, ...] | None = None,
        actions: dict[str, Action] | None = None,
        when: Any = None,
    ) -> MonitoringRound:
        """An agreed round and its updates: the main plan's on the file's dates; a source's (``plan``, its
        ``action_specs`` and ``actions``) on them moved by ``when``."""
        plan, action_specs, actions = plan or self.plan, action_specs or self.demo.actions, actions or self.actions
        when = when or (lambda day: day)
        fields = {
            "label": spec.label,
            "period_end": when(spec.period_end),
            "update_deadline": when(spec.update_deadline),
            "cadence": spec.cadence,
        }
        monitoring_round, existing = self.load_round(
            MonitoringRound.objects.filter(plan=plan, label=spec.label).first(),
            fields,
            spec.state,
            plan=plan,
            subgroup_meeting_on=when(spec.subgroup_meeting_on),
            endorsed_on=when(spec.endorsed_on),
            endorsement_meeting=spec.endorsement_meeting,
        )
        for n, action_spec in enumerate(action_specs):
            update = action_spec.updates[index]
            action = actions[action_spec.reference]
            # Leads submit over the last few days before the deadline; the chair agrees at the meeting.
            submitted_on = when(spec.update_deadline) - datetime.timedelta(days=n % 4)
            _reset(
                existing.get(action.pk) or Update(action=action, round=monitoring_round),
                {
                    "status": Update.Status.AGREED,
                    "narrative": update.narrative,
                    "evidence": update.evidence,
                    "barriers": update.barriers,
                    "next_steps": update.next_steps,
                    "proposed_quadrant": update.proposed_quadrant or update.agreed_quadrant,
                    "submitted_by": self.people[action_spec.lead],
                    "submitted_at": _at(submitted_on, 9 + n % 8, 5 * (n % 12)),
                    "agreed_quadrant": update.agreed_quadrant,
                    "agreed_reason": update.agreed_reason,
                    "agreed_by": self.chair,
                    "agreed_at": _at(when(spec.subgroup_meeting_on), 10 + n // 12, 4 * (n % 12)),
                },
                by=self.chair,
            )
        return monitoring_round

    def freeze_endorsed(self, rounds: list[MonitoringRound]) -> None:
        """What the board endorsed, frozen as the app freezes it (saved only when it differs).

        The app freezes a round on the day it is endorsed, with the target dates of that day: here, the
        file's own. The actions are given them for as long as the snapshots take to write, in a savepoint
        rolled back afterwards, so neither the rows nor their history keep them.
        """
        if not rounds:
            return
        with transaction.atomic():
            for spec in self.demo.actions:
                Action.objects.filter(pk=self.actions[spec.reference].pk).update(
                    target_date=spec.target_date, revised_target_date=spec.revised_target_date
                )
            snapshots = [round_snapshot(monitoring_round) for monitoring_round in rounds]
            transaction.set_rollback(True)
        for monitoring_round, snapshot in zip(rounds, snapshots, strict=True):
            _freeze(monitoring_round, snapshot)

    def find_open_round(
        self, spec: OpenRoundSpec, plan: ActionPlan | None = None, agreed: list[str] | None = None
    ) -> MonitoringRound | None:
        """The open round as an earlier load left it, in whatever month: not an agreed round, its period end
        the file's moved by whole months and its label that month's (the newest, should there be several)."""
        agreed = [round_spec.label for round_spec in self.demo.rounds] if agreed is None else agreed
        rounds = MonitoringRound.objects.filter(plan=plan or self.plan).exclude(label__in=agreed)
        rounds = rounds.order_by("-period_end")
        for monitoring_round in rounds:
            end = monitoring_round.period_end
            moved = shift(spec.period_end, (end.year - spec.period_end.year) * 12 + end.month - spec.period_end.month)
            if end == moved and monitoring_round.label == month_label(end):
                return monitoring_round
        return None

    def load_open_round(
        self,
        spec: OpenRoundSpec,
        *,
        plan: ActionPlan | None = None,
        action_specs: tuple[ActionSpec, ...] | None = None,
        actions: dict[str, Action] | None = None,
        agreed: list[str] | None = None,
    ) -> MonitoringRound:
        """Most leads have submitted their update for the open round, some are still drafting it.

        The leads in ``left_to`` (the demo's own "lead") have written nothing yet, so a visitor signing
        in as them has updates to write; the chair can sense-check the submitted ones straight away.
        """
        period_end = self.live(spec.period_end)
        fields = {
            "label": month_label(period_end),
            "period_end": period_end,
            "update_deadline": self.live(spec.update_deadline),
            "cadence": spec.cadence,
        }
        plan, action_specs, actions = plan or self.plan, action_specs or self.demo.actions, actions or self.actions
        monitoring_round, existing = self.load_round(
            self.find_open_round(spec, plan, agreed),
            fields,
            MonitoringRound.State.OPEN,
            plan=plan,
            subgroup_meeting_on=None,
            endorsed_on=None,
            endorsement_meeting="",
        )
        for n, action_spec in enumerate(action_specs):
            if action_spec.lead in spec.left_to or action_spec.not_implemented:
                continue  # a lead left to write theirs; an action that will not be implemented asks for none
            last = action_spec.updates[-1]
            action = actions[action_spec.reference]
            drafting = n % 5 == 4
            lead = self.people[action_spec.lead]
            # Submitted over the few days before the load: the round is open today.
            submitted_at = _at(self.today - datetime.timedelta(days=1 + n % 5), 11, 0)
            _reset(
                existing.get(action.pk) or Update(action=action, round=monitoring_round),
                {
                    "status": Update.Status.DRAFT if drafting else Update.Status.SUBMITTED,
                    "narrative": spec.narrative_after(last),
                    "evidence": last.evidence,
                    "barriers": last.barriers,
                    "next_steps": spec.next_steps,
                    "proposed_quadrant": last.agreed_quadrant,
                    "submitted_by": None if drafting else lead,
                    "submitted_at": None if drafting else submitted_at,
                    "agreed_quadrant": "",
                    "agreed_reason": "",
                    "agreed_by": None,
                    "agreed_at": None,
                },
                by=lead,
            )
        return monitoring_round

    def load_source(self, spec: SourceDemo) -> None:
        """A further inspection or review, its plan, actions and rounds, every date moved to the day of the load
        (found again by its kind and name, its rounds by label, its open round as the main one is)."""
        live = self.live
        fields = {
            **spec.inspection,
            **{name: live(spec.inspection[name]) for name in DATED_FIELDS},
            "milestones": {code: live(day).isoformat() for code, day in spec.inspection.get("milestones", {}).items()},
        }
        keys = {"kind": fields["kind"], "theme": fields["theme"]}
        inspection = Inspection.objects.filter(partnership=self.partnership, **keys).first()
        if inspection is None:
            inspection = inspection_create(
                partnership=self.partnership, by=self.manager, fields=fields, plan_title=spec.plan_title
            )
        inspection = _reset(inspection, fields, by=self.manager)
        plan = ActionPlan.objects.filter(inspection=inspection).first() or ActionPlan(inspection=inspection)
        plan = _reset(plan, {"title": spec.plan_title, "status": ActionPlan.Status.ACTIVE, "signed_off_on": None})

        existing = _by_key(Finding.objects.filter(inspection=inspection), "kind", "number")
        areas: dict[int, Finding] = {}
        for finding_spec in spec.findings:
            finding = existing.get((finding_spec.kind, finding_spec.number)) or finding_create(
                inspection=inspection,
                by=self.manager,
                kind=finding_spec.kind,
                number=finding_spec.number,
                text=finding_spec.text,
                case_study=finding_spec.case_study,
            )
            _reset(finding, {"text": finding_spec.text, "case_study": finding_spec.case_study}, by=self.manager)
            if finding_spec.kind in KINDS_NEEDING_ACTION:
                areas[finding_spec.number] = finding

        existing_actions = _by_key(Action.objects.filter(plan=plan), "reference")
        actions: dict[str, Action] = {}
        for position, action_spec in enumerate(spec.actions):
            action_fields = {
                "reference": action_spec.reference,
                "description": action_spec.description,
                "lead": self.people[action_spec.lead],
                "lead_agency": self.agencies[action_spec.lead_agency],
                "target_date": live(action_spec.target_date),
                "measure_of_success": action_spec.measure_of_success,
                "sustainability_plan": "",
            }
            answered = [areas[number] for number in action_spec.areas]
            supporting = [self.agencies[short] for short in action_spec.supporting]
            action = existing_actions.get(action_spec.reference)
            if action is None:
                action = action_create(
                    plan=plan, by=self.manager, fields=action_fields, areas=answered, supporting_agencies=supporting
                )
            else:
                action.areas.set(answered)
                action.supporting_agencies.set(supporting)
            action = _reset(
                action,
                {
                    **action_fields,
                    "position": position,
                    "revised_target_date": live(action_spec.revised_target_date),
                    "revised_target_reason": action_spec.revised_target_reason,
                    "revised_target_agreed_by": self.chair if action_spec.revised_target_date else None,
                    "completed_on": None,
                },
                by=self.manager,
            )
            # Not implemented, with the reasons the chair agreed at the sub-group's meeting: the chair's change.
            refused = action_spec.not_implemented
            actions[action_spec.reference] = _reset(
                action,
                {
                    "not_implemented_on": live(refused.on) if refused else None,
                    "not_implemented_reason": refused.reason if refused else "",
                    "not_implemented_agreed_by": self.people[refused.agreed_by] if refused else None,
                },
                by=self.people[refused.agreed_by] if refused else self.manager,
            )

        agreed = [
            self.load_agreed_round(index, round_spec, plan=plan, action_specs=spec.actions, actions=actions, when=live)
            for index, round_spec in enumerate(spec.rounds)
        ]
        # Its endorsed rounds are frozen with the dates they now have: the whole source moved together.
        for monitoring_round in agreed:
            if monitoring_round.is_endorsed:
                _freeze(monitoring_round, round_snapshot(monitoring_round))
        if spec.open_round:
            self.load_open_round(
                spec.open_round,
                plan=plan,
                action_specs=spec.actions,
                actions=actions,
                agreed=[round_spec.label for round_spec in spec.rounds],
            )

    def load_measures(self) -> None:
        existing = _by_key(ImpactMeasure.objects.filter(plan=self.plan), "name")
        for position, spec in enumerate(self.demo.measures):
            fields = {
                "name": spec.name,
                "description": spec.description,
                "unit": spec.unit,
                "baseline": spec.baseline,
                "target": spec.target,
                "higher_is_better": spec.higher_is_better,
            }
            measure = existing.get(spec.name)
            values = {} if measure is None else _by_key(measure.values.all(), "period_end")
            measure = measure or impact_measure_create(plan=self.plan, by=None, fields=fields)
            _reset(measure, {**fields, "position": position})
            for value_spec in spec.values:
                value = values.get(value_spec.period_end) or impact_value_record(
                    measure=measure,
                    by=None,
                    period_label=value_spec.period_label,
                    period_end=value_spec.period_end,
                    value=value_spec.value,
                )
                _reset(value, {"period_label": value_spec.period_label, "value": value_spec.value})


class _DemoPassword:
    """The demo password, hashed once per load and checked once per stored hash.

    Hashing is deliberately slow; fifteen users each hashed and checked separately would make the load
    take seconds. Users created in the same load share one hash of the (published) demo password.
    """

    def __init__(self) -> None:
        self._encoded: str | None = None
        self._checked: dict[str, bool] = {}

    def hash(self, password: str) -> str:
        if password != PASSWORD:
            return make_password(password)
        if self._encoded is None:
            self._encoded = make_password(PASSWORD)
            self._checked[self._encoded] = True
        return self._encoded

    def matches(self, encoded: str) -> bool:
        if encoded not in self._checked:
            self._checked[encoded] = check_password(PASSWORD, encoded)
        return self._checked[encoded]


def _by_key(rows: Iterable[Any], *names: str) -> dict[Any, Any]:
    """The rows by the value of one attribute, or by a tuple of several: one query instead of one a row."""
    if len(names) == 1:
        return {getattr(row, names[0]): row for row in rows}
    return {tuple(getattr(row, name) for name in names): row for row in rows}


def _freeze(monitoring_round: MonitoringRound, snapshot: dict[str, Any]) -> None:
    """The endorsed round's frozen record brought to ``snapshot``, written only if it differs (as :func:`_reset`)."""
    if frozen_record_load(monitoring_round) != snapshot:
        frozen_record_save(monitoring_round=monitoring_round, snapshot=snapshot)


def _reset(obj: Any, values: dict[str, Any], by: Person | None = None) -> Any:
    """``obj`` brought to the demo's ``values``, and saved if it is new or any of them differs.

    Saving only on a difference keeps a second run free of new history records. A changed ``Update``
    has its ``version`` bumped, so a form opened before the reset cannot silently overwrite it. ``by`` is
    the person the demo says made the change (the lead who wrote an update, the chair who agreed it), named
    in its history as a service names its author; without one the history says the change was automatic.
    """
    changed = obj.pk is None
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if field.is_relation:
            differs = getattr(obj, field.attname) != (value.pk if value is not None else None)
        else:
            differs = getattr(obj, name) != value
        if differs:
            setattr(obj, name, value)
            changed = True
    if changed:
        if obj.pk is not None and isinstance(obj, Update):
            obj.version += 1
        obj.full_clean()
        attribute(obj, by)
        obj.save()
    return obj


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    """A time on ``day`` in the project's time zone (UK local time)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _summarise(loads: list[_PartnershipLoad]) -> DemoSummary:
    partnerships = [load.partnership for load in loads]

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
        open_rounds=tuple(
            (load.partnership.name, load.open_round.label, load.open_round.update_deadline)
            for load in loads
            if load.open_round is not None
        ),
    )
