"""Changes to yearly reports: start one for a year, save the officer's text, publish a frozen version.

Views parse the request and call one of these; nothing else writes these rows. Publishing follows the
committee report's rules and raises its exceptions (``reports.services``): each saved state published once,
a report saved since its check page checked again, the rendering done outside the transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from inspections.models import Partnership
from jobs.bounded import render_pdf
from jtai_tracker.versions import lock_for_edit
from jtai_tracker.writes import assign_fields
from people.models import Person
from reports.services import (
    AlreadyPublished,
    ReportChanged,
    ReportIncomplete,
    ReportNotReady,
    publish_version,
    refuse_if_published_or_changed,
)
from yearly.models import SECTION_FIELDS, PublishedYearlyReport, YearlyReport
from yearly.report_context import Publication, render_yearly_html, yearly_context
from yearly.report_text import default_title, yearly_defaults
from yearly.selectors import year_figures

__all__ = ["AlreadyPublished", "ReportChanged", "ReportIncomplete", "ReportNotReady", "refuse_if_published_or_changed"]

#: The fields an officer writes.
REPORT_FIELDS = ("title", *SECTION_FIELDS)
#: The longest year a yearly report covers (a leap year's 366 days).
LONGEST_YEAR = datetime.timedelta(days=366)
#: What a published yearly report must have, each with the words that ask for it (by its row on the check page).
REQUIRED_TO_PUBLISH = {
    "title": "Enter the report's title",
    "introduction": "Write the introduction",
    "what_was_done": "Write what the partners did",
    "impact_shown": "Write the impact shown",
    "not_implemented": "Write what was not implemented, and why",
    "next_steps": "Write what comes next",
}


def access_partnership_for_yearly(user: Any) -> Partnership:
    """The user's partnership, if they may start and write its yearly reports (officers and the manager): else 403."""
    partnership = Partnership.objects.filter(pk=getattr(getattr(user, "person", None), "partnership_id", None)).first()
    if partnership is None or not user.has_perm("yearly.write", partnership):
        raise PermissionDenied
    return partnership


def access_partnership_to_read(user: Any) -> Partnership:
    """The user's partnership, if they may read its yearly reports (every member): else 403."""
    partnership = Partnership.objects.filter(pk=getattr(getattr(user, "person", None), "partnership_id", None)).first()
    if partnership is None or not user.has_perm("inspections.view", partnership):
        raise PermissionDenied
    return partnership


def access_report(user: Any, pk: int) -> YearlyReport:
    """A yearly report to read: 404 for another partnership's, 403 for anyone who may not read."""
    report = get_object_or_404(YearlyReport.objects.visible_to(user).select_related("partnership"), pk=pk)
    if not user.has_perm("inspections.view", report):
        raise PermissionDenied
    return report


def access_report_for_update(user: Any, pk: int) -> YearlyReport:
    """A yearly report to write or publish: 404 for another partnership's, 403 without the role."""
    report = get_object_or_404(YearlyReport.objects.visible_to(user).select_related("partnership"), pk=pk)
    if not user.has_perm("yearly.write", report):
        raise PermissionDenied
    return report


def year_problems(partnership: Partnership, starts_on: datetime.date, ends_on: datetime.date) -> dict[str, str]:
    """What stops a yearly report covering this year, by field; empty when it may."""
    if ends_on <= starts_on:
        return {"ends_on": "The end of the year must be after its start"}
    if ends_on - starts_on >= LONGEST_YEAR:
        return {"ends_on": "A yearly report covers 12 months at most: the end must be within a year of the start"}
    clash = (
        YearlyReport.objects.for_partnership(partnership)
        .filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
        .order_by("starts_on")
        .first()
    )
    if clash is not None:
        return {"starts_on": f"The partnership already has a yearly report for {clash.year_label}"}
    return {}


@transaction.atomic
def yearly_report_create(
    *, partnership: Partnership, by: Person, starts_on: datetime.date, ends_on: datetime.date
) -> YearlyReport:
    """Start the partnership's yearly report for a year, its text drawn from the year's record.

    Guarantees: one report per partnership for any day (a year overlapping another report's is refused
    with :class:`ValidationError`, by field); the partnership's row is locked first, so two officers
    starting the same year at once make one report and the second is refused.
    """
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    problems = year_problems(partnership, starts_on, ends_on)
    if problems:
        raise ValidationError(problems)
    figures = year_figures(partnership, starts_on, ends_on)
    report = YearlyReport(
        partnership=partnership,
        starts_on=starts_on,
        ends_on=ends_on,
        title=default_title(partnership.name, figures),
        **yearly_defaults(partnership.name, figures),
    )
    report._history_user = by.user
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as clash:  # started meanwhile by a writer that did not lock the partnership
        raise ValidationError({"starts_on": "The partnership already has a yearly report for this year"}) from clash
    return report


@transaction.atomic
def yearly_report_save(
    *, report: YearlyReport, by: Person, fields: dict[str, Any], expected_version: int | None
) -> YearlyReport:
    """Save the officer's text, with the change in its history.

    If the report was saved since ``expected_version`` was read and saving would undo someone else's
    change, nothing is written and :class:`jtai_tracker.versions.EditConflict` shows both versions.
    """
    for name in fields:
        if name not in REPORT_FIELDS:
            raise ValueError(f"{name} is not a field an officer writes")
    fields = {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}
    lock_for_edit(report, expected_version=expected_version, fields=fields, what="this yearly report")
    assign_fields(report, fields, REPORT_FIELDS)
    report._history_user = by.user
    report.full_clean()
    report.save()
    return report


def publish_problems(report: YearlyReport) -> dict[str, str]:
    """What stops the report being published, by field (the year's end under "ends_on"); empty when it may be."""
    problems = {}
    if report.ends_on >= timezone.localdate():
        problems["ends_on"] = "A yearly report can be published only once its year has ended"
    for name, words in REQUIRED_TO_PUBLISH.items():
        if not (getattr(report, name) or "").strip():
            problems[name] = words
    return problems


def yearly_report_publish(*, report: YearlyReport, by: Person, expected_version: int) -> PublishedYearlyReport:
    """Publish the report as it was saved at ``expected_version`` (the version its check page showed).

    Guarantees: only once its year has ended and every section is written (:class:`ReportIncomplete`,
    naming each); each saved state is published once at most: a second submit of the same check page, or
    two at once, makes one version and the other gets :class:`AlreadyPublished` with it; a report saved
    again since the check gets :class:`ReportChanged` and nothing is written. The stored HTML, the PDF,
    its SHA-256 and the tables come from one rendering; versions count up from 1 and are never overwritten.
    The rendering runs before the transaction, its PDF in a child process within its limits
    (:func:`jobs.bounded.render_pdf`); :class:`jobs.bounded.RenderLimit` leaves nothing written. Run by a job
    (``yearly.report_jobs.publish``), never in a web request.
    """
    problems = publish_problems(report)
    if problems:
        raise ReportIncomplete(problems)

    def render(publication: Publication) -> tuple[str, bytes, dict]:
        context = yearly_context(report, publication=publication, interactive=False)
        html = render_yearly_html(context)
        return html, render_pdf(html, title=report.title), context["figures"]

    return publish_version(
        report=report,
        published_model=PublishedYearlyReport,
        expected_version=expected_version,
        by=by,
        render=render,
        fields={"title": report.title, "starts_on": report.starts_on, "ends_on": report.ends_on},
    )
