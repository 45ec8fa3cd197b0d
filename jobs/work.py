"""What each kind of job does, and how the service speaks of it: the one map from a job's kind to its work.

The work itself lives with the app that owns it (``reports/report_jobs.py``, ``yearly/report_jobs.py``,
``transfers/plan_jobs.py``); each is a function ``work(job, progress)`` that
returns an :class:`Outcome` or raises :class:`JobFailed` with a message for the person who asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import import_string

from audit.models import AuditEvent
from jobs.models import Job

#: ``progress("Laying out the pages", 40)``: what the worker is doing, and how far it is out of 100.
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class Outcome:
    """What a job made: a file (``content``, its name and type), or a page to go to (``done_url``), and words."""

    content: bytes | None = None
    filename: str = ""
    content_type: str = ""
    done_url: str = ""
    message: str = ""
    #: The SHA-256 of what was rendered, when the work knows it better than the request did.
    content_key: str = ""


class JobFailed(Exception):
    """The work could not be done for a reason the person who asked should read (a limit, a changed report)."""


@dataclass(frozen=True)
class KindOfWork:
    work: str
    #: The job page's heading while it runs, and what the file is, for its link.
    waiting: str
    thing: str
    #: How a download of its file is written in the security log.
    event: str = AuditEvent.Event.REPORT_DOWNLOADED


_SPREADSHEET = ("Preparing the spreadsheet…", "the spreadsheet", AuditEvent.Event.EXPORTED)

KINDS: dict[str, KindOfWork] = {
    Job.Kind.REPORT_DRAFT_PDF: KindOfWork("reports.report_jobs.draft_pdf", "Preparing the PDF…", "the draft PDF"),
    Job.Kind.REPORT_PUBLISH: KindOfWork("reports.report_jobs.publish", "Publishing the report…", "the report"),
    Job.Kind.YEARLY_DRAFT_PDF: KindOfWork("yearly.report_jobs.draft_pdf", "Preparing the PDF…", "the draft PDF"),
    Job.Kind.YEARLY_PUBLISH: KindOfWork("yearly.report_jobs.publish", "Publishing the report…", "the report"),
    Job.Kind.ROUND_XLSX: KindOfWork(
        "transfers.plan_jobs.round_xlsx_file",
        "Preparing the spreadsheet…",
        "the spreadsheet",
        AuditEvent.Event.EXPORTED,
    ),
    Job.Kind.PLAN_XLSX: KindOfWork(
        "transfers.plan_jobs.plan_xlsx_file", "Preparing the spreadsheet…", "the spreadsheet", AuditEvent.Event.EXPORTED
    ),
    Job.Kind.PLAN_JSON: KindOfWork(
        "transfers.plan_jobs.plan_json_file", "Preparing the JSON file…", "the JSON file", AuditEvent.Event.EXPORTED
    ),
}


def kind_of(job: Job) -> KindOfWork:
    return KINDS[job.kind]


def work_for(job: Job) -> Callable[[Job, Progress], Outcome]:
    return import_string(KINDS[job.kind].work)
