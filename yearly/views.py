"""Yearly report pages, PDFs and published copies. Thin: fetch through an access function, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from jtai_tracker.versions import EditConflict, rebased
from reports.published_files import published_file
from yearly import report_jobs, selectors, services
from yearly.forms import PublishForm, StartForm, YearlyReportForm
from yearly.models import SECTIONS, PublishedYearlyReport
from yearly.report_context import TEMPLATE, yearly_context


def report_list(request):
    """The partnership's yearly reports, newest year first, for every member to read."""
    partnership = services.access_partnership_to_read(request.user)
    return render(
        request,
        "yearly/list.html",
        {
            "reports": selectors.yearly_reports(partnership),
            "can_write": request.user.has_perm("yearly.write", partnership),
        },
    )


def report_start(request):
    """Choose the year a new yearly report covers; the report starts with text drawn from that year's record."""
    partnership = services.access_partnership_for_yearly(request.user)
    form = StartForm(request.POST or None, initial=selectors.suggested_year(partnership, timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.yearly_report_create(
                partnership=partnership,
                by=request.user.person,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except ValidationError as refused:
            for name, errors in refused.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, "Yearly report started. Its text is drawn from the year's record: edit it.")
            return redirect("yearly:report", pk=report.pk)
    return render(request, "yearly/start.html", {"form": form})


def report_page(request, pk: int):
    """The report as it stands: the officer's text around the year's tables."""
    report = services.access_report(request.user, pk)
    may_write = request.user.has_perm("yearly.write", report)
    return render(request, TEMPLATE, yearly_context(report, can_publish=may_write))


def report_edit(request, pk: int):
    """The officer's form: the title and the written sections."""
    report = services.access_report_for_update(request.user, pk)
    form = YearlyReportForm(request.POST or None, initial=YearlyReportForm.initial_for(report))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.yearly_report_save(
                report=report,
                by=request.user.person,
                fields=form.report_fields(),
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as clash:
            # Keep what this officer typed, against the version now saved: saving again goes through.
            report = clash.current
            form = YearlyReportForm(rebased(request.POST, clash), initial=YearlyReportForm.initial_for(report))
            form.is_valid()
            conflict = clash.labelled(form)
        else:
            messages.success(request, "Yearly report saved.")
            return redirect("yearly:report", pk=report.pk)
    return render(
        request,
        "yearly/edit.html",
        {"form": form, "report": report, "conflict": conflict},
        status=409 if conflict else 200,
    )


def report_pdf(request, pk: int):
    """The draft as a PDF, for the officer to check before publishing: made by a job, whose page this sends to."""
    report = services.access_report_for_update(request.user, pk)
    return redirect("jobs:job", pk=report_jobs.draft_pdf_request(report=report, by=request.user.person).pk)


def report_publish(request, pk: int):
    """Check and publish: GET shows what will be published and what stops it; POST (the confirm button) asks a job
    to publish and sends to its page.

    The confirm form carries the version checked, so a second submit, or two at once, makes one version.
    """
    report = services.access_report_for_update(request.user, pk)
    problems = services.publish_problems(report)
    if request.method == "POST":
        form = PublishForm(request.POST)
        if not form.is_valid():
            return redirect("yearly:publish", pk=pk)
        if not problems:
            try:
                services.refuse_if_published_or_changed(report, PublishedYearlyReport, form.cleaned_data["version"])
            except services.AlreadyPublished as already:
                messages.success(request, f"Version {already.published.version} is published.")
                return redirect("yearly:report", pk=pk)
            except services.ReportChanged as changed:
                messages.error(request, str(changed))
                return redirect("yearly:publish", pk=pk)
            job = report_jobs.publish_request(
                report=report, by=request.user.person, expected_version=form.cleaned_data["version"]
            )
            return redirect("jobs:job", pk=job.pk)
    return render(
        request,
        "yearly/publish.html",
        {
            "report": report,
            "rows": _check_rows(report, problems),
            "problems": problems,
            "next_version": PublishedYearlyReport.objects.filter(report=report).count() + 1,
        },
        status=400 if problems and request.method == "POST" else 200,
    )


def _check_rows(report, problems: dict[str, str]) -> list[dict]:
    """The check page's summary list: each row's label, value, where to change it, and what stops publishing."""
    edit = reverse("yearly:edit", args=[report.pk])

    def row(key: str, label: str, value: str, change: bool = True) -> dict:
        return {
            "key": key,
            "label": label,
            "value": value,
            "change_url": f"{edit}#id_{key}" if change else "",
            "error": problems.get(key, ""),
        }

    def written(text: str) -> str:
        return "Written" if (text or "").strip() else ""

    return [
        row("title", "Title", report.title),
        row("ends_on", "The year", report.year_label, change=False),
        *(row(name, heading, written(getattr(report, name))) for name, heading in SECTIONS),
    ]


def _published(user, pk: int) -> PublishedYearlyReport:
    published = get_object_or_404(PublishedYearlyReport.objects.visible_to(user).select_related("report"), pk=pk)
    if not user.has_perm("inspections.view", published.report):
        raise PermissionDenied
    return published


def published_pdf(request, pk: int):
    """A published version's PDF, byte for byte as it was published."""
    return published_file(request, _published(request.user, pk), "pdf")


def published_html(request, pk: int):
    """A published version's HTML (stylesheets included), as a file: never shown inside the app."""
    return published_file(request, _published(request.user, pk), "html")
