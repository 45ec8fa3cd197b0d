"""The yearly report's PDFs as jobs: the draft (cached by its content) and publishing, never in a web request.

The same shape as ``reports.report_jobs``: the request asks, a worker renders within the limits
(:func:`jobs.bounded.render_pdf`).
"""

from __future__ import annotations

from django.urls import reverse

from jobs.bounded import RenderLimit, content_key, draft_pdf_outcome
from jobs.models import Job
from jobs.services import job_request
from jobs.work import JobFailed, Outcome, Progress
from people.models import Person
from yearly import services
from yearly.models import YearlyReport
from yearly.report_context import render_yearly_html, yearly_context


def _draft_html(report: YearlyReport) -> str:
    return render_yearly_html(yearly_context(report, interactive=False))


def _report(job: Job) -> YearlyReport:
    return (
        YearlyReport.objects.for_partnership(job.partnership)
        .select_related("partnership")
        .get(pk=job.parameters["report"])
    )


def draft_pdf_request(*, report: YearlyReport, by: Person) -> Job:
    """The job for the draft's PDF: the one already made if nothing in the report changed since, else a new one."""
    return job_request(
        partnership=report.partnership,
        requested_by=by,
        kind=Job.Kind.YEARLY_DRAFT_PDF,
        parameters={"report": report.pk, "back": reverse("yearly:report", args=[report.pk])},
        content_key=content_key(_draft_html(report), report.title),
    )


def draft_pdf(job: Job, progress: Progress) -> Outcome:
    progress("Gathering the year's figures", 10)
    report = _report(job)
    html = _draft_html(report)
    progress("Laying out the pages", 30)
    return draft_pdf_outcome(html, title=report.title)


def publish_request(*, report: YearlyReport, by: Person, expected_version: int) -> Job:
    """The job that publishes the yearly report as saved at ``expected_version``."""
    return job_request(
        partnership=report.partnership,
        requested_by=by,
        kind=Job.Kind.YEARLY_PUBLISH,
        parameters={
            "report": report.pk,
            "version": expected_version,
            "back": reverse("yearly:publish", args=[report.pk]),
        },
    )


def publish(job: Job, progress: Progress) -> Outcome:
    """:func:`yearly.services.yearly_report_publish`, its PDF laid out within the limits; its refusals in words."""
    report = _report(job)
    report_page = reverse("yearly:report", args=[report.pk])
    progress("Laying out the pages", 20)
    try:
        published = services.yearly_report_publish(
            report=report, by=job.requested_by, expected_version=job.parameters["version"]
        )
    except services.AlreadyPublished as already:
        return Outcome(done_url=report_page, message=f"Version {already.published.version} is published.")
    except services.ReportIncomplete as incomplete:
        raise JobFailed(
            "Nothing was published: " + "; ".join(incomplete.problems.values()) + ". Check the report again."
        ) from incomplete
    except services.ReportNotReady as refused:
        raise JobFailed(f"Nothing was published. {refused}") from refused
    except RenderLimit as limit:
        raise JobFailed(f"{limit} Nothing was published.") from limit
    return Outcome(done_url=report_page, message=f"Version {published.version} of the yearly report published.")
