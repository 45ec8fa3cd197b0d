"""Committee report pages, PDFs and exports. Thin: parse the request, call a selector or service, respond."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import slugify

from actions.models import MonitoringRound
from audit.downloads import Event, recorded_attachment
from jtai_tracker.versions import EditConflict, rebased
from reports import exports, report_jobs, services
from reports.docx import CONTENT_TYPE as DOCX_CONTENT_TYPE
from reports.docx import html_to_docx
from reports.forms import CommitteeReportForm, PublishForm, ReportStyleForm
from reports.models import IMPLICATIONS, PublishedReport
from reports.published_files import published_file
from reports.report_context import TEMPLATE, render_report_html, report_context
from reports.report_text import report_or_default, report_style
from transfers.plan_jobs import round_export_request


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
    """The draft as a PDF, for the officer to check before publishing: made by a job, whose page this sends to."""
    monitoring_round = services.access_report_for_update(request.user, round_pk)
    draft = report_or_default(monitoring_round, request.user.person)
    return redirect("jobs:job", pk=report_jobs.draft_pdf_request(draft=draft, by=request.user.person).pk)


def report_publish(request, round_pk: int):
    """Check and publish: GET shows what will be published and what stops it; POST (the confirm button) asks a job
    to publish (the PDF is never made in a web request) and sends to its page.

    The confirm form carries the version checked, so a second submit, or two at once, makes one version.
    """
    monitoring_round = services.access_report_for_update(request.user, round_pk)
    draft = report_or_default(monitoring_round, request.user.person)
    problems = services.publish_problems(draft)
    if request.method == "POST":
        form = PublishForm(request.POST)
        if not form.is_valid():
            return redirect("reports:committee_report_publish", round_pk=round_pk)
        if "round" in problems:
            problems = {"round": problems["round"]}
        elif not problems:
            if draft.pk is None:
                messages.error(request, "Save the report before publishing it.")
                return redirect("reports:committee_report_publish", round_pk=round_pk)
            try:
                services.refuse_if_published_or_changed(draft, PublishedReport, form.cleaned_data["version"])
            except services.AlreadyPublished as already:
                messages.success(
                    request, f"Version {already.published.version} is published for {already.published.committee}."
                )
                return redirect("reports:committee_report", round_pk=round_pk)
            except services.ReportChanged as changed:
                messages.error(request, str(changed))
                return redirect("reports:committee_report_publish", round_pk=round_pk)
            job = report_jobs.publish_request(
                draft=draft, by=request.user.person, expected_version=form.cleaned_data["version"]
            )
            return redirect("jobs:job", pk=job.pk)
    return render(
        request,
        "reports/committee/publish.html",
        {
            "report": draft,
            "monitoring_round": monitoring_round,
            "rows": _check_rows(draft, problems),
            "problems": problems,
            "next_version": PublishedReport.objects.filter(report=draft).count() + 1 if draft.pk else 1,
        },
        status=400 if problems and request.method == "POST" else 200,
    )


def _check_rows(report, problems: dict[str, str]) -> list[dict]:
    """The check page's summary list: each row's label, value, where to change it, and what stops publishing."""
    edit = reverse("reports:committee_report_edit", args=[report.round_id])
    monitoring_round = report.round

    def row(key: str, label: str, value: str, anchor: str = "") -> dict:
        return {
            "key": key,
            "label": label,
            "value": value,
            "change_url": f"{edit}#{anchor or 'id_' + key}" if anchor != "-" else "",
            "error": problems.get(key, ""),
        }

    def written(text: str) -> str:
        return "Written" if (text or "").strip() else "Empty"

    as_at = monitoring_round.as_at
    implications = sum(1 for key, _label in IMPLICATIONS if (report.implications or {}).get(key, "").strip())
    return [
        row("title", "Title", report.title),
        row("committee", "Committee", report.committee),
        row(
            "meeting_date",
            "Date of the meeting",
            date_format(report.meeting_date, "j F Y") if report.meeting_date else "",
            "id_meeting_date_0",
        ),
        row("report_of", "Report of", ", ".join(filter(None, (report.report_of, report.report_of_role)))),
        row(
            "round",
            "Monitoring round",
            f"{monitoring_round.label} ({monitoring_round.get_state_display().lower()})",
            "-",
        ),
        row("as_at", "Figures as at", date_format(as_at, "j F Y") if as_at else "", "-"),
        row("purpose", "Purpose of report", written(report.purpose)),
        row("recommendations", "Recommendations", written(report.recommendations)),
        row("key_issues", "Key issues", written(report.key_issues)),
        row("background", "Background", written(report.background)),
        row(
            "implications",
            "Implications",
            f"{implications} of {len(IMPLICATIONS)} written; the others say None",
            "id_implication_policy",
        ),
        row("background_papers", "Background papers", written(report.background_papers)),
        row("sign_off", "Report sign-off", written(report.sign_off)),
        row("author_name", "Author and contact details", written(report.author_name)),
    ]


def report_style_edit(request):
    """The partnership's report style (council name, logo, body text size) and the wording new reports start with."""
    partnership = services.access_partnership_for_style(request.user)
    from_round = _round_of(partnership, request.GET.get("from", ""))
    style = report_style(partnership)
    form = ReportStyleForm(
        request.POST or None, request.FILES or None, style=style, initial=ReportStyleForm.initial_for(style)
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("logo")
        try:
            services.report_style_save(
                partnership=partnership,
                by=request.user.person,
                fields=form.style_fields(),
                defaults=form.defaults(),
                logo=form.checked_logo,
                logo_name=upload.name if upload else "",
                remove_logo=form.cleaned_data["remove_logo"] and form.checked_logo is None,
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as clash:
            style = clash.current
            form = ReportStyleForm(
                rebased(request.POST, clash), style=style, initial=ReportStyleForm.initial_for(style)
            )
            form.is_valid()
            conflict = clash.labelled(form)
        else:
            messages.success(request, "Report style and default wording saved.")
            back = f"?from={from_round.pk}" if from_round else ""
            return redirect(reverse("reports:report_style") + back)
    return render(
        request,
        "reports/committee/style.html",
        {"form": form, "style": style, "partnership": partnership, "conflict": conflict, "from_round": from_round},
        status=409 if conflict else 200,
    )


def _round_of(partnership, pk: str) -> MonitoringRound | None:
    """The round whose report the style page was opened from (``?from=``), if it is one of the partnership's."""
    if not pk.isdigit():
        return None
    return MonitoringRound.objects.for_partnership(partnership).filter(pk=int(pk)).first()


def _published(user, pk: int) -> PublishedReport:
    published = get_object_or_404(PublishedReport.objects.visible_to(user).select_related("report"), pk=pk)
    if not user.has_perm("inspections.view", published.report):
        raise PermissionDenied
    return published


def published_pdf(request, pk: int):
    """A published version's PDF, byte for byte as it was published."""
    return published_file(request, _published(request.user, pk), "pdf")


def published_html(request, pk: int):
    """A published version's HTML (stylesheets included), as a file: never shown inside the app."""
    return published_file(request, _published(request.user, pk), "html")


def export_xlsx(request, round_pk: int):
    """Every action of the round as a spreadsheet: built by a job, whose page this sends to."""
    monitoring_round = _viewable_round(request.user, round_pk)
    job = round_export_request(monitoring_round=monitoring_round, by=request.user.person)
    return redirect("jobs:job", pk=job.pk)


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
