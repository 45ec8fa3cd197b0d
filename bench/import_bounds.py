"""How long the spreadsheet import takes at its bounds, on a fresh test database.

    .venv/bin/python bench/import_bounds.py [--repeat 3]

Times, best of ``--repeat``, through Django's test client as a signed-in manager:

* the partnership's own 30-action sheet (``tests/partnership_sheet.py``: areas by their words, leads by job
  title, a RAG column that becomes the opening round) through every step: upload, columns, preview, confirm;
* a sheet of ``settings.IMPORT_MAX_ROWS`` (2,000) rows in the import's own layout, through every step;
* reading a 31 KB-ish workbook whose sheet holds a million empty rows, and one with a stray cell at row
  1,000,000 (the upload step alone: it must be read, or refused, in well under 2 seconds).

It prints the figures; the targets are the last file under 2 s and the others under a few seconds.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jtai_tracker.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from openpyxl import Workbook  # noqa: E402


def check(condition: bool, problem: object = "") -> None:
    if not condition:
        raise SystemExit(f"The benchmark went wrong: {problem}")


def build_world():
    """A partnership with the 30-action sheet's findings, agencies and people, a plan and its manager."""
    from actions.models import ActionPlan
    from inspections.models import Agency, Finding, Inspection, Partnership
    from people.models import Person
    from tests import partnership_sheet
    from tests.factories import PersonFactory, UserFactory

    number = Partnership.objects.count() + 1
    partnership = Partnership.objects.create(name=f"Benchmark partnership {number}", local_authority="Benchmark")
    agencies = {}
    for name, short, titles in partnership_sheet.AGENCIES:
        agency = agencies[short] = Agency.objects.create(partnership=partnership, name=name, short_name=short)
        for n, title in enumerate(titles):
            user = UserFactory(first_name=f"{short}{n}", last_name=f"Lead{number}", password=None)
            PersonFactory(user=user, partnership=partnership, agency=agency, role=Person.Role.LEAD, job_title=title)
    manager = PersonFactory(partnership=partnership, agency=agencies["NCC"], role=Person.Role.MANAGER)
    inspection = Inspection.objects.create(
        partnership=partnership,
        theme="Child sexual and criminal exploitation",
        fieldwork_start=datetime.date(2019, 6, 17),
        fieldwork_end=datetime.date(2019, 6, 21),
    )
    for n, text in enumerate(partnership_sheet.FINDINGS, start=1):
        Finding.objects.create(inspection=inspection, kind=Finding.Kind.AREA_FOR_IMPROVEMENT, number=n, text=text)
    plan = ActionPlan.objects.create(inspection=inspection, title="Benchmark plan")
    return plan, manager


def big_sheet(rows: int) -> bytes:
    """``rows`` actions in the import's own layout, led by people the partnership has (by job title)."""
    from transfers.plan_xlsx import HEADER

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    sheet.append(HEADER)
    for n in range(rows):
        sheet.append(
            [
                f"{n // 100 + 1}.{n % 100 + 1}",
                f"Produce a partnership profile regarding criminal exploitation ({n})",
                f"{n % 4 + 1}",
                "Named Nurse for Safeguarding Children",
                ["NHCFT", "CNTW"][n % 2],
                "Police; NCC",
                datetime.datetime(2022, 3, 31),
                "A profile signed off by the sub-group.",
                "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def million_row_sheets() -> dict[str, bytes]:
    """A workbook whose sheet holds a million empty rows, and one with a stray cell at row 1,000,000."""
    from tests.partnership_sheet import sheet_bytes

    source = zipfile.ZipFile(io.BytesIO(sheet_bytes()))
    empty_rows = io.BytesIO()
    with zipfile.ZipFile(empty_rows, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetData>", b"<row/>" * 1_000_000 + b"</sheetData>")
                content = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:J1000000"/>', content)
            archive.writestr(info, content)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Reference", "Action"])
    sheet.append(["1.1", "Audit return home interviews"])
    sheet.cell(row=1_000_000, column=1, value="stray")
    stray = io.BytesIO()
    workbook.save(stray)
    return {"a million empty rows": empty_rows.getvalue(), "a stray cell at row 1,000,000": stray.getvalue()}


def through_the_steps(content: bytes, create_leads: bool) -> dict[str, float]:
    plan, manager = build_world()
    client = Client()
    client.force_login(manager.user)
    upload = io.BytesIO(content)
    upload.name = "plan.xlsx"
    times: dict[str, float] = {}
    start = time.perf_counter()
    response = client.post(reverse("transfers:import", args=[plan.pk]), {"file": upload})
    check(response.status_code == 302, response.status_code)
    times["upload"] = time.perf_counter() - start

    start = time.perf_counter()
    form = client.get(reverse("transfers:import_columns", args=[plan.pk])).context["form"]
    response = client.post(
        reverse("transfers:import_columns", args=[plan.pk]), {k: v for k, v in form.initial.items() if v is not None}
    )
    check(response.status_code == 302)
    times["columns"] = time.perf_counter() - start

    start = time.perf_counter()
    response = client.get(reverse("transfers:import_preview", args=[plan.pk]))
    times["preview"] = time.perf_counter() - start
    preview = response.context["preview"]
    data = {"intent": "import"}
    if create_leads:
        data["create_leads"] = [unknown.key for unknown in preview.unknown_leads]
    start = time.perf_counter()
    response = client.post(reverse("transfers:import_preview", args=[plan.pk]), data)
    times["confirm"] = time.perf_counter() - start
    check(
        response.status_code == 302, getattr(response, "context", None) and response.context["preview"].problem_rows[:3]
    )
    times["actions"] = plan.actions.count()
    times["rounds"] = plan.rounds.count()
    return times


def upload_only(content: bytes) -> tuple[float, str]:
    plan, manager = build_world()
    client = Client()
    client.force_login(manager.user)
    upload = io.BytesIO(content)
    upload.name = "plan.xlsx"
    start = time.perf_counter()
    response = client.post(reverse("transfers:import", args=[plan.pk]), {"file": upload})
    seconds = time.perf_counter() - start
    if response.status_code == 302:
        rows = len(client.get(reverse("transfers:import_columns", args=[plan.pk])).context["sheet"].rows)
        return seconds, f"read: {rows} row{'s' if rows != 1 else ''} under the header"
    return seconds, f"refused: {response.context['form'].errors['file'][0]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()

    from tests.partnership_sheet import sheet_bytes

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EVIDENCE_ROOT = Path(tempfile.mkdtemp(prefix="bench-evidence-"))
    cap = settings.IMPORT_MAX_ROWS
    own, big, bounds = sheet_bytes(), big_sheet(cap), million_row_sheets()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        own_runs = [through_the_steps(own, create_leads=True) for _ in range(options.repeat)]
        big_runs = [through_the_steps(big, create_leads=False) for _ in range(options.repeat)]
        bound_runs = {name: [upload_only(content) for _ in range(options.repeat)] for name, content in bounds.items()}
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    def best(runs):
        return min(runs, key=lambda run: run["upload"] + run["columns"] + run["preview"] + run["confirm"])

    print(f"{connection.vendor}, best of {options.repeat}")
    for name, runs, size in (("30-action own sheet", own_runs, len(own)), (f"{cap:,}-row sheet", big_runs, len(big))):
        run = best(runs)
        total = run["upload"] + run["columns"] + run["preview"] + run["confirm"]
        print(
            f"{name} ({size / 1024:.0f} KB): upload {run['upload']:.2f} s, columns {run['columns']:.2f} s, "
            f"preview {run['preview']:.2f} s, confirm {run['confirm']:.2f} s; all steps {total:.2f} s "
            f"({run['actions']} actions, {run['rounds']} round)"
        )
    for name, runs in bound_runs.items():
        seconds, outcome = min(runs)
        print(f"{name} ({len(bounds[name]) / 1024:.0f} KB): upload {seconds:.3f} s, {outcome} (target < 2 s)")


if __name__ == "__main__":
    main()
