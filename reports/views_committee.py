"""Committee report pages, PDFs and exports. Thin: parse the request, call a selector or service, respond."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify

from actions.models import MonitoringRound
from audit.downloads import Event, recorded_attachment
from jtai_tracker.versions import EditConflict, rebased
from reports import exports, services
from reports.docx import CONTENT_TYPE as DOCX_CONTENT_TYPE
from reports.docx import html_to_docx
from reports.forms import CommitteeReportForm
from reports.models import PublishedReport
from reports.pdf import RenderTimeout, html_to_pdf
from reports.report_context import TEMPLATE, render_report_html, report_context
from reports.report_text import report_or_default
from transfers.spreadsheets import XLSX_CONTENT_TYPE


def _viewable_round(user, round_pk: int) -> MonitoringRound:
    """The round, for anyone in its partnership who may read: 404 for another partnership."""
    monitoring_round = get_object_or_404(
        MonitoringRound.objects.visible_to(user).select_related("plan__inspection__partnership"), pk=round_pk
    )
    if not user.has_perm("inspections.view", monitoring_round):
        raise PermissionDenied
    return monitoring_round


def report(request, round_pk: int):
    """The report as it stands: the officer's text around the round's agreed figures."""
    monitoring_round = _viewable_round(request.user, round_pk)
    may_publish = request.user.has_perm("reports.publish", monitoring_round)
    draft = report_or_default(monitoring_round, request.user.person if may_publish else None)
    return render(request, TEMPLATE, report_context(draft, can_publish=may_publish))


def report_edit(request, round_pk: int):
    """The officer's form: cover block and the four written sections."""
    monitoring_round = services.access_report_for_update(request.user, round_pk)
    draft = report_or_default(monitoring_round, request.user.person)
    form = CommitteeReportForm(request.POST or None, initial=CommitteeReportForm.initial_for(draft))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.report_save(
                report=draft,
                by=request.user.person,
                fields=form.report_fields(),
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as clash:
            # Keep what this officer typed, against the version now saved: saving again goes through.
            draft = clash.current
            form = CommitteeReportForm(rebased(request.POST, clash), initial=CommitteeReportForm.initial_for(draft))
            form.is_valid()
            conflict = clash.labelled(form)
        else:
            messages.success(request, "Report saved.")
            return redirect("reports:committee_report", round_pk=monitoring_round.pk)
    return render(
        request,
        "reports/committee/edit.html",
        {"form": form, "report": draft, "monitoring_round": monitoring_round, "conflict": conflict},
        status=409 if conflict else 200,
    )


def report_pdf(request, round_pk: int):
    """The draft as a PDF, for the officer to check before publishing."""
    monitoring_round = services.access_report_for_update(request.user, round_pk)
    draft = report_or_default(monitoring_round, request.user.person)
    context = report_context(draft, interactive=False)
    try:
        pdf = html_to_pdf(render_report_html(context), title=draft.title)
    except RenderTimeout as slow:
        messages.error(request, f"{slow} Try again later, or ask support to raise the limit.")
        return redirect("reports:committee_report", round_pk=monitoring_round.pk)
    return recorded_attachment(
        request, Event.REPORT_DOWNLOADED, pdf, f"{slugify(draft.title)[:80]}-draft.pdf", "application/pdf"
    )


def report_publish(request, round_pk: int):
    """POST: freeze the report as the next published version."""
    monitoring_round = services.access_report_for_update(request.user, round_pk)
    if request.method != "POST":
        return redirect("reports:committee_report", round_pk=round_pk)
    draft = report_or_default(monitoring_round, request.user.person)
    try:
        published = services.report_publish(report=draft, by=request.user.person)
    except services.ReportIncomplete as incomplete:
        messages.error(request, str(incomplete))
        return redirect("reports:committee_report_edit", round_pk=round_pk)
    except services.ReportNotReady as not_ready:
        messages.error(request, str(not_ready))
        return redirect("reports:committee_report", round_pk=round_pk)
    except RenderTimeout as slow:
        messages.error(request, f"{slow} Nothing was published. Try again later.")
        return redirect("reports:committee_report", round_pk=round_pk)
    messages.success(request, f"Version {published.version} published for {published.committee}.")
    return redirect("reports:committee_report", round_pk=round_pk)


def _published(user, pk: int) -> PublishedReport:
    published = get_object_or_404(PublishedReport.objects.visible_to(user).select_related("report"), pk=pk)
    if not user.has_perm("inspections.view", published.report):
        raise PermissionDenied
    return published


def published_pdf(request, pk: int):
    """A published version's PDF, byte for byte as it was published."""
    published = _published(request.user, pk)
    return recorded_attachment(
        request, Event.REPORT_DOWNLOADED, bytes(published.pdf), f"{published.filename}.pdf", "application/pdf"
    )


def published_html(request, pk: int):
    """A published version's HTML (stylesheets included), as a file: never shown inside the app."""
    published = _published(request.user, pk)
    response = recorded_attachment(
        request,
        Event.REPORT_DOWNLOADED,
        published.html.encode("utf-8"),
        f"{published.filename}.html",
        "text/html; charset=utf-8",
    )
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


def export_xlsx(request, round_pk: int):
    monitoring_round = _viewable_round(request.user, round_pk)
    rows = exports.round_rows(monitoring_round)
    content = exports.rows_to_xlsx(rows, title=f"{monitoring_round.plan.title}, {monitoring_round.label}")
    return recorded_attachment(
        request, Event.EXPORTED, content, f"{exports.file_stem(monitoring_round)}.xlsx", XLSX_CONTENT_TYPE
    )


def export_csv(request, round_pk: int):
    monitoring_round = _viewable_round(request.user, round_pk)
    rows = exports.round_rows(monitoring_round)
    content = exports.rows_to_csv(rows).encode("utf-8")
    return recorded_attachment(
        request, Event.EXPORTED, content, f"{exports.file_stem(monitoring_round)}.csv", "text/csv; charset=utf-8"
    )


def report_docx(request, round_pk: int):
    """The draft as a Word document, made from the same page as the draft PDF, for whoever may get that PDF."""
    monitoring_round = services.access_report_for_update(request.user, round_pk)
    draft = report_or_default(monitoring_round, request.user.person)
    content = html_to_docx(render_report_html(report_context(draft, interactive=False)), title=draft.title)
    return recorded_attachment(
        request, Event.REPORT_DOWNLOADED, content, f"{slugify(draft.title)[:80]}-draft.docx", DOCX_CONTENT_TYPE
    )


def published_docx(request, pk: int):
    """A published version as a Word document, made from the HTML stored when it was published."""
    published = _published(request.user, pk)
    content = html_to_docx(published.html, title=published.title)
    return recorded_attachment(
        request, Event.REPORT_DOWNLOADED, content, f"{published.filename}.docx", DOCX_CONTENT_TYPE
    )
