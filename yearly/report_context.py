"""The one context of the yearly report template, for its page and its PDF alike (as the committee report's)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from reports.report_context import Publication
from reports.report_text import report_style, text_blocks
from yearly.models import SECTIONS, YearlyReport
from yearly.selectors import published_versions, year_figures

TEMPLATE = "yearly/report.html"

__all__ = ["TEMPLATE", "Publication", "render_yearly_html", "yearly_context"]


def yearly_context(
    report: YearlyReport,
    *,
    publication: Publication | None = None,
    interactive: bool = True,
    can_publish: bool = False,
) -> dict[str, Any]:
    """The context of the yearly report template.

    ``report`` was fetched for the reader (scoped to their partnership and checked); the tables are read
    from the record as at the year's end (:func:`yearly.selectors.year_figures`). ``interactive`` adds what
    only the page shows (the versions published, and the officer's controls when ``can_publish``); the PDF
    and the published copy leave it out. ``publication`` marks the output as a published version.
    """
    partnership = report.partnership
    figures = year_figures(partnership, report.starts_on, report.ends_on)
    versions = published_versions(report) if interactive else []
    if interactive and publication is None and versions and versions[0].report_version == report.version:
        # The page shows the report as saved, and that is what the newest version published.
        newest = versions[0]
        publication = Publication(newest.version, newest.published_at, newest.published_by.name)
    style = report_style(partnership)
    return {
        "report": report,
        "figures": figures,
        "style": style,
        "council_name": style.council_name or partnership.local_authority,
        "sections": {
            name: {"heading": heading, "blocks": text_blocks(getattr(report, name))} for name, heading in SECTIONS
        },
        "publication": publication,
        "interactive": interactive,
        "can_publish": interactive and can_publish,
        "versions": versions,
    }


def render_yearly_html(context: dict[str, Any]) -> str:
    """The report page as HTML, without a request: what the PDF and the published copy are made from."""
    return render_to_string(TEMPLATE, context)
