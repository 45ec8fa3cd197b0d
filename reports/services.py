"""Changes to committee reports: save the officer's text, publish a frozen version, keep the partnership's style.

Views parse the request and call one of these; nothing else writes these rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.utils import timezone

from actions.models import MonitoringRound
from inspections.models import Partnership
from jobs.bounded import render_pdf
from jtai_tracker.versions import FieldChange, change, field_changes, refuse_if_stale
from jtai_tracker.writes import assign_fields, attribute
from people.models import Person
from reports.logos import Logo
from reports.models import IMPLICATIONS, CommitteeReport, PublishedReport, ReportStyle
from reports.pdf import inline_stylesheets
from reports.report_context import Publication, render_report_html, report_context
from reports.report_text import AUTHOR_FIELDS, DEFAULT_FIELDS, SECTIONS, report_style

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
    "implications",
    "sign_off",
    *AUTHOR_FIELDS,
)
#: What a published report must have, each with the words that ask for it (the check page puts them by its row).
REQUIRED_TO_PUBLISH = {
    "committee": "Enter the committee the report goes to",
    "meeting_date": "Enter the date of the meeting",
    "title": "Enter the report's title",
    "report_of": 'Enter who the report is "Report of"',
}


class ReportNotReady(Exception):
    """The report cannot be published yet; the message says why, in words."""


class ReportIncomplete(ReportNotReady):
    """The report lacks something a published report needs; ``problems`` says what, field by field."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(". ".join(problems.values()) + " before publishing.")


class ReportChanged(ReportNotReady):
    """The report was saved again after the officer checked it: they check it again before publishing."""


class AlreadyPublished(ReportNotReady):
    """This saved state of the report is already a published version (``published``): nothing new was made."""

    def __init__(self, published: PublishedReport):
        self.published = published
        super().__init__(f"Version {published.version} of this report was already published.")


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
    if "implications" in fields:
        fields["implications"] = {key: text.strip() for key, text in fields["implications"].items() if text.strip()}
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
    refuse_if_stale(saved, expected_version, _report_changes(saved, fields), what="this report")
    return _write(saved, by, fields) if fields else saved


def _report_changes(saved: CommitteeReport, fields: dict[str, Any]) -> list[FieldChange]:
    """Where the form differs from the saved report, each implication as a row of its own."""
    changes = field_changes(saved, {name: value for name, value in fields.items() if name != "implications"})
    if "implications" in fields:
        for key, label in IMPLICATIONS:
            theirs, yours = saved.implications.get(key, ""), fields["implications"].get(key, "")
            changes += change(f"implication_{key}", f"Implications: {label.lower()}", theirs, yours)
    return changes


def _write(report: CommitteeReport, by: Person, fields: dict[str, Any]) -> CommitteeReport:
    assign_fields(report, fields, REPORT_FIELDS)
    report._history_user = by.user
    # A new report's one-per-round rule is the database's: a clash is an IntegrityError, caught above.
    report.full_clean(validate_unique=report.pk is not None)
    report.save()
    return report


def publish_problems(report: CommitteeReport) -> dict[str, str]:
    """What stops the report being published, by field (the round's state under "round"); empty when it may be."""
    problems = {}
    monitoring_round = report.round
    if not monitoring_round.is_settled:
        problems["round"] = (
            f"{monitoring_round.label} is {monitoring_round.get_state_display().lower()}: a report can be "
            "published only once the sub-group has agreed every quadrant"
        )
    for name, words in REQUIRED_TO_PUBLISH.items():
        if not getattr(report, name):
            problems[name] = words
    return problems


def report_publish(*, report: CommitteeReport, by: Person, expected_version: int) -> PublishedReport:
    """Publish the report as it was saved at ``expected_version`` (the version its check page showed).

    Guarantees: only for a round the sub-group has agreed, and only with a
    committee, a meeting date, a title and a presenting officer
    (:class:`ReportIncomplete`, naming each); each saved state of the report is
    published once at most: a second submit of the same check page, or two at
    once, makes one version and the other gets :class:`AlreadyPublished` with
    it; if the report was saved again since the check page was read,
    :class:`ReportChanged` and nothing is written. The stored HTML (stylesheets
    and the partnership's logo included), the PDF, its SHA-256 and the figures
    all come from one rendering, so they agree with each other; versions count
    up from 1 per report and are never overwritten. The rendering runs before
    the transaction, so a slow PDF never holds the database's write lock; the
    PDF is laid out in a child process within its limits
    (:func:`jobs.bounded.render_pdf`), which raises
    :class:`jobs.bounded.RenderLimit` when one is hit, leaving nothing written.
    Run by a job (``reports.report_jobs.publish``), never in a web request.
    """
    problems = publish_problems(report)
    if "round" in problems:
        raise ReportNotReady(problems["round"] + ".")
    if problems:
        raise ReportIncomplete(problems)
    if report.pk is None:
        raise ReportChanged("Save the report before publishing it.")

    def render(publication: Publication) -> tuple[str, bytes, dict]:
        context = report_context(report, publication=publication, interactive=False)
        html = render_report_html(context)
        return html, render_pdf(html, title=report.title), context["figures"]

    return publish_version(
        report=report,
        published_model=PublishedReport,
        expected_version=expected_version,
        by=by,
        render=render,
        fields={"title": report.title, "committee": report.committee, "meeting_date": report.meeting_date},
    )


def publish_version(
    *,
    report: Any,
    published_model: type[Any],
    expected_version: int,
    by: Person,
    render: Callable[[Publication], tuple[str, bytes, dict]],
    fields: dict[str, Any],
) -> Any:
    """The one way a report's saved state becomes a published version (committee reports and yearly reports).

    ``render(publication)`` gives the HTML, the PDF and the figures of one rendering, so they agree; it runs before
    the transaction, so a slow PDF never holds the database's write lock. Each saved state (``expected_version``,
    kept as ``report_version``, unique per report) is published once: a second submit of the same check page, or two
    at once, makes one version and the other gets :class:`AlreadyPublished` with it; a report saved again since
    the check gets :class:`ReportChanged` and nothing is written. Versions count up from 1 and are never
    overwritten. ``fields`` are the published model's own columns (its title and the like).
    """
    refuse_if_published_or_changed(report, published_model, expected_version)
    for _attempt in range(3):
        version = (published_model.objects.filter(report=report).aggregate(last=Max("version"))["last"] or 0) + 1
        published_at = timezone.now()
        html, pdf, figures = render(Publication(version=version, published_at=published_at, published_by=by.name))
        try:
            with transaction.atomic():
                # Publishers of one report queue here; the one after the first finds its version made.
                locked = type(report).objects.select_for_update().get(pk=report.pk)
                refuse_if_published_or_changed(locked, published_model, expected_version)
                return published_model.objects.create(
                    report=report,
                    version=version,
                    report_version=expected_version,
                    html=inline_stylesheets(html),
                    pdf_file=ContentFile(pdf, name="report.pdf"),  # stored through the storage API
                    figures=figures,
                    sha256=hashlib.sha256(pdf).hexdigest(),
                    published_by=by,
                    published_at=published_at,
                    **fields,
                )
        except IntegrityError:
            refuse_if_published_or_changed(report, published_model, expected_version)
            continue  # someone published this version number first: render again as the next one
    raise ReportNotReady("Other versions were being published at the same moment. Try again.")


def refuse_if_published_or_changed(report: Any, published_model: type[Any], expected_version: int) -> None:
    """:class:`AlreadyPublished` if this saved state is published, :class:`ReportChanged` if the report was saved
    since ``expected_version``: asked by the check page before it asks a job to publish, and again under the lock."""
    already = published_model.objects.filter(report=report, report_version=expected_version).first()
    if already is not None:
        raise AlreadyPublished(already)
    saved_version = type(report).objects.filter(pk=report.pk).values_list("version", flat=True).first()
    if saved_version != expected_version:
        raise ReportChanged("The report was changed after you checked it. Check it again, then publish.")


def access_partnership_for_style(user: Any) -> Partnership:
    """The user's partnership, if they may keep its report style and defaults (officers and the manager): else 403."""
    partnership = Partnership.objects.filter(pk=getattr(getattr(user, "person", None), "partnership_id", None)).first()
    if partnership is None or not user.has_perm("reports.style", partnership):
        raise PermissionDenied
    return partnership


#: The style's own fields a form sets (the logo has its own arguments).
STYLE_FIELDS = ("council_name", "body_size")


@transaction.atomic
def report_style_save(
    *,
    partnership: Partnership,
    by: Person | None,
    fields: dict[str, Any],
    defaults: dict[str, str],
    logo: Logo | None = None,
    logo_name: str = "",
    remove_logo: bool = False,
    expected_version: int | None = None,
) -> ReportStyle:
    """Save the partnership's report style and default wording, with the change (and who made it) in its history.

    ``logo`` is an upload already checked by :func:`reports.logos.checked_logo`; ``remove_logo`` takes the
    logo away. A save from a page read before someone else's save that would undo their change is refused
    (:class:`jtai_tracker.versions.EditConflict`) and nothing is written. Reports published before keep their
    own copy of the old style.
    """
    for name in fields:
        if name not in STYLE_FIELDS:
            raise ValueError(f"{name} cannot be set on a report style")
    defaults = {name: (defaults.get(name) or "").strip() for name in DEFAULT_FIELDS}
    # The partnership's row is locked first, so two first saves queue and the second finds the style made.
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    style = ReportStyle.objects.select_for_update().filter(partnership=partnership).first()
    if style is None:
        style = report_style(partnership)  # the starting style, which the form read as version 0
    else:
        changes = field_changes(style, fields)
        for name in DEFAULT_FIELDS:
            changes += change(name, name, style.defaults.get(name, ""), defaults[name])
        if logo is not None or remove_logo:
            new_sha = hashlib.sha256(logo.content).hexdigest() if logo else ""
            changes += change("logo_sha256", "Logo", style.logo_sha256, new_sha)
        refuse_if_stale(style, expected_version, changes, what="the report style")
    fields = {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}
    assign_fields(style, fields, STYLE_FIELDS)
    style.defaults = {name: value for name, value in defaults.items() if value}
    if logo is not None:
        style.logo, style.logo_type, style.logo_name = logo.content, logo.content_type, logo_name[:200]
        style.logo_sha256 = hashlib.sha256(logo.content).hexdigest()
    elif remove_logo:
        style.logo, style.logo_type, style.logo_name, style.logo_sha256 = b"", "", "", ""
    attribute(style, by)
    style.full_clean()
    style.save()
    return style
