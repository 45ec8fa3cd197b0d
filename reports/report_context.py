"""The one context of the committee report template, for its page and its PDF alike.

The page and the PDF are the same template rendered with the same context
(:func:`report_context`); the PDF is only the page's print rendering. The
context gathers the officer's text (:mod:`reports.report_text`), the figures
(:mod:`reports.report_figures`) and the charts (:mod:`reports.report_chart`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from actions.quadrants import OPEN_QUADRANTS, Quadrant
from reports.models import CommitteeReport, PublishedReport
from reports.report_chart import measure_chart
from reports.report_figures import report_figures
from reports.report_text import SECTIONS, implication_rows, report_style, sign_off_lines, text_blocks
from reports.selectors import Board, board_for

TEMPLATE = "reports/committee/report.html"


@dataclass(frozen=True)
class Publication:
    """What a published version says about itself on its cover."""

    version: int
    published_at: datetime.datetime
    published_by: str


def report_context(
    report: CommitteeReport,
    *,
    publication: Publication | None = None,
    interactive: bool = True,
    can_publish: bool = False,
) -> dict[str, Any]:
    """The context of the report template, for the page and the PDF alike.

    ``report.round`` is a round the caller has fetched for the reader (scoped
    to their partnership and checked), with its plan, inspection and
    partnership; the figures come from that round's board and nothing else.
    ``interactive`` adds what only the page needs (the versions published so
    far, and the publish controls when ``can_publish``); the PDF and the
    published copy leave it out. ``publication`` marks the output as a
    published version instead of a draft.
    """
    monitoring_round = report.round
    board = board_for(monitoring_round.plan, monitoring_round)
    figures = report_figures(board, monitoring_round.plan.inspection.partnership)
    return report_context_for(
        report,
        figures,
        board=board,
        publication=publication,
        interactive=interactive,
        can_publish=interactive and can_publish,
    )


def report_context_for(
    report: CommitteeReport,
    figures: dict[str, Any],
    *,
    board: Board | None = None,
    publication: Publication | None = None,
    interactive: bool = False,
    can_publish: bool = False,
) -> dict[str, Any]:
    versions = []
    if interactive and report.pk:
        versions = list(
            PublishedReport.objects.filter(report=report)
            .defer("html", "figures")
            .select_related("published_by__user")
            .order_by("-version")
        )
        if publication is None and versions and versions[0].report_version == report.version:
            # The page shows the report as saved, and that is what the newest version published.
            newest = versions[0]
            publication = Publication(newest.version, newest.published_at, newest.published_by.name)
    style = report_style(report.round.plan.inspection.partnership)
    return {
        "report": report,
        "figures": figures,
        "style": style,
        "council_name": style.council_name or report.round.plan.inspection.partnership.local_authority,
        "sections": {name: text_blocks(getattr(report, name)) for name in SECTIONS},
        "implications": implication_rows(report.implications),
        "sign_off": sign_off_lines(report.sign_off),
        "measures": [{"figures": m, "chart": measure_chart(m)} for m in figures["impact_measures"]],
        "appendix_rows": _appendix_rows(figures["appendix"]),
        "quadrant_scale": board.scale if board else None,
        "publication": publication,
        "interactive": interactive,
        "can_publish": can_publish,
        "versions": versions,
        "monitoring_round": report.round,
    }


def _appendix_rows(quadrants: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Appendix A's layout: green and yellow, then amber and red, then complete (only if any)."""
    by_key = {quadrant["key"]: quadrant for quadrant in quadrants}
    rows = [[by_key[key] for key in OPEN_QUADRANTS[:2]], [by_key[key] for key in OPEN_QUADRANTS[2:]]]
    if by_key[Quadrant.COMPLETE]["actions"]:
        rows.append([by_key[Quadrant.COMPLETE]])
    return rows


def render_report_html(context: dict[str, Any]) -> str:
    """The report page as HTML, without a request: what the PDF and the published copy are made from."""
    return render_to_string(TEMPLATE, context)
