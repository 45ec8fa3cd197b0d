"""How long a 500-action spreadsheet import takes: preview and commit, on a fresh test database.

    .venv/bin/python bench/import_plan.py [--rows 500] [--repeat 3]
    .venv/bin/python bench/import_plan.py --json 2000 [--repeat 1]

Builds a partnership (12 agencies, 40 leads, 8 areas for improvement) and a 500-row XLSX in the
import's own layout, then times, best of ``--repeat``:

* the service functions: read the file, build the preview, commit (one transaction);
* the whole journey through the test client: upload, columns, preview page (500 rows rendered),
  confirm.

The target is under 3 seconds for preview + commit.

With ``--json N`` it times the JSON import instead (``transfers.plan_json.plan_import_document``, as
``manage.py import_plan_json`` runs it): a plan of N actions with four rounds (an update for every
action in each, two rounds endorsed with their frozen record), its findings' sign-offs and an impact
measure, exported and imported into an empty partnership, with the queries it took.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jtai_tracker.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from openpyxl import Workbook  # noqa: E402


def build_world():
    from actions.models import ActionPlan
    from inspections.models import Agency, Finding, Inspection, Partnership
    from people.models import Person
    from tests.factories import PersonFactory, UserFactory

    number = Partnership.objects.count() + 1
    partnership = Partnership.objects.create(name=f"Benchmark partnership {number}", local_authority="Benchmark")
    agencies = [
        Agency.objects.create(partnership=partnership, name=f"Agency number {n}", short_name=f"AG{n}")
        for n in range(12)
    ]
    leads = [
        PersonFactory(
            partnership=partnership,
            agency=agencies[n % 12],
            user=UserFactory(first_name=f"Lead{n}", last_name=f"Person{n}", password=None),
        )
        for n in range(40)
    ]
    manager = PersonFactory(partnership=partnership, agency=agencies[0], role=Person.Role.MANAGER)
    inspection = Inspection.objects.create(
        partnership=partnership,
        theme="Child sexual and criminal exploitation",
        fieldwork_start=datetime.date(2019, 6, 17),
        fieldwork_end=datetime.date(2019, 6, 21),
    )
    for number in range(1, 9):
        Finding.objects.create(
            inspection=inspection, kind=Finding.Kind.AREA_FOR_IMPROVEMENT, number=number, text=f"Area {number}"
        )
    plan = ActionPlan.objects.create(inspection=inspection, title="Benchmark plan")
    return plan, agencies, leads, manager


def workbook_bytes(rows: int, agencies, leads) -> bytes:
    from transfers.plan_xlsx import HEADER

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    sheet.append(HEADER)
    words = "Produce a partnership profile regarding criminal exploitation and update the CSE intelligence profile"
    for n in range(rows):
        lead = leads[n % len(leads)]
        sheet.append(
            [
                f"{n // 10 + 1}.{n % 10 + 1}",
                f"{words} ({n})",
                f"{n % 8 + 1}, {(n + 3) % 8 + 1}",
                lead.user.get_full_name(),
                lead.agency.short_name,
                f"{agencies[(n + 1) % 12].name}; {agencies[(n + 2) % 12].short_name}",
                datetime.datetime(2021, 3, 31) if n % 2 else "31/03/2021",
                "A criminal exploitation profile is signed off by the sub-group and used to direct disruption.",
                "Refreshed every year and reported to the sub-group.",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check(condition: bool, problem: object = "") -> None:
    if not condition:
        raise SystemExit(f"The benchmark went wrong: {problem}")


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def bench_services(rows: int) -> tuple[float, float, float, int]:
    from transfers.columns import guess_mapping
    from transfers.plan_import import plan_import_commit, preview_build
    from transfers.spreadsheets import read_bytes

    plan, agencies, leads, manager = build_world()
    content = workbook_bytes(rows, agencies, leads)
    sheet, read_seconds = timed(lambda: read_bytes(content, "plan.xlsx"))
    mapping = guess_mapping(sheet.headers)
    preview, preview_seconds = timed(lambda: preview_build(plan=plan, sheet=sheet, mapping=mapping))
    check(preview.is_valid, preview.problem_rows[:3])
    with CaptureQueriesContext(connection) as queries:
        result, commit_seconds = timed(
            lambda: plan_import_commit(plan=plan, sheet=read_bytes(content, "plan.xlsx"), mapping=mapping, by=manager)
        )
    check(len(result.actions) == rows)
    return read_seconds, preview_seconds, commit_seconds, len(queries.captured_queries)


def bench_client(rows: int) -> tuple[float, float, float]:
    plan, agencies, leads, manager = build_world()
    content = workbook_bytes(rows, agencies, leads)
    client = Client()
    client.force_login(manager.user)
    upload = io.BytesIO(content)
    upload.name = "plan.xlsx"
    start = time.perf_counter()
    response = client.post(reverse("transfers:import", args=[plan.pk]), {"file": upload})
    check(response.status_code == 302, response.status_code)
    form = client.get(reverse("transfers:import_columns", args=[plan.pk])).context["form"]
    response = client.post(reverse("transfers:import_columns", args=[plan.pk]), form.initial)
    check(response.status_code == 302)
    upload_seconds = time.perf_counter() - start
    cpu = time.process_time()  # this process's own work: steadier than the clock on a busy machine (SQLite)
    response, preview_seconds = timed(lambda: client.get(reverse("transfers:import_preview", args=[plan.pk])))
    check(response.status_code == 200 and response.context["preview"].is_valid)
    response, commit_seconds = timed(
        lambda: client.post(reverse("transfers:import_preview", args=[plan.pk]), {"intent": "import"})
    )
    check(response.status_code == 302, response.status_code)
    check(plan.actions.count() == rows)
    return upload_seconds, preview_seconds, commit_seconds, time.process_time() - cpu


def build_json_plan(actions: int):
    """A plan of ``actions`` actions with four rounds of updates (two endorsed), written in bulk."""
    from actions.models import Action, ImpactMeasure, ImpactValue, MonitoringRound, Update
    from actions.services import round_snapshot
    from inspections.models import Finding, FindingSignOff
    from reports.frozen import frozen_record_save

    plan, agencies, leads, manager = build_world()
    findings = list(Finding.objects.filter(inspection=plan.inspection).order_by("number"))
    FindingSignOff.objects.create(
        finding=findings[0],
        signed_off_on=datetime.date(2021, 5, 1),
        agreed_by_body="Safeguarding board",
        evidence="Audit of 40 cases",
        recorded_by=manager,
        recorded_at=datetime.datetime(2021, 5, 1, 12, tzinfo=datetime.UTC),
    )
    created = Action.objects.bulk_create(
        Action(
            plan=plan,
            reference=f"{n // 10 + 1}.{n % 10 + 1}",
            position=n,
            description=f"Produce a partnership profile regarding criminal exploitation ({n})",
            lead=leads[n % len(leads)],
            lead_agency=leads[n % len(leads)].agency,
            target_date=datetime.date(2021, 3, 31),
            measure_of_success="A profile signed off by the sub-group.",
        )
        for n in range(actions)
    )
    Action.areas.through.objects.bulk_create(
        Action.areas.through(action=action, finding=findings[n % len(findings)]) for n, action in enumerate(created)
    )
    Action.supporting_agencies.through.objects.bulk_create(
        Action.supporting_agencies.through(action=action, agency=agencies[(n + 1) % 12])
        for n, action in enumerate(created)
    )
    ends = [datetime.date(2020, month, 30 if month in (6, 9) else 31) for month in (3, 6, 9, 12)]
    for number, period_end in enumerate(ends):
        state = MonitoringRound.State.ENDORSED if number < 2 else MonitoringRound.State.AGREED
        monitoring_round = MonitoringRound.objects.create(
            plan=plan,
            label=f"Round {number + 1}",
            period_end=period_end,
            update_deadline=period_end - datetime.timedelta(days=7),
            state=state,
            endorsed_on=period_end + datetime.timedelta(days=20) if number < 2 else None,
        )
        Update.objects.bulk_create(
            Update(
                action=action,
                round=monitoring_round,
                status=Update.Status.SUBMITTED,
                narrative=f"Progress in round {number + 1} on action {action.reference}.",
                proposed_quadrant="green",
                agreed_quadrant="green",
                submitted_by=action.lead,
                agreed_by=manager,
            )
            for action in created
        )
        if number < 2:
            frozen_record_save(monitoring_round=monitoring_round, snapshot=round_snapshot(monitoring_round))
    measure = ImpactMeasure.objects.create(plan=plan, name="Children missing from home", unit="count")
    ImpactValue.objects.create(measure=measure, period_label="Q1", period_end=ends[0], value=12)
    return plan


def bench_json(actions: int) -> tuple[float, int]:
    import json

    from tests.factories import PartnershipFactory
    from transfers.plan_json import plan_document, plan_import_document

    document = json.loads(json.dumps(plan_document(build_json_plan(actions))))
    stamp = time.perf_counter_ns()
    for person in document["people"]:  # people are matched by email: these are new people in a new partnership
        person["email"] = f"{stamp}-{person['email']}"
    partnership = PartnershipFactory(name=f"JSON import {stamp}")
    queries = []  # counted, not kept: CaptureQueriesContext keeps only the last 9,000

    def count(execute, sql, params, many, context):
        queries.append(None)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        result, seconds = timed(lambda: plan_import_document(document=document, partnership=partnership))
    check(result.plan.actions.count() == actions)
    return seconds, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=int, default=0, metavar="ACTIONS", help="time the JSON import instead")
    options = parser.parse_args()

    import tempfile

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EVIDENCE_ROOT = Path(tempfile.mkdtemp(prefix="bench-evidence-"))
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    if options.json:
        try:
            json_runs = [bench_json(options.json) for _ in range(options.repeat)]
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        seconds, queries = min(json_runs)
        print(f"JSON import of {options.json} actions, {connection.vendor}, best of {options.repeat}")
        print(f"import {seconds:.2f} s ({queries} queries)")
        return
    try:
        service_runs = [bench_services(options.rows) for _ in range(options.repeat)]
        client_runs = [bench_client(options.rows) for _ in range(options.repeat)]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    read_s, preview_s, commit_s, queries = min(service_runs, key=lambda run: run[1] + run[2])
    upload_s, page_s, confirm_s, cpu_s = min(client_runs, key=lambda run: run[1] + run[2])
    print(f"{options.rows} rows, {connection.vendor}, best of {options.repeat}")
    print(f"services: read {read_s:.2f} s, preview {preview_s:.2f} s, commit {commit_s:.2f} s ({queries} queries)")
    print(f"          preview + commit (with reading the file twice) {read_s * 2 + preview_s + commit_s:.2f} s")
    print(f"client:   upload + columns {upload_s:.2f} s, preview page {page_s:.2f} s, confirm {confirm_s:.2f} s")
    print(f"          preview + commit through the views {page_s + confirm_s:.2f} s (target < 3 s), {cpu_s:.2f} s CPU")


if __name__ == "__main__":
    main()
