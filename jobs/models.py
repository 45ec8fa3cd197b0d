"""A piece of work a person asked for that runs outside the web request: a report's PDF, publishing, an export.

The web request writes a :class:`Job` and answers at once with the job's page; a worker (django-tasks: the
database backend's ``db_worker`` by default, RQ in production) runs it (:func:`jobs.services.job_run`) and keeps
its file through Django's storage API, so a deployment can put the files in object storage.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone

from inspections.models import Partnership
from inspections.tenancy import TenantQuerySet
from people.models import Person

#: A job still waiting or running after this long is taken as lost: its page says so, and asking again starts anew.
LOST_AFTER = datetime.timedelta(minutes=30)


class Job(models.Model):
    partnership_lookup = "partnership"

    class Kind(models.TextChoices):
        REPORT_DRAFT_PDF = "report_draft_pdf", "Committee report draft PDF"
        REPORT_PUBLISH = "report_publish", "Committee report published"
        YEARLY_DRAFT_PDF = "yearly_draft_pdf", "Yearly report draft PDF"
        YEARLY_PUBLISH = "yearly_publish", "Yearly report published"
        ROUND_XLSX = "round_xlsx", "Round spreadsheet"
        PLAN_XLSX = "plan_xlsx", "Plan spreadsheet"
        PLAN_JSON = "plan_json", "Plan as JSON"

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Ready"
        FAILED = "failed", "Stopped"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    #: Who asked: only they see the job and its file. None for work no person asked for.
    requested_by = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    #: What the work needs to find its rows again (primary keys, a version), as JSON.
    parameters = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    #: What the worker is doing, in words for the person waiting ("Laying out 42 pages").
    progress = models.CharField(max_length=200, blank=True)
    #: Out of 100, for the progress bar.
    percent = models.PositiveSmallIntegerField(default=0)
    result = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    #: The file's name for the person downloading it, and its type.
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    #: Where the person goes once the work is done, for work that leaves no file (a published version's page).
    done_url = models.CharField(max_length=300, blank=True)
    #: What went wrong, in words for the person who asked (never a traceback).
    error = models.TextField(blank=True)
    #: The SHA-256 of what the work renders (a draft's HTML): a job with the same key already done has the same file.
    content_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "kind", "content_key"], name="job_content_key")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_state_display().lower()})"

    @property
    def done(self) -> bool:
        return self.state == self.State.DONE

    @property
    def failed(self) -> bool:
        return self.state == self.State.FAILED

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def seems_lost(self) -> bool:
        """Still waiting or running long after any job should have finished: its worker stopped or none is running."""
        return not self.is_finished and self.created_at < timezone.now() - LOST_AFTER
