"""Background jobs: a draft PDF asked for, its page while it runs, its file; the same draft again at once; the
limits in words; and nobody but the person who asked sees a job."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from jobs.models import Job
from jobs.services import GENERIC_FAILURE, job_request, job_run
from people.models import Person
from tests.jobs import file_of, job_of
from tests.reading import pdf_words
from tests.test_committee_report import COVER, demo_person, save_cover

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}


@pytest.fixture
def may(demo):
    from actions.models import MonitoringRound

    return MonitoringRound.objects.get(plan__inspection__partnership=demo, label="May 2020")


@pytest.fixture
def officer(client, demo):
    client.force_login(demo_person("officer").user)
    return client


def draft_url(monitoring_round):
    return reverse("reports:committee_report_pdf", args=[monitoring_round.pk])


def test_the_draft_pdf_is_made_by_a_job_and_its_file_is_the_report(officer, may):
    save_cover(officer, may)
    response = officer.get(draft_url(may))
    job = job_of(response)
    assert (job.kind, job.requested_by, job.state) == (Job.Kind.REPORT_DRAFT_PDF, demo_person("officer"), "done")
    page = officer.get(response["Location"]).content.decode()
    assert "The draft PDF is ready" in page
    assert f'href="{reverse("jobs:download", args=[job.pk])}"' in page
    assert 'http-equiv="refresh"' not in page  # finished: nothing to wait for

    download = file_of(officer, response)
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith('attachment; filename="jtai-action-plan-progress-update')
    assert COVER["title"] in pdf_words(download.content)
    downloaded = AuditEvent.objects.filter(event=AuditEvent.Event.REPORT_DOWNLOADED).get()
    assert downloaded.subject == job.result_name
    assert job.result.name.startswith("jobs/") and job.content_key


def test_the_same_draft_again_is_the_same_job_at_once_and_a_change_makes_a_new_one(officer, may, client):
    save_cover(officer, may)
    first = job_of(officer.get(draft_url(may)))
    again = job_of(officer.get(draft_url(may)))
    assert again.pk == first.pk
    assert Job.objects.count() == 1

    # Someone else in the partnership asking for the same draft gets their own job, done at once with the same file.
    client.force_login(demo_person("manager").user)
    theirs = job_of(client.get(draft_url(may)))
    assert theirs.pk != first.pk
    assert (theirs.state, theirs.result.name, theirs.content_key) == ("done", first.result.name, first.content_key)

    save_cover(officer, may, purpose="A purpose written after the first PDF.")
    changed = job_of(officer.get(draft_url(may)))
    assert changed.pk not in (first.pk, theirs.pk)
    assert changed.content_key != first.content_key and changed.result.name != first.result.name


def test_a_failed_job_is_tried_again_when_asked_again(officer, may, settings):
    save_cover(officer, may)
    settings.REPORT_PDF_TIMEOUT_SECONDS = 0  # no render finishes in no time: the clock stops it
    failed = job_of(officer.get(draft_url(may)))
    assert failed.state == Job.State.FAILED
    settings.REPORT_PDF_TIMEOUT_SECONDS = 120
    again = job_of(officer.get(draft_url(may)))
    assert again.pk != failed.pk and again.state == Job.State.DONE


def test_running_out_of_time_says_so(officer, may, settings):
    save_cover(officer, may)
    settings.REPORT_PDF_TIMEOUT_SECONDS = 0  # the child is killed at the first look
    job = job_of(officer.get(draft_url(may)))
    assert job.state == Job.State.FAILED
    assert job.error.startswith("The report was too large to prepare in 0 seconds, so it was stopped.")


def test_publishing_beyond_a_limit_publishes_nothing_and_says_so(officer, may, settings):
    from reports.models import PublishedReport

    report = save_cover(officer, may)
    settings.REPORT_PDF_MEMORY_MB = 1
    settings.REPORT_PDF_TIMEOUT_SECONDS = 20
    response = officer.post(reverse("reports:committee_report_publish", args=[may.pk]), {"version": report.version})
    job = job_of(response)
    assert job.state == Job.State.FAILED
    assert job.error.endswith("Nothing was published.")
    assert not PublishedReport.objects.exists()
    page = officer.get(response["Location"]).content.decode()
    assert "The report could not be prepared" in page
    assert f'href="{reverse("reports:committee_report_publish", args=[may.pk])}">Go back' in page


def test_a_waiting_job_reloads_its_page_without_javascript_and_reports_progress(officer, may, settings):
    settings.TASKS = DUMMY_TASKS  # asked for, but no worker runs it yet
    response = officer.get(draft_url(may))
    job = job_of(response)
    assert job.state == Job.State.QUEUED
    page = officer.get(response["Location"]).content.decode()
    assert re.search(r"<title>\s*Preparing the PDF…", page)
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert '<script src="/static/js/job-progress.js" defer></script>' in page
    assert f'data-status-url="{reverse("jobs:status", args=[job.pk])}"' in page
    assert '<progress class="app-job-progress" max="100" value="0"' in page
    assert "<script>" not in page  # nothing inline: the Content Security Policy allows none
    status = officer.get(reverse("jobs:status", args=[job.pk])).json()
    assert status == {
        "state": "queued",
        "finished": False,
        "progress": "Waiting for a worker",
        "percent": 0,
        "page": response["Location"],
    }
    assert officer.get(reverse("jobs:download", args=[job.pk])).status_code == 404

    job_run(job_id=job.pk)  # the worker's turn
    assert officer.get(reverse("jobs:status", args=[job.pk])).json()["finished"] is True
    page = officer.get(response["Location"]).content.decode()
    assert "http-equiv" not in page and "The draft PDF is ready" in page
    assert job_run(job_id=job.pk).state == Job.State.DONE  # run once only: a second delivery changes nothing


def test_nobody_but_the_person_who_asked_sees_a_job(officer, may, client):
    job = job_of(officer.get(draft_url(may)))
    addresses = [reverse(name, args=[job.pk]) for name in ("jobs:job", "jobs:status", "jobs:download")]
    for username in ("manager", "viewer", "halton.manager"):
        client.force_login(demo_person(username).user)
        assert [client.get(address).status_code for address in addresses] == [404, 404, 404], username


def test_work_that_breaks_fails_with_words_for_the_user_not_a_traceback(demo):
    officer = demo_person("officer")
    job = job_request(
        partnership=officer.partnership,
        requested_by=officer,
        kind=Job.Kind.REPORT_DRAFT_PDF,
        parameters={"round": 0},  # no such round
    )
    assert job.state == Job.State.FAILED
    assert job.error == GENERIC_FAILURE.format(pk=job.pk)


def test_the_job_page_costs_the_same_queries_waiting_or_done(officer, may, settings):
    settings.TASKS = DUMMY_TASKS
    job = job_of(officer.get(draft_url(may)))
    address = reverse("jobs:job", args=[job.pk])
    with CaptureQueriesContext(connection) as waiting:
        assert officer.get(address).status_code == 200
    job_run(job_id=job.pk)
    with CaptureQueriesContext(connection) as done:
        assert officer.get(address).status_code == 200
    with CaptureQueriesContext(connection) as status:
        officer.get(reverse("jobs:status", args=[job.pk]))
    assert len(waiting) == len(done) <= 8, [q["sql"] for q in done.captured_queries]
    assert len(status) <= 7, [q["sql"] for q in status.captured_queries]


def test_people_of_another_role_are_refused_the_draft_before_any_job(client, may):
    client.force_login(Person.objects.get(user__username="viewer").user)
    assert client.get(draft_url(may)).status_code == 403
    assert not Job.objects.exists()


def test_exports_are_jobs_whose_files_are_recorded_as_exports(client, may):
    from tests.reading import xlsx_rows

    viewer = demo_person("viewer")
    client.force_login(viewer.user)
    response = client.get(reverse("reports:round_xlsx", args=[may.pk]))
    job = job_of(response)
    assert (job.kind, job.requested_by, job.state) == (Job.Kind.ROUND_XLSX, viewer, Job.State.DONE)
    assert "The spreadsheet is ready" in client.get(response["Location"]).content.decode()
    rows = xlsx_rows(file_of(client, response).content)
    assert len(rows) == 22
    exported = AuditEvent.objects.get(event=AuditEvent.Event.EXPORTED)
    assert (exported.user, exported.subject) == (viewer.user, job.result_name)


def test_prune_jobs_deletes_old_jobs_and_the_files_no_other_job_offers(officer, may, client, settings):
    import datetime
    import io

    from django.core.management import call_command
    from django.utils import timezone

    save_cover(officer, may)
    old = job_of(officer.get(draft_url(may)))
    client.force_login(demo_person("manager").user)
    sharing = job_of(client.get(draft_url(may)))  # the same file as the old one
    alone = job_of(officer.get(reverse("reports:round_xlsx", args=[may.pk])))
    long_ago = timezone.now() - datetime.timedelta(days=settings.JOB_RETENTION_DAYS + 1)
    Job.objects.filter(pk__in=[old.pk, alone.pk]).update(finished_at=long_ago)
    storage = Job._meta.get_field("result").storage

    out = io.StringIO()
    call_command("prune_jobs", stdout=out)
    assert "2 job(s) and 1 file(s) deleted." in out.getvalue()
    assert list(Job.objects.values_list("pk", flat=True)) == [sharing.pk]
    assert storage.exists(sharing.result.name)  # still offered by the manager's job
    assert not storage.exists(alone.result.name)


def test_a_job_no_worker_ran_for_half_an_hour_says_so_and_asking_again_starts_anew(officer, may, settings):
    import datetime

    from django.utils import timezone

    settings.TASKS = DUMMY_TASKS  # no worker
    lost = job_of(officer.get(draft_url(may)))
    page = officer.get(reverse("jobs:job", args=[lost.pk])).content.decode()
    assert "taking far longer than it should" not in page
    Job.objects.filter(pk=lost.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=31))
    page = officer.get(reverse("jobs:job", args=[lost.pk])).content.decode()
    assert "This is taking far longer than it should" in page and f"tell support (job {lost.pk})" in page
    again = job_of(officer.get(draft_url(may)))
    assert again.pk != lost.pk


def test_a_render_stopped_at_its_limit_says_so_never_a_server_error(officer, may, settings):
    save_cover(officer, may)
    settings.REPORT_PDF_TIMEOUT_SECONDS = 0  # the clock stops it at once
    response = officer.get(draft_url(may))
    job = job_of(response)
    assert job.state == Job.State.FAILED
    assert re.match(r"The report was too large to prepare in .+, so it was stopped\.", job.error)
    page = officer.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "The draft PDF could not be prepared" in text
    assert job.error in text
    assert "Traceback" not in text
    assert officer.get(reverse("jobs:download", args=[job.pk])).status_code == 404
