"""Reading the register: every finding of the partnership's inspections and reviews with the actions answering
it, then the actions that answer no finding, searched and filtered, a page at a time in a fixed number of
queries."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Case, FloatField, Prefetch, QuerySet, Value, When

from actions.models import Action
from inspections.models import Agency, Finding, Inspection, Partnership
from register.filters import RegisterFilterSet
from register.search import matching
from register.status import TAG_CLASSES, Status, status_annotation


@dataclass(frozen=True)
class Entry:
    """One entry of the register: a finding and the actions answering it (those the filters keep), or an action
    that answers no finding (``finding`` None)."""

    source: Inspection
    finding: Finding | None
    actions: list[Action]

    @property
    def caption(self) -> str:
        """What the entry's table of actions is: "Actions answering Area for improvement 2"."""
        return f"Actions answering {self.finding}" if self.finding else "Action not linked to a finding"


class Entries(Sequence):
    """The register's entries in order, findings first, for a ``Paginator``: counted in two queries, and each page
    read in a fixed number whatever its length."""

    def __init__(self, findings: QuerySet, unlinked: QuerySet, shown_actions: QuerySet):
        self.findings = findings
        self.unlinked = unlinked
        self.shown_actions = shown_actions

    @cached_property
    def finding_count(self) -> int:
        return self.findings.count()

    @cached_property
    def unlinked_count(self) -> int:
        return self.unlinked.count()

    def count(self) -> int:
        return self.finding_count + self.unlinked_count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(len(self))
        entries: list[Entry] = []
        if start < self.finding_count:
            findings = self.findings.select_related("inspection").prefetch_related(
                Prefetch("actions", queryset=self.shown_actions, to_attr="register_actions")
            )
            entries += [
                Entry(finding.inspection, finding, finding.register_actions)
                for finding in findings[start : min(stop, self.finding_count)]
            ]
        if stop > self.finding_count:
            first, last = max(start - self.finding_count, 0), stop - self.finding_count
            ids = list(self.unlinked.values_list("pk", flat=True)[first:last])
            actions = {action.pk: action for action in self.shown_actions.filter(pk__in=ids)}
            entries += [Entry(actions[pk].plan.inspection, None, [actions[pk]]) for pk in ids if pk in actions]
        for entry in entries:
            for action in entry.actions:
                status = Status(action.register_status)
                action.status_words, action.status_tag = status.label, TAG_CLASSES[status]
        return entries


@dataclass(frozen=True)
class Register:
    filterset: RegisterFilterSet
    entries: Entries


def filter_choices(partnership: Partnership) -> dict:
    """The sources and agencies the filters offer, in two queries."""
    return {
        "sources": list(Inspection.objects.for_partnership(partnership).order_by("-fieldwork_start", "pk")),
        "agencies": list(Agency.objects.for_partnership(partnership).order_by("name")),
    }


def register_for(partnership: Partnership, data, today: datetime.date) -> Register:
    """The partnership's register as ``data`` (the page's GET) searches and filters it, as at ``today``.

    A finding shows when its source passes the filters, when (an agency or status being chosen) one of its
    actions does, and when (something being searched) its words or its theme match, or one of its kept actions
    does; under it, each of its actions the filters keep. An action answering no finding shows when it passes
    the filters and the search. Nothing of another partnership is ever read.
    """
    filterset = RegisterFilterSet(
        data or None, Action.objects.for_partnership(partnership), today=today, **filter_choices(partnership)
    )
    kept = filterset.qs
    findings = Finding.objects.for_partnership(partnership).filter(filterset.source_q("inspection"))
    if filterset.narrows_actions:
        findings = findings.filter(pk__in=kept.values("areas"))
    unlinked = kept.filter(areas=None)
    # What needs action first (priority areas, then areas for improvement), then the rest in the letter's order.
    kinds = [Finding.Kind.PRIORITY_ACTION, Finding.Kind.AREA_FOR_IMPROVEMENT]
    kinds += [kind for kind in Finding.Kind.values if kind not in kinds]
    kind_order = Case(*(When(kind=kind, then=Value(i)) for i, kind in enumerate(kinds)), default=Value(len(kinds)))
    finding_order = ["-inspection__fieldwork_start", "inspection_id", kind_order, "number"]
    action_order = ["-plan__inspection__fieldwork_start", "plan__inspection_id", "position", "pk"]
    search = filterset.search
    if search:
        # Two searches, each one pass over the partnership's rows (a vector per row, once): the findings whose own
        # words match, and the kept actions that match with the findings they answer. Then each finding's rank is
        # its own plus its best action's, given to the page's one findings query as a constant per row.
        ranks: dict[int, float] = {}
        for pk, rank in matching(findings, search).values_list("pk", "search_rank"):
            ranks[pk] = float(rank)
        best_action: dict[int, float] = {}
        for area, rank in matching(kept, search).filter(areas__isnull=False).values_list("areas", "search_rank"):
            best_action[area] = max(best_action.get(area, 0.0), float(rank))
        for area, rank in best_action.items():
            ranks[area] = ranks.get(area, 0.0) + rank
        findings = findings.filter(pk__in=list(ranks)).annotate(
            search_rank=Case(
                *(When(pk=pk, then=Value(rank)) for pk, rank in ranks.items()),
                default=Value(0.0),
                output_field=FloatField(),
            )
        )
        unlinked = matching(unlinked, search)
        finding_order.insert(0, "-search_rank")
        action_order.insert(0, "-search_rank")
    shown_actions = kept.select_related("plan__inspection", "lead__user", "lead_agency").annotate(
        register_status=status_annotation(today)
    )
    shown_actions = shown_actions.prefetch_related(
        Prefetch(
            "related_actions",
            queryset=Action.objects.select_related("plan").order_by("plan_id", "position", "pk"),
            to_attr="also_tracked",
        )
    ).order_by("plan_id", "position", "pk")
    return Register(
        filterset=filterset,
        entries=Entries(findings.order_by(*finding_order), unlinked.order_by(*action_order), shown_actions),
    )
