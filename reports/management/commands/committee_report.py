"""``manage.py committee_report``: a round's committee report as a PDF file, from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils.text import slugify

from actions.models import ActionPlan, MonitoringRound
from inspections.models import Partnership
from reports.pdf import RenderTimeout, html_to_pdf
from reports.report_context import render_report_html, report_context
from reports.report_text import report_or_default


class Command(BaseCommand):
    help = (
        "Render a monitoring round's committee report to a PDF file: the same report, text and figures as the "
        "report page. Without options it takes the newest agreed or endorsed round of the only plan. A partnership "
        "with several plans (an inspection's, a review's) is narrowed by --round to the plan with that round, "
        "else its first plan (its oldest source) is taken; across partnerships it says which to choose."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", help="The partnership's name or id.")
        parser.add_argument("--plan", help="The action plan's title or id.")
        parser.add_argument(
            "--round", dest="round_", metavar="ROUND", help='The round\'s label (e.g. "May 2020") or id.'
        )
        parser.add_argument("--output", help="Where to write the PDF (default: a name made from the plan and round).")
        parser.add_argument("--timeout", type=float, default=300, help="Give up after this many seconds (300).")

    def handle(self, *args: Any, partnership=None, plan=None, round_=None, output=None, timeout=300, **options):
        self.round_wanted = (round_ or "").strip()
        chosen_plan = self._plan(self._partnerships(partnership), plan)
        monitoring_round = self._round(chosen_plan, round_)
        report = report_or_default(monitoring_round, author=None)
        context = report_context(report, interactive=False)
        try:
            pdf = html_to_pdf(render_report_html(context), title=report.title, timeout=timeout)
        except RenderTimeout as slow:
            raise CommandError(str(slow)) from slow
        path = Path(output or f"{slugify(f'{chosen_plan.title} {monitoring_round.label}')[:100]}-committee-report.pdf")
        path.write_bytes(pdf)
        draft = "" if report.pk else " (not yet saved in the app: the text is the default starting point)"
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({len(pdf):,} bytes): {report.title}{draft}."))

    def _partnerships(self, wanted: str | None) -> list[Partnership]:
        partnerships = Partnership.objects.order_by("name")
        if wanted is None:
            return list(partnerships)
        # The full name, an id, or the start of a name ("Northumberland"); plans then narrow it further.
        found = list(partnerships.filter(_name_or_id("name", wanted))) or list(
            partnerships.filter(name__istartswith=wanted.strip())
        )
        if not found:
            raise CommandError(_choices(f"No partnership called {wanted!r}.", partnerships))
        return found

    def _plan(self, partnerships: list[Partnership], wanted: str | None) -> ActionPlan:
        plans = ActionPlan.objects.filter(inspection__partnership__in=partnerships).select_related(
            "inspection__partnership"
        )
        candidates = list(plans.filter(_name_or_id("title", wanted))) if wanted else list(plans)
        if len(candidates) > 1 and not wanted and len(partnerships) == 1:
            named = [p for p in candidates if self.round_wanted and p.rounds.filter(label__iexact=self.round_wanted)]
            oldest = min(candidates, key=lambda p: (p.inspection.fieldwork_start, p.pk))
            return named[0] if len(named) == 1 else oldest
        if len(candidates) == 1:
            return candidates[0]
        lines = [f"{p.pk}: {p.title} ({p.inspection.partnership.name})" for p in plans]
        if not candidates:
            problem = f"No plan called {wanted!r}." if wanted else "There is no action plan yet."
        else:
            problem = f"{len(candidates)} plans match: choose one with --plan (title or id), or --partnership."
        raise CommandError(_choices(problem, lines))

    def _round(self, plan: ActionPlan, wanted: str | None) -> MonitoringRound:
        rounds = MonitoringRound.objects.filter(plan=plan).select_related("plan__inspection__partnership")
        lines = [f"{r.pk}: {r.label} ({r.get_state_display().lower()})" for r in rounds.order_by("period_end")]
        if wanted:
            found = rounds.filter(_name_or_id("label", wanted)).first()
            if found is None:
                raise CommandError(_choices(f"No round called {wanted!r} in {plan.title}.", lines))
            return found
        newest = rounds.settled().order_by("-period_end").first()
        if newest is None:
            raise CommandError(
                _choices(f"{plan.title} has no agreed or endorsed round yet: choose one with --round.", lines)
            )
        return newest


def _name_or_id(field: str, value: str) -> Q:
    condition = Q(**{f"{field}__iexact": value.strip()})
    if value.strip().isdigit():
        condition |= Q(pk=int(value))
    return condition


def _choices(problem: str, choices: Any) -> str:
    listed = [str(choice) for choice in choices]
    return problem + ("\nChoices:\n  " + "\n  ".join(listed) if listed else "")
