"""A plan's and a round's exports as jobs: the request asks and answers with the job's page; a worker builds the
file (a 5,000-action plan's spreadsheet takes seconds), kept through the storage API for the person who asked."""

from __future__ import annotations

import json

from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from actions.models import ActionPlan, MonitoringRound
from jobs.models import Job
from jobs.services import job_request
from jobs.work import Outcome, Progress
from people.models import Person
from reports import exports
from transfers import plan_json, plan_xlsx
from transfers.spreadsheets import XLSX_CONTENT_TYPE

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


def plan_export_request(*, plan: ActionPlan, by: Person, kind: str) -> Job:
    """The job that exports the plan (``Job.Kind.PLAN_XLSX`` or ``PLAN_JSON``) for ``by``, who may export it."""
    return job_request(
        partnership=plan.inspection.partnership,
        requested_by=by,
        kind=kind,
        parameters={"plan": plan.pk, "back": reverse("actions:plan", args=[plan.pk])},
    )


def round_export_request(*, monitoring_round: MonitoringRound, by: Person) -> Job:
    """The job that writes every action of the round as a spreadsheet, for ``by``, who may read the round."""
    return job_request(
        partnership=monitoring_round.plan.inspection.partnership,
        requested_by=by,
        kind=Job.Kind.ROUND_XLSX,
        parameters={
            "round": monitoring_round.pk,
            "back": reverse("reports:committee_report", args=[monitoring_round.pk]),
        },
    )


def file_name(plan: ActionPlan, extension: str) -> str:
    return f"{slugify(plan.title) or 'action-plan'}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _plan(job: Job) -> ActionPlan:
    return (
        ActionPlan.objects.for_partnership(job.partnership)
        .select_related("inspection__partnership")
        .get(pk=job.parameters["plan"])
    )


def plan_xlsx_file(job: Job, progress: Progress) -> Outcome:
    progress("Writing the spreadsheet", 20)
    plan = _plan(job)
    return Outcome(
        content=plan_xlsx.plan_xlsx(plan),
        filename=file_name(plan, "xlsx"),
        content_type=XLSX_CONTENT_TYPE,
        message="The spreadsheet is ready",
    )


def plan_json_file(job: Job, progress: Progress) -> Outcome:
    progress("Writing the JSON file", 20)
    plan = _plan(job)
    body = json.dumps(plan_json.plan_document(plan), indent=2, ensure_ascii=False)
    return Outcome(
        content=body.encode("utf-8"),
        filename=file_name(plan, "json"),
        content_type=JSON_CONTENT_TYPE,
        message="The JSON file is ready",
    )


def round_xlsx_file(job: Job, progress: Progress) -> Outcome:
    progress("Writing the spreadsheet", 20)
    monitoring_round = (
        MonitoringRound.objects.for_partnership(job.partnership)
        .select_related("plan__inspection__partnership")
        .get(pk=job.parameters["round"])
    )
    rows = exports.round_rows(monitoring_round)
    content = exports.rows_to_xlsx(rows, title=f"{monitoring_round.plan.title}, {monitoring_round.label}")
    return Outcome(
        content=content,
        filename=f"{exports.file_stem(monitoring_round)}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
        message="The spreadsheet is ready",
    )
