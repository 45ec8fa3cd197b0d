"""In a real browser: the draft PDF's job page while no worker has run it yet, its progress bar moved by
static/js/job-progress.js under the Content Security Policy, and the page that follows once the worker has; without
JavaScript the page reloads itself to the same end."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import MonitoringRound
from jobs.models import Job
from jobs.services import job_run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}


@pytest.fixture
def may(demo):
    return MonitoringRound.objects.get(plan__inspection__partnership=demo, label="May 2020")


def test_the_job_page_shows_progress_then_the_file_when_the_worker_is_done(
    page, may, sign_in_demo, axe_violations, settings
):
    settings.TASKS = DUMMY_TASKS  # asked for, but no worker runs it until the test says
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    sign_in_demo("officer")
    page.goto(f"/rounds/{may.pk}/committee-report/draft.pdf")
    expect(page.get_by_role("heading", level=1)).to_have_text("Preparing the PDF…")
    expect(page.locator("progress.app-job-progress")).to_be_visible()
    assert axe_violations(page) == []
    job = Job.objects.get()
    assert page.url.endswith(f"/jobs/{job.pk}/")

    job_run(job_id=job.pk)  # the worker's turn: the script notices and shows the file
    expect(page.get_by_role("heading", level=1)).to_have_text("The draft PDF is ready", timeout=20_000)
    assert axe_violations(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Download the draft PDF")).click()
    assert download_info.value.suggested_filename.endswith("-draft.pdf")
    assert problems == []  # nothing refused by the Content Security Policy, no script error


def test_without_javascript_the_job_page_reloads_itself_until_done(chromium, live_server, may, settings, password):
    settings.TASKS = DUMMY_TASKS
    from demo.loader import PASSWORD

    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/")
    page.goto(f"/rounds/{may.pk}/committee-report/draft.pdf")
    expect(page.get_by_role("heading", level=1)).to_have_text("Preparing the PDF…")

    job_run(job_id=Job.objects.get().pk)
    expect(page.get_by_role("heading", level=1)).to_have_text("The draft PDF is ready", timeout=20_000)
    context.close()
