"""Asking for a job and running it: every change to a :class:`jobs.models.Job` is here."""

from __future__ import annotations

import datetime
import logging
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from inspections.models import Partnership
from jobs.models import LOST_AFTER, Job
from jobs.work import JobFailed, Outcome, work_for
from people.models import Person

logger = logging.getLogger(__name__)


GENERIC_FAILURE = "Something went wrong while preparing this. Try again; if it happens again, tell support (job {pk})."


def job_request(
    *,
    partnership: Partnership,
    requested_by: Person | None,
    kind: str,
    parameters: dict,
    content_key: str = "",
) -> Job:
    """A job for this work, queued for a worker; at once, without a new job, when the same work is known.

    With a ``content_key`` (the SHA-256 of what will be rendered): the person's own job with that key, if it is
    waiting, running or done; else, if anyone in the partnership has a finished file with that key, a new job for
    this person that is already done with the same file (nothing is rendered again). A job that failed is never
    handed back: asking again tries again.
    """
    if content_key:
        same = Job.objects.for_partnership(partnership).filter(kind=kind, content_key=content_key)
        recent = timezone.now() - LOST_AFTER
        own = (
            same.filter(requested_by=requested_by)
            .exclude(state=Job.State.FAILED)
            .exclude(state__in=(Job.State.QUEUED, Job.State.RUNNING), created_at__lt=recent)
            .order_by("-pk")
            .first()
        )
        if own is not None:
            return own
        done = same.filter(state=Job.State.DONE).exclude(result="").order_by("-pk").first()
        if done is not None:
            return Job.objects.create(
                partnership=partnership,
                requested_by=requested_by,
                kind=kind,
                parameters=parameters,
                content_key=content_key,
                state=Job.State.DONE,
                progress=done.progress,
                percent=100,
                result=done.result.name,
                result_name=done.result_name,
                result_type=done.result_type,
                done_url=done.done_url,
                started_at=timezone.now(),
                finished_at=timezone.now(),
            )
    job = Job.objects.create(
        partnership=partnership,
        requested_by=requested_by,
        kind=kind,
        parameters=parameters,
        content_key=content_key,
        progress="Waiting for a worker",
    )
    _enqueue(job)
    job.refresh_from_db()  # a backend that runs it at once (tests) has finished it already
    return job


def _enqueue(job: Job) -> None:
    from jobs.tasks import run_job

    # Views call job_request outside any transaction (no ATOMIC_REQUESTS), so the job's row is committed
    # before a worker on another connection (RQ) can look for it.
    run_job.enqueue(job.pk)


def job_progress(*, job: Job, message: str, percent: int) -> None:
    """Tell the person waiting what the work is doing: one write, no lock."""
    job.progress, job.percent = message[:200], max(0, min(100, percent))
    Job.objects.filter(pk=job.pk).update(progress=job.progress, percent=job.percent)


def job_run(*, job_id: int) -> Job:
    """Run a waiting job once: its work's file stored (storage API) and the job done, or failed with a message.

    A job that is not waiting (run already, or by another worker at the same moment) is left as it is. The work
    runs outside any transaction, so a slow PDF holds no lock; a :class:`jobs.work.JobFailed` gives its own
    message, anything else a general one (and the error in the log), never a traceback for the user.
    """
    with transaction.atomic():
        # Only the job's row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of the join.
        job = Job.objects.select_for_update(of=("self",)).select_related("partnership", "requested_by").get(pk=job_id)
        if job.state != Job.State.QUEUED:
            return job
        job.state, job.started_at = Job.State.RUNNING, timezone.now()
        job.progress, job.percent = "Starting", 5
        job.save(update_fields=["state", "started_at", "progress", "percent"])
    try:
        outcome = work_for(job)(job, lambda message, percent: job_progress(job=job, message=message, percent=percent))
    except JobFailed as failed:
        return _finish_failed(job, str(failed))
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        return _finish_failed(job, GENERIC_FAILURE.format(pk=job.pk))
    return _finish_done(job, outcome)


def _finish_done(job: Job, outcome: Outcome) -> Job:
    if outcome.content is not None:
        suffix = outcome.filename.rsplit(".", 1)[-1] if "." in outcome.filename else "bin"
        # A random stored name: the file is reached only through the job's page, by the person who asked.
        job.result.save(f"{secrets.token_hex(16)}.{suffix}", ContentFile(outcome.content), save=False)
    job.result_name = outcome.filename[:200]
    job.result_type = outcome.content_type[:100]
    job.done_url = outcome.done_url[:300]
    job.content_key = outcome.content_key or job.content_key
    job.state, job.finished_at = Job.State.DONE, timezone.now()
    job.progress, job.percent, job.error = outcome.message[:200] or "Ready", 100, ""
    job.save()
    return job


def _finish_failed(job: Job, message: str) -> Job:
    job.state, job.finished_at, job.error = Job.State.FAILED, timezone.now(), message
    job.save(update_fields=["state", "finished_at", "error"])
    return job


def jobs_prune(*, days: int) -> tuple[int, int]:
    """Delete the jobs that finished more than ``days`` ago, and each of their files that no remaining job offers
    (a draft's file is shared by every job that asked for the same content). Returns (jobs, files) deleted.
    Published reports are never touched: their PDFs belong to the published versions, not to a job."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    old = Job.objects.filter(finished_at__lt=cutoff)
    names = set(old.exclude(result="").values_list("result", flat=True))
    with transaction.atomic():
        deleted, _ = old.delete()
        still_offered = set(Job.objects.filter(result__in=names).values_list("result", flat=True))
    files = 0
    for name in sorted(names - still_offered):
        Job._meta.get_field("result").storage.delete(name)
        files += 1
    return deleted, files
