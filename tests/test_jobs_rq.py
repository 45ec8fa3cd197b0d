"""The same job through RQ on the real Redis server (db 14), as production runs it: asked for by the view, queued in
Redis, run by an RQ worker (in this process, in burst mode), its file downloaded. Skips cleanly without Redis (and
fails on CI, where nothing may skip)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from jobs.models import Job
from tests.jobs import file_of, job_of
from tests.reading import pdf_words
from tests.test_committee_report import COVER, demo_person, save_cover

# Committed: the worker closes and reopens its database connection between jobs, as it does in production.
pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def rq_queue(settings):
    import django_rq
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()


def work_the_queue() -> None:
    """The README's `manage.py rqworker --job-class django_tasks_rq.Job default`, until the queue is empty, without
    forking a work horse per job (so the job sees this test's database transaction)."""
    call_command(
        "rqworker", "default", "--job-class", "django_tasks_rq.Job", "--worker-class", "rq.SimpleWorker", "--burst"
    )


def test_a_draft_pdf_runs_through_rq_on_redis(client, demo, rq_queue):
    from actions.models import MonitoringRound

    may = MonitoringRound.objects.get(plan__inspection__partnership=demo, label="May 2020")
    client.force_login(demo_person("officer").user)
    save_cover(client, may)
    response = client.get(reverse("reports:committee_report_pdf", args=[may.pk]))
    job = job_of(response)
    assert job.state == Job.State.QUEUED
    assert rq_queue.count == 1  # waiting in Redis, not run in the request
    assert "Preparing the PDF…" in client.get(response["Location"]).content.decode()

    work_the_queue()
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    assert rq_queue.count == 0
    assert COVER["title"] in pdf_words(file_of(client, response).content)
