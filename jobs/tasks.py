"""The one task every job runs through, on whichever backend ``settings.TASKS`` names."""

from __future__ import annotations

from django_tasks import task

from jobs.services import job_run


@task()
def run_job(job_id: int) -> str:
    """Run the job (see :func:`jobs.services.job_run`); its state is the task's result."""
    return job_run(job_id=job_id).state
