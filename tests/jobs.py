"""Following a job as a person does: the address that asks for it, the job's page, then its file."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import resolve

from jobs.models import Job


def job_of(response) -> Job:
    """The job a response sent the browser to (its page, /jobs/<id>/)."""
    assert response.status_code == 302, response.status_code
    match = resolve(response["Location"])
    assert match.view_name == "jobs:job", response["Location"]
    return Job.objects.get(pk=match.kwargs["pk"])


def job_file(client, url: str, data: dict | None = None):
    """Ask for ``url`` (POST with ``data``, else GET), follow its job page, and download the job's file.

    Tests run jobs at once (tests/conftest.py), so the job's page already offers the file."""
    response = client.post(url, data) if data is not None else client.get(url)
    return file_of(client, response)


def file_of(client, response):
    """The file of the job ``response`` sent the browser to, downloaded after its page."""
    job = job_of(response)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert job.state == Job.State.DONE, job.error
    download = client.get(f"/jobs/{job.pk}/download")
    assert download.status_code == 200
    if not download.streaming:
        return download
    # A stored file is streamed: read it whole, so tests read .content as from any other download.
    whole = HttpResponse(b"".join(download.streaming_content), status=download.status_code)
    for header, value in download.items():
        whole[header] = value
    return whole
