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
from jtai_tracker.versions import field_changes, refuse_if_stale
from jtai_tracker.writes import assign_fields
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
def report_save(
    *, report: CommitteeReport, by: Person, fields: dict[str, Any], expected_version: int | None = None
) -> CommitteeReport:
    """Save the officer's text (creating the report on its first save), with the change in its history.

    ``report`` is the round's report or the unsaved draft it starts from; the report as saved is returned.
    Guarantees: one report per round, however many officers save at once: the round is locked first, so
    simultaneous first saves queue and each finds the report the one before it created. If the report was
    saved since ``expected_version`` was read (0: it did not exist yet) and the fields differ from what is
    saved now, nothing is written and :class:`jtai_tracker.versions.EditConflict` shows both versions.
    """
    for name in fields:
        if name not in REPORT_FIELDS:
            raise ValueError(f"{name} is not a field an officer writes")
    fields = {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}
    MonitoringRound.objects.select_for_update().get(pk=report.round_id)
    saved = CommitteeReport.objects.select_for_update().filter(round_id=report.round_id).first()
    if saved is None:
        try:
            with transaction.atomic():
                return _write(report, by, fields)
        except IntegrityError:
            # Created meanwhile by a writer that did not lock the round: go on as if it had been found.
            saved = CommitteeReport.objects.select_for_update().get(round_id=report.round_id)
    saved.round = report.round  # already loaded with its plan and partnership
    refuse_if_stale(saved, expected_version, field_changes(saved, fields), what="this report")
    return _write(saved, by, fields) if fields else saved


def _write(report: CommitteeReport, by: Person, fields: dict[str, Any]) -> CommitteeReport:
    assign_fields(report, fields, REPORT_FIELDS)
    report._history_user = by.user
    # A new report's one-per-round rule is the database's: a clash is an IntegrityError, caught above.
    report.full_clean(validate_unique=report.pk is not None)
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
        report = report_save(report=report, by=by, fields={})

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
