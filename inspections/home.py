"""What a person's home page shows: a section for each part they play, what needs doing most urgently first.

A person may play several parts (a chair who leads actions; a manager, who may also chair and report):
each section shows when its part applies, read through the selectors of the app that owns it, from the
person already fetched. The reads do not grow with the partnership's plans, rounds and actions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from actions import selectors as action_selectors
from people.models import Person
from reports import selectors as report_selectors
from setup.tasks import setup_tasks

#: A committee meeting this close, with its report not yet published, is urgent.
MEETING_SOON = datetime.timedelta(days=14)
#: The order of sections that are equally urgent.
RANK = ["setup", "clocks", "updates", "sense_check", "chase", "reports", "plans"]


@dataclass
class Section:
    """One part of the home page: its template (``templates/inspections/home/<key>.html``) and what it shows."""

    key: str
    heading: str
    #: Something in it asks the person to act.
    has_work: bool
    #: A deadline has passed or a meeting is close.
    urgent: bool = False
    #: The nearest date it concerns (a deadline, a meeting), for ordering.
    due: datetime.date | None = None
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def template(self) -> str:
        return f"inspections/home/{self.key}.html"

    def order(self) -> tuple:
        return (not self.urgent, not self.has_work, self.due or datetime.date.max, RANK.index(self.key))


def home_sections(user: Any, person: Person) -> list[Section]:
    """The sections of ``person``'s home, most urgent first; "Where the plans stand" always last."""
    partnership = person.partnership
    today = timezone.localdate()
    # Someone who only supports actions (no part of their own to play) is shown those; others are not.
    plays_a_part = any(
        user.has_perm(perm, partnership) for perm in ("actions.sense_check", "actions.remind", "reports.publish")
    )
    sections = [_updates(person, with_supporting=not plays_a_part)]
    if user.has_perm("inspections.manage", partnership):
        tasks = setup_tasks(partnership)
        if not tasks.all_completed:
            sections.append(Section("setup", "Set up your partnership", has_work=True, context={"tasks": tasks}))
        sections.append(_clocks(partnership, today))
    if user.has_perm("actions.sense_check", partnership):
        sections.append(_sense_check(partnership))
    if user.has_perm("actions.remind", partnership):
        sections.append(_chase(partnership, today))
    if user.has_perm("reports.publish", partnership):
        sections.append(_reports(partnership, today))
    sections = sorted((s for s in sections if s is not None), key=Section.order)
    return [*sections, _plans(partnership)]


def _updates(person: Person, *, with_supporting: bool) -> Section | None:
    groups = action_selectors.my_action_groups(action_selectors.my_actions(person))
    due = groups.due_this_round
    supporting = [row for row in groups.supporting if row.open_round is not None and not row.is_complete]
    if not with_supporting and not due:
        supporting = []
    if not due and not supporting:
        return None
    return Section(
        "updates",
        "Your updates",
        has_work=bool(groups.to_write),
        urgent=any(row.is_late for row in groups.to_write),
        due=min((row.open_round.update_deadline for row in groups.to_write), default=None),
        context={
            "rows": [*groups.to_write, *[row for row in due if not row.to_write]],
            "submitted": sum(1 for row in due if not row.to_write),
            "total": len(due),
            "supporting": supporting,
        },
    )


def _clocks(partnership: Any, today: datetime.date) -> Section | None:
    """The statutory clocks still running across the partnership's inspections and reviews, nearest first."""
    from inspections.clocks import running_clocks
    from inspections.models import Inspection

    readings = running_clocks(Inspection.objects.for_partnership(partnership), today)
    if not readings:
        return None
    return Section(
        "clocks",
        "Statutory clocks running",
        has_work=True,
        urgent=any(r.days_left <= r.clock.remind for r in readings),
        due=readings[0].due,
        context={"readings": readings},
    )


def _sense_check(partnership: Any) -> Section:
    rounds = action_selectors.rounds_for_chair(partnership)
    deciding = [r for r in rounds if r.monitoring_round.decisions_open]
    # Never urgent: the sub-group's meeting, when the sense check happens, has no date here.
    return Section(
        "sense_check",
        "Sense check",
        has_work=bool(rounds),
        context={"deciding": deciding, "endorsing": [r for r in rounds if r.monitoring_round.is_agreed]},
    )


def _chase(partnership: Any, today: datetime.date) -> Section:
    rounds = action_selectors.rounds_to_chase(partnership)
    missing = [r for r in rounds if r.leads_to_remind]
    return Section(
        "chase",
        "Updates coming in",
        has_work=bool(missing),
        urgent=any(r.is_late for r in missing),
        due=min((r.monitoring_round.update_deadline for r in missing), default=None),
        context={"rounds": rounds},
    )


def _reports(partnership: Any, today: datetime.date) -> Section:
    work = report_selectors.committee_work(partnership, today)
    unpublished = [report for report in work.meetings if report.latest_version is None]
    return Section(
        "reports",
        "Committee reports",
        has_work=bool(work.to_write),
        urgent=any(report.meeting_date <= today + MEETING_SOON for report in unpublished),
        due=min((report.meeting_date for report in unpublished), default=None),
        context={"to_write": work.to_write, "meetings": work.meetings},
    )


def _plans(partnership: Any) -> Section:
    summaries = action_selectors.plan_summaries(partnership)
    figures = report_selectors.endorsed_figures([s.endorsed_round for s in summaries if s.endorsed_round])
    published = report_selectors.published_reports(partnership)
    for summary in summaries:
        summary.figures = figures.get(summary.endorsed_round.pk) if summary.endorsed_round else None
        summary.published = published.get(summary.plan.pk, [])
    return Section("plans", "Where the plans stand", has_work=False, context={"summaries": summaries})
