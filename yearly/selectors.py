"""Reads for yearly reports: the year's record as at its end, and the partnership's yearly reports.

What a year's tables say (:func:`year_figures`) is read from the record, never from today's live board:

* each plan's rounds the board endorsed in the year, and its figures as at the latest of them, from the
  round's frozen record (``reports.selectors.endorsed_figures``, which reads the endorsement's snapshot);
* the actions that record shows completed in the year (the completion dates the endorsed round froze);
* the committee reports published in the year (their latest version published in it);
* the impact measures with a value in the year: baseline, target, the latest value in the year, direction;
* the re-tests dated in the year (sustained or not sustained, with their evidence);
* the actions the partnership agreed in the year not to implement (with the reasons and who agreed), and
  those superseded by or merged into another action in the year: each a decision dated by its meeting, and
  only those dated on or before the meeting of the latest round endorsed in the year (``decisions_as_at``),
  so they read the same endorsed record as the actions completed;
* the reviews (rapid reviews, practice reviews, safeguarding adults reviews, domestic abuse related death
  reviews) whose dates fall in the year or whose plan had a round endorsed in it: their recommendations and
  learning points, and their actions' outcomes as at the year's end.

The result is plain JSON-ready data: the page and the PDF render it, and a published version keeps it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Max, Prefetch, Q

from actions.models import Action, ActionPlan, ImpactMeasure, ImpactValue, MonitoringRound, Outcome, Retest
from actions.quadrants import OPEN_QUADRANTS, Quadrant, scale_for
from inspections import regimes
from inspections.models import Finding, Inspection, Partnership, lower_words
from reports.frozen import frozen_records_load, is_frozen
from reports.models import PublishedReport
from reports.report_figures import _day, _number
from reports.selectors import endorsed_figures
from yearly.models import PublishedYearlyReport, YearlyReport

FIGURES_SCHEMA = 2

#: The regimes that are reviews of the partnership's practice (their learning goes in the report's own section).
REVIEW_KINDS = ("rapid_review", "practice_review", "sar", "dardr")


def year_figures(partnership: Partnership, starts_on: datetime.date, ends_on: datetime.date) -> dict[str, Any]:
    """The year's tables for the partnership, as at ``ends_on`` (see the module). A fixed number of queries."""
    plans = _plans(partnership, starts_on, ends_on)
    cutoff = plans["decisions_as_at"]
    return {
        "schema": FIGURES_SCHEMA,
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat(),
        "year": f"{_day(starts_on)} to {_day(ends_on)}",
        "partnership": partnership.name,
        "plans": plans["plans"],
        "completed": plans["completed"],
        "committee_reports": _committee_reports(partnership, starts_on, ends_on),
        "measures": _measures(partnership, starts_on, ends_on),
        "retests": _retests(partnership, starts_on, ends_on),
        "decisions_as_at": _day(cutoff) if cutoff else "",
        "not_implemented": _not_implemented(partnership, starts_on, cutoff) if cutoff else [],
        "replaced": _replaced(partnership, starts_on, cutoff) if cutoff else [],
        "reviews": _reviews(partnership, starts_on, ends_on, plans["endorsed_plan_ids"]),
    }


def _plans(partnership: Partnership, starts_on: datetime.date, ends_on: datetime.date) -> dict[str, Any]:
    """Each plan the year touched, with the rounds the board endorsed in it and its figures as at the latest;
    ``decisions_as_at``: the meeting of the latest round endorsed in the year (None if none was)."""
    rounds = list(
        MonitoringRound.objects.for_partnership(partnership)
        .filter(state=MonitoringRound.State.ENDORSED, endorsed_on__gte=starts_on, endorsed_on__lte=ends_on)
        .select_related("plan__inspection")
        .order_by("plan_id", "period_end", "endorsed_on", "pk")
    )
    figures = endorsed_figures(rounds)
    by_plan: dict[int, list[MonitoringRound]] = {}
    for monitoring_round in rounds:
        by_plan.setdefault(monitoring_round.plan_id, []).append(monitoring_round)
    touched = (
        ActionPlan.objects.for_partnership(partnership)
        .filter(
            Q(pk__in=by_plan)
            | Q(status=ActionPlan.Status.ACTIVE, inspection__fieldwork_start__lte=ends_on)
            | Q(signed_off_on__gte=starts_on, signed_off_on__lte=ends_on)
        )
        .select_related("inspection")
        .order_by("inspection__fieldwork_start", "pk")
    )
    scale = scale_for(partnership.pk)
    latest = {plan_id: plan_rounds[-1] for plan_id, plan_rounds in by_plan.items()}
    snapshots = frozen_records_load(r.pk for r in latest.values())
    plans, completed = [], []
    for plan in touched:
        plan_rounds = by_plan.get(plan.pk, [])
        row: dict[str, Any] = {
            "id": plan.pk,
            "title": plan.title,
            "source": plan.inspection.get_kind_display(),
            "status": plan.get_status_display(),
            "signed_off_on": _day(plan.signed_off_on) if plan.signed_off_on and plan.signed_off_on <= ends_on else "",
            "rounds": [_round_row(r, figures[r.pk]) for r in plan_rounds],
            "latest": None,
        }
        if plan_rounds:
            last = plan_rounds[-1]
            row["latest"] = {**_round_row(last, figures[last.pk]), "counts": _counts(figures[last.pk].counts, scale)}
            completed += _completed(plan, last, snapshots.get(last.pk), starts_on, ends_on)
        plans.append(row)
    return {
        "plans": plans,
        "completed": completed,
        "decisions_as_at": max((r.as_at for r in rounds), default=None),
        "endorsed_plan_ids": list(by_plan),
    }


def _round_row(monitoring_round: MonitoringRound, figures: Any) -> dict[str, Any]:
    return {
        "id": monitoring_round.pk,
        "label": monitoring_round.label,
        "endorsed_on": _day(monitoring_round.endorsed_on),
        "meeting": monitoring_round.endorsement_meeting,
        "as_at": _day(figures.as_at),
        "total": figures.total,
        "complete": figures.complete,
        "complete_percent": figures.complete_percent,
        "denominator": figures.denominator,
    }


def _counts(counts: dict[str, int], scale: dict[str, Any]) -> list[dict[str, Any]]:
    """Actions in each quadrant, worst first then complete, each with its words and symbol (never colour alone)."""
    return [
        {"key": key, "label": scale[key].label, "symbol": scale[key].symbol, "count": counts.get(key, 0)}
        for key in [*reversed(OPEN_QUADRANTS), Quadrant.COMPLETE]
    ]


def _completed(
    plan: ActionPlan,
    monitoring_round: MonitoringRound,
    snapshot: dict[str, Any] | None,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> list[dict[str, Any]]:
    """The actions the round's frozen record shows completed in the year (its own completion dates)."""
    if not is_frozen(snapshot):
        return []
    rows = []
    for entry in snapshot["entries"]:
        completed_on = datetime.date.fromisoformat(entry["completed_on"]) if entry.get("completed_on") else None
        if completed_on is not None and starts_on <= completed_on <= ends_on:
            rows.append(
                {
                    "plan": plan.title,
                    "reference": entry["reference"],
                    "description": entry["description"],
                    "lead_agency": entry["lead_agency"],
                    "completed_on": _day(completed_on),
                    "round": monitoring_round.label,
                }
            )
    return rows


def _committee_reports(partnership: Partnership, starts_on: datetime.date, ends_on: datetime.date) -> list[dict]:
    """Each committee report published in the year: its latest version published in the year."""
    latest: dict[int, PublishedReport] = {}
    for version in (
        PublishedReport.objects.for_partnership(partnership)
        .filter(published_at__date__gte=starts_on, published_at__date__lte=ends_on)
        .select_related("report__plan")
        .defer("html", "figures")
        .order_by("meeting_date", "report_id", "-version")
    ):
        latest.setdefault(version.report_id, version)
    return [
        {
            "published_id": version.pk,
            "title": version.title,
            "plan": version.report.plan.title,
            "committee": version.committee,
            "meeting_date": _day(version.meeting_date),
            "version": version.version,
            "published_on": _day(version.published_at.date()),
        }
        for version in latest.values()
    ]


def _measures(partnership: Partnership, starts_on: datetime.date, ends_on: datetime.date) -> list[dict[str, Any]]:
    """Each impact measure with a value in the year: baseline, target, the latest value in it, and direction."""
    rows = []
    in_year = ImpactValue.objects.filter(period_end__gte=starts_on, period_end__lte=ends_on).order_by("period_end")
    for measure in (
        ImpactMeasure.objects.for_partnership(partnership)
        .filter(values__period_end__gte=starts_on, values__period_end__lte=ends_on)
        .distinct()
        .select_related("plan")
        .prefetch_related(Prefetch("values", queryset=in_year, to_attr="year_values"))
        .order_by("plan_id", "position", "pk")
    ):
        first, last = measure.year_values[0], measure.year_values[-1]
        rows.append(
            {
                "plan": measure.plan.title,
                "name": measure.name,
                "unit": measure.get_unit_display(),
                "direction": "Higher is better" if measure.higher_is_better else "Lower is better",
                "baseline": _number(measure.baseline, measure.unit),
                "target": _number(measure.target, measure.unit),
                "first": _number(first.value, measure.unit),
                "first_period": first.period_label,
                "latest": _number(last.value, measure.unit),
                "latest_period": last.period_label,
                "values_in_year": len(measure.year_values),
                "progress": _progress(measure, last.value),
                "target_met": _target_met(measure, last.value),
            }
        )
    return rows


def _progress(measure: ImpactMeasure, latest: Decimal) -> str:
    """The latest value against the baseline, in words that say which way is better."""
    if measure.baseline is None:
        return "No baseline"
    if latest == measure.baseline:
        return "The same as the baseline"
    better = (latest > measure.baseline) == measure.higher_is_better
    return "Better than the baseline" if better else "Worse than the baseline"


def _target_met(measure: ImpactMeasure, latest: Decimal) -> str:
    if measure.target is None:
        return "No target"
    met = latest >= measure.target if measure.higher_is_better else latest <= measure.target
    return "Met" if met else "Not met"


def _retests(partnership: Partnership, starts_on: datetime.date, ends_on: datetime.date) -> list[dict[str, Any]]:
    """The impact re-tests dated in the year, oldest first: did each completed action's change last?"""
    return [
        {
            "plan": retest.action.plan.title,
            "reference": retest.action.reference,
            "description": retest.action.description,
            "tested_on": _day(retest.tested_on),
            "result": retest.result,
            "result_label": retest.get_result_display(),
            "evidence": retest.evidence,
        }
        for retest in Retest.objects.for_partnership(partnership)
        .filter(tested_on__gte=starts_on, tested_on__lte=ends_on)
        .select_related("action__plan")
        .order_by("tested_on", "action__plan_id", "action__position", "id")
    ]


def _reviews(
    partnership: Partnership, starts_on: datetime.date, ends_on: datetime.date, endorsed_plan_ids: list[int]
) -> list[dict[str, Any]]:
    """The reviews whose dates fall in the year (or whose plan had a round endorsed in it): each with its
    findings counted by kind (in its regime's words) and its actions counted by outcome as at the year's end."""
    reviews = list(
        Inspection.objects.for_partnership(partnership)
        .filter(kind__in=REVIEW_KINDS)
        .filter(Q(fieldwork_start__lte=ends_on, fieldwork_end__gte=starts_on) | Q(plan__pk__in=endorsed_plan_ids))
        .order_by("fieldwork_start", "pk")
    )
    if not reviews:
        return []
    by_id = {review.pk: review for review in reviews}
    findings: dict[int, dict[str, list[Finding]]] = {}
    for finding in Finding.objects.filter(inspection__in=reviews).order_by("kind", "number"):
        finding.inspection = by_id[finding.inspection_id]
        findings.setdefault(finding.inspection_id, {}).setdefault(finding.kind, []).append(finding)
    outcomes: dict[int, dict[str, int]] = {}
    for action in Action.objects.filter(plan__inspection__in=reviews).select_related("plan"):
        outcome = action.outcome
        if action.outcome_on is None or action.outcome_on > ends_on:
            outcome = Outcome.OPEN  # decided after the year (or never): open at its end
        counts = outcomes.setdefault(action.plan.inspection_id, {})
        counts[outcome] = counts.get(outcome, 0) + 1
    rows = []
    for review in reviews:
        found = findings.get(review.pk, {})
        order = regimes.regime(review.kind).finding_kinds  # the regime's order: recommendations first
        kinds = {kind: found[kind] for kind in sorted(found, key=lambda k: (order.index(k) if k in order else 99, k))}
        counts = outcomes.get(review.pk, {})
        rows.append(
            {
                "name": review.theme,
                "regime": review.get_kind_display(),
                "period": f"{_day(review.fieldwork_start)} to {_day(review.fieldwork_end)}",
                "recommendations": len(kinds.get(Finding.Kind.RECOMMENDATION, [])),
                "findings": [
                    {
                        "kind": kind,
                        "count": len(items),
                        "words": items[0].kind_lower if len(items) == 1 else lower_words(items[0].kind_plural),
                    }
                    for kind, items in kinds.items()
                ],
                "actions": sum(counts.values()),
                "outcomes": [
                    {"code": code, "label": label, "count": counts[code]}
                    for code, label in Outcome.choices
                    if counts.get(code)
                ],
            }
        )
    return rows


def _not_implemented(partnership: Partnership, starts_on: datetime.date, ends_on: datetime.date) -> list[dict]:
    """Actions the partnership agreed not to implement from ``starts_on`` to ``ends_on`` (the year's start to
    the meeting of the latest round endorsed in it), with the reasons and who agreed."""
    return [
        {
            "plan": action.plan.title,
            "reference": action.reference,
            "description": action.description,
            "lead_agency": action.lead_agency.name,
            "decided_on": _day(action.not_implemented_on),
            "reason": action.not_implemented_reason,
            "agreed_by": action.not_implemented_agreed_by.name if action.not_implemented_agreed_by else "",
        }
        for action in Action.objects.for_partnership(partnership)
        .with_outcome(Outcome.NOT_IMPLEMENTED)
        .filter(not_implemented_on__gte=starts_on, not_implemented_on__lte=ends_on)
        .select_related("plan", "lead_agency", "not_implemented_agreed_by__user")
        .order_by("not_implemented_on", "plan_id", "position", "pk")
    ]


def _replaced(partnership: Partnership, starts_on: datetime.date, ends_on: datetime.date) -> list[dict]:
    """Actions superseded by, or merged into, another action from ``starts_on`` to ``ends_on`` (as above)."""
    return [
        {
            "plan": action.plan.title,
            "reference": action.reference,
            "description": action.description,
            "how": action.get_replaced_how_display() or "Replaced by",
            "by_reference": action.replaced_by.reference if action.replaced_by else "",
            "by_description": action.replaced_by.description if action.replaced_by else "",
            "by_plan": action.replaced_by.plan.title if action.replaced_by else "",
            "decided_on": _day(action.replaced_on),
            "reason": action.replaced_reason,
        }
        for action in Action.objects.for_partnership(partnership)
        .with_outcome(Outcome.SUPERSEDED, Outcome.MERGED)
        .filter(replaced_on__gte=starts_on, replaced_on__lte=ends_on)
        .select_related("plan", "replaced_by__plan")
        .order_by("replaced_on", "plan_id", "position", "pk")
    ]


def yearly_reports(partnership: Partnership) -> list[YearlyReport]:
    """The partnership's yearly reports, newest year first, each with ``latest_version`` (None: never
    published) and ``published_count``. One query."""
    from django.db.models import Count

    return list(
        YearlyReport.objects.for_partnership(partnership)
        .annotate(latest_version=Max("versions__version"), published_count=Count("versions"))
        .order_by("-starts_on")
    )


def published_versions(report: YearlyReport) -> list[PublishedYearlyReport]:
    """A report's published versions, newest first, without their stored HTML, PDF and tables."""
    return list(
        PublishedYearlyReport.objects.filter(report=report)
        .defer("html", "figures")
        .select_related("published_by__user")
        .order_by("-version")
    )


def suggested_year(partnership: Partnership, today: datetime.date) -> dict[str, datetime.date]:
    """The year a new report most likely covers: the latest 1 April to 31 March that has ended, if the
    partnership has no report for it yet (else nothing is suggested)."""
    end_year = today.year if today >= datetime.date(today.year, 4, 1) else today.year - 1
    starts_on, ends_on = datetime.date(end_year - 1, 4, 1), datetime.date(end_year, 3, 31)
    taken = (
        YearlyReport.objects.for_partnership(partnership)
        .filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
        .exists()
    )
    return {} if taken else {"starts_on": starts_on, "ends_on": ends_on}
