"""A committee report's PDFs as jobs: the draft (cached by its content) and publishing, never in a web request.

The request asks (:func:`draft_pdf_request`, :func:`publish_request`); a worker does the work (:func:`draft_pdf`,
:func:`publish`, named in ``jobs.work.KINDS``), the PDF laid out by :func:`jobs.bounded.render_pdf` within its limits.
"""

from __future__ import annotations

from django.urls import reverse

from actions.models import MonitoringRound
from jobs.bounded import RenderLimit, content_key, draft_pdf_outcome
from jobs.models import Job
from jobs.services import job_request
from jobs.work import JobFailed, Outcome, Progress
from people.models import Person
from reports import services
from reports.models import CommitteeReport
from reports.report_context import render_report_html, report_context
from reports.report_text import report_or_default


def _draft_html(draft: CommitteeReport) -> str:
    return render_report_html(report_context(draft, interactive=False))


def draft_pdf_request(*, draft: CommitteeReport, by: Person) -> Job:
    """The job for the draft's PDF: the one already made if nothing in the report changed since, else a new one.

    Renders the draft's HTML here (tens of milliseconds; the PDF is what is slow) for its content key."""
    monitoring_round = draft.round
    return job_request(
        partnership=monitoring_round.plan.inspection.partnership,
        requested_by=by,
        kind=Job.Kind.REPORT_DRAFT_PDF,
        parameters={
            "round": monitoring_round.pk,
            "back": reverse("reports:committee_report", args=[monitoring_round.pk]),
        },
        content_key=content_key(_draft_html(draft), draft.title),
    )


def _round(job: Job) -> MonitoringRound:
    return (
        MonitoringRound.objects.for_partnership(job.partnership)
        .select_related("plan__inspection__partnership")
        .get(pk=job.parameters["round"])
    )


def draft_pdf(job: Job, progress: Progress) -> Outcome:
    """The draft as the person who asked sees it, as a PDF."""
    progress("Gathering the figures", 10)
    draft = report_or_default(_round(job), job.requested_by)
    html = _draft_html(draft)
    progress("Laying out the pages", 30)
    return draft_pdf_outcome(html, title=draft.title)


def publish_request(*, draft: CommitteeReport, by: Person, expected_version: int) -> Job:
    """The job that publishes the report as saved at ``expected_version`` (the version its check page showed)."""
    monitoring_round = draft.round
    return job_request(
        partnership=monitoring_round.plan.inspection.partnership,
        requested_by=by,
        kind=Job.Kind.REPORT_PUBLISH,
        parameters={
            "round": monitoring_round.pk,
            "version": expected_version,
            "back": reverse("reports:committee_report_publish", args=[monitoring_round.pk]),
        },
    )


def publish(job: Job, progress: Progress) -> Outcome:
    """:func:`reports.services.report_publish`, its PDF laid out within the limits; its refusals in words."""
    monitoring_round = _round(job)
    report_page = reverse("reports:committee_report", args=[monitoring_round.pk])
    draft = report_or_default(monitoring_round, job.requested_by)
    progress("Laying out the pages", 20)
    try:
        published = services.report_publish(
            report=draft, by=job.requested_by, expected_version=job.parameters["version"]
        )
    except services.AlreadyPublished as already:
        return Outcome(
            done_url=report_page,
            message=f"Version {already.published.version} is published for {already.published.committee}.",
        )
    except services.ReportIncomplete as incomplete:
        raise JobFailed(
            "Nothing was published: " + "; ".join(incomplete.problems.values()) + ". Check the report again."
        ) from incomplete
    except (services.ReportChanged, services.ReportNotReady) as refused:
        raise JobFailed(f"Nothing was published. {refused}") from refused
    except RenderLimit as limit:
        raise JobFailed(f"{limit} Nothing was published.") from limit
    return Outcome(done_url=report_page, message=f"Version {published.version} published for {published.committee}.")
