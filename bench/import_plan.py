"""How long a 500-action spreadsheet import takes: preview and commit, on a fresh test database.

    .venv/bin/python bench/import_plan.py [--rows 500] [--repeat 3]

Builds a partnership (12 agencies, 40 leads, 8 areas for improvement) and a 500-row XLSX in the
import's own layout, then times, best of ``--repeat``:

* the service functions: read the file, build the preview, commit (one transaction);
* the whole journey through the test client: upload, columns, preview page (500 rows rendered),
  confirm.

The target is under 3 seconds for preview + commit.
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
    response, preview_seconds = timed(lambda: client.get(reverse("transfers:import_preview", args=[plan.pk])))
    check(response.status_code == 200 and response.context["preview"].is_valid)
    response, commit_seconds = timed(
        lambda: client.post(reverse("transfers:import_preview", args=[plan.pk]), {"intent": "import"})
    )
    check(response.status_code == 302, response.status_code)
    check(plan.actions.count() == rows)
    return upload_seconds, preview_seconds, commit_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()

    import tempfile

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EVIDENCE_ROOT = Path(tempfile.mkdtemp(prefix="bench-evidence-"))
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        service_runs = [bench_services(options.rows) for _ in range(options.repeat)]
        client_runs = [bench_client(options.rows) for _ in range(options.repeat)]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    read_s, preview_s, commit_s, queries = min(service_runs, key=lambda run: run[1] + run[2])
    upload_s, page_s, confirm_s = min(client_runs, key=lambda run: run[1] + run[2])
    print(f"{options.rows} rows, {connection.vendor}, best of {options.repeat}")
    print(f"services: read {read_s:.2f} s, preview {preview_s:.2f} s, commit {commit_s:.2f} s ({queries} queries)")
    print(f"          preview + commit (with reading the file twice) {read_s * 2 + preview_s + commit_s:.2f} s")
    print(f"client:   upload + columns {upload_s:.2f} s, preview page {page_s:.2f} s, confirm {confirm_s:.2f} s")
    print(f"          preview + commit through the views {page_s + confirm_s:.2f} s (target < 3 s)")


if __name__ == "__main__":
    main()
