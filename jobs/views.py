"""A job's page while it runs, its state for the progress bar, and its file. Thin: fetch, respond."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from audit.downloads import recorded_attachment
from jobs.access import access_job
from jobs.models import Job
from jobs.work import kind_of

#: Seconds between reloads of a job's page without JavaScript (the script asks every second instead).
REFRESH_SECONDS = 2


def job_page(request, pk: int):
    """ "Preparing the PDF…" while the job runs (reloading itself), then its file's link or the page it made."""
    job = access_job(request.user, pk)
    if job.state == Job.State.DONE and job.done_url and not job.result:
        messages.success(request, job.progress)
        return redirect(job.done_url)
    return render(
        request,
        "jobs/job.html",
        {"job": job, "kind": kind_of(job), "refresh_seconds": REFRESH_SECONDS},
    )


def job_status(request, pk: int):
    """The job's state as JSON, for ``static/js/job-progress.js``."""
    job = access_job(request.user, pk)
    response = JsonResponse(
        {
            "state": job.state,
            "finished": job.is_finished,
            "progress": job.progress,
            "percent": job.percent,
            "page": reverse("jobs:job", args=[job.pk]),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


def job_download(request, pk: int):
    """The job's file, recorded in the security log as its kind's download."""
    job = access_job(request.user, pk)
    if job.state != Job.State.DONE or not job.result:
        raise Http404("This job has no file.")
    return recorded_attachment(request, kind_of(job).event, job.result.open("rb"), job.result_name, job.result_type)
