"""Changes to committee reports: save the officer's text, publish a frozen version.

Views parse the request and call one of these; nothing else writes these rows.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.utils import timezone

from actions.models import MonitoringRound
from people.models import Person
from reports.models import CommitteeReport, PublishedReport
from reports.pdf import html_to_pdf, inline_stylesheets
from reports.report_context import Publication, render_report_html, report_context
from reports.report_text import SECTIONS

#: The fields an officer writes.
REPORT_FIELDS = (
    "title",
    "committee",
    "meeting_date",
    "report_of",
    "report_of_role",
    "cabinet_member",
    "reference",
    *SECTIONS,
)


class ReportNotReady(Exception):
    """The report cannot be published yet; the message says why, in words."""


class ReportIncomplete(ReportNotReady):
    """The cover lacks something a published report needs; the officer can add it in the form."""


def access_report_for_update(user: Any, round_pk: int) -> MonitoringRound:
    """The round whose report the user may write and publish: 404 for another partnership, 403 without the role."""
    monitoring_round = get_object_or_404(
        MonitoringRound.objects.visible_to(user).select_related("plan__inspection__partnership"), pk=round_pk
    )
    if not user.has_perm("reports.publish", monitoring_round):
        raise PermissionDenied
    return monitoring_round


@transaction.atomic
def report_save(*, report: CommitteeReport, by: Person, fields: dict[str, Any]) -> CommitteeReport:
    """Save the officer's text (creating the report on its first save), with the change in its history."""
    for name, value in fields.items():
        if name not in REPORT_FIELDS:
            raise ValueError(f"{name} is not a field an officer writes")
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    report._history_user = by.user
    report.full_clean()
    report.save()
    return report


def report_publish(*, report: CommitteeReport, by: Person, timeout: float | None = None) -> PublishedReport:
    """Publish the report as it stands now: the next version, frozen.

    Guarantees: only for a round the sub-group has agreed, and only with a
    committee, a meeting date, a title and a presenting officer; the stored
    HTML (stylesheets included), the PDF, its SHA-256 and the figures all come
    from one rendering, so they agree with each other; versions count up from
    1 per report and are never overwritten, even when two officers publish at
    once. The rendering runs before the transaction, so a slow PDF never holds
    the database's write lock; raises :class:`reports.pdf.RenderTimeout` if
    it takes too long, leaving nothing written.
    """
    monitoring_round = report.round
    if not monitoring_round.is_settled:
        raise ReportNotReady(
            f"{monitoring_round.label} is {monitoring_round.get_state_display().lower()}: a report can be "
            "published only once the sub-group has agreed every quadrant."
        )
    missing = [
        words
        for words, value in (
            ("the committee", report.committee),
            ("the meeting date", report.meeting_date),
            ("the title", report.title),
            ('who the report is "Report of"', report.report_of),
        )
        if not value
    ]
    if missing:
        listed = ", ".join(missing[:-1]) + (" and " if len(missing) > 1 else "") + missing[-1]
        raise ReportIncomplete(f"Add {listed} before publishing.")
    if report.pk is None:
        report_save(report=report, by=by, fields={})

    for _attempt in range(3):
        version = (PublishedReport.objects.filter(report=report).aggregate(last=Max("version"))["last"] or 0) + 1
        published_at = timezone.now()
        publication = Publication(version=version, published_at=published_at, published_by=by.name)
        context = report_context(report, publication=publication, interactive=False)
        html = render_report_html(context)
        pdf = html_to_pdf(html, title=report.title, timeout=timeout)
        try:
            with transaction.atomic():
                return PublishedReport.objects.create(
                    report=report,
                    version=version,
                    title=report.title,
                    committee=report.committee,
                    meeting_date=report.meeting_date,
                    html=inline_stylesheets(html),
                    pdf=pdf,
                    figures=context["figures"],
                    sha256=hashlib.sha256(pdf).hexdigest(),
                    published_by=by,
                    published_at=published_at,
                )
        except IntegrityError:
            continue  # someone published this version number first: render again as the next one
    raise ReportNotReady("Other versions were being published at the same moment. Try again.")
