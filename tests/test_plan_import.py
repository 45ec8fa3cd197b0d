"""Partnership managers import an existing plan from Excel or CSV: upload, match columns, preview, commit."""

import csv
import datetime
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from actions.models import Action
from inspections.models import Agency, Finding
from people.models import Person
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgencyFactory,
    FindingFactory,
    PersonFactory,
    UserFactory,
)
from transfers.plan_import import parse_date, preview_build
from transfers.spreadsheets import read_bytes

pytestmark = pytest.mark.django_db

HEADER = [
    "Reference",
    "Action",
    "Areas for improvement",
    "Lead",
    "Lead agency",
    "Supporting agencies",
    "Target date",
    "Measure of success",
    "Sustainability plan",
]


def good_rows():
    return [
        [
            "1.1",
            "Produce a partnership profile regarding criminal exploitation",
            "1",
            "Steven Armstrong",
            "Police",
            "NCC; Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust",
            "30/06/2020",
            "Profiles signed off by the sub-group",
            "",
        ],
        [
            "2.1",
            "Update the CE & CSE strategy",
            "2, P1",
            "rachel.forster@example.invalid",
            "northumberland county council",
            "Police, CNTW",
            "2021-03-31",
            "",
            "Strategy reviewed every year",
        ],
        [
            "3.1",
            "Launch the work on reducing criminalisation",
            "3",
            "Rachel Forster",
            "NCC",
            "",
            "31 March 2021",
            "",
            "",
        ],
    ]


def xlsx_bytes(rows, header=HEADER, *, formulas=()):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for coordinate, formula in formulas:
        sheet[coordinate] = formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=HEADER, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def plan(db):
    plan = ActionPlanFactory(title="Northumberland JTAI action plan")
    for number in (1, 2, 3):
        FindingFactory(inspection=plan.inspection, number=number)
    FindingFactory(inspection=plan.inspection, number=1, kind=Finding.Kind.PRIORITY_ACTION)
    FindingFactory(inspection=plan.inspection, number=9, kind=Finding.Kind.STRENGTH)
    return plan


@pytest.fixture
def partnership(plan):
    return plan.inspection.partnership


@pytest.fixture
def agencies(partnership):
    return {
        "police": AgencyFactory(partnership=partnership, name="Northumbria Police", short_name="Police"),
        "ncc": AgencyFactory(partnership=partnership, name="Northumberland County Council", short_name="NCC"),
        "cntw": AgencyFactory(
            partnership=partnership,
            name="Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust",
            short_name="CNTW",
        ),
    }


def person(partnership, agency, first, last, role=Person.Role.LEAD):
    user = UserFactory(first_name=first, last_name=last, email=f"{first}.{last}@example.invalid".lower())
    return PersonFactory(user=user, partnership=partnership, agency=agency, role=role)


@pytest.fixture
def leads(partnership, agencies):
    return {
        "steven": person(partnership, agencies["police"], "Steven", "Armstrong"),
        "rachel": person(partnership, agencies["ncc"], "Rachel", "Forster"),
    }


@pytest.fixture
def manager(partnership, agencies):
    return person(partnership, agencies["ncc"], "Claire", "Robson", Person.Role.MANAGER)


@pytest.fixture
def manager_client(client, manager, leads):
    client.force_login(manager.user)
    return client


def upload(client, plan, content, name="plan.xlsx"):
    return client.post(reverse("transfers:import", args=[plan.pk]), {"file": SimpleUploadedFile(name, content)})


def choose_columns(client, plan, **overrides):
    """Submit the columns step with whatever the page guessed, changed by ``overrides``."""
    response = client.get(reverse("transfers:import_columns", args=[plan.pk]))
    assert response.status_code == 200
    data = {key: value for key, value in response.context["form"].initial.items() if value is not None}
    data.update(overrides)
    return client.post(reverse("transfers:import_columns", args=[plan.pk]), data)


def preview_url(plan):
    return reverse("transfers:import_preview", args=[plan.pk])


def start(client, plan, content, name="plan.xlsx"):
    response = upload(client, plan, content, name)
    assert response.status_code == 302, response.content.decode()[:3000]
    response = choose_columns(client, plan)
    assert response.status_code == 302
    return client.get(preview_url(plan))


def confirm(client, plan, **data):
    return client.post(preview_url(plan), {"intent": "import", **data})


# The happy paths -------------------------------------------------------------------------------


def test_manager_imports_an_xlsx_plan(manager_client, manager, plan, agencies, leads, evidence_root):
    rows = good_rows()
    rows[0][6] = datetime.datetime(2020, 6, 30)  # a real Excel date
    response = start(manager_client, plan, xlsx_bytes(rows))
    assert response.status_code == 200
    assert response.context["preview"].is_valid
    assert "Import 3 actions" in response.content.decode()
    assert Action.objects.filter(plan=plan).count() == 0  # nothing yet

    response = confirm(manager_client, plan)
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:plan", args=[plan.pk])
    assert "3 actions imported." in manager_client.get(response["Location"]).content.decode()

    first, second, third = Action.objects.filter(plan=plan).order_by("position")
    assert first.reference == "1.1"
    assert first.lead == leads["steven"]
    assert first.lead_agency == agencies["police"]
    assert set(first.supporting_agencies.all()) == {agencies["ncc"], agencies["cntw"]}
    assert first.target_date == datetime.date(2020, 6, 30)
    assert [f.number for f in first.areas.all()] == [1]
    assert first.measure_of_success == "Profiles signed off by the sub-group"
    assert second.lead == leads["rachel"]
    assert second.lead_agency == agencies["ncc"]
    assert {(f.kind, f.number) for f in second.areas.all()} == {
        (Finding.Kind.AREA_FOR_IMPROVEMENT, 2),
        (Finding.Kind.PRIORITY_ACTION, 1),
    }
    assert set(second.supporting_agencies.all()) == {agencies["police"], agencies["cntw"]}
    assert second.sustainability_plan == "Strategy reviewed every year"
    assert third.target_date == datetime.date(2021, 3, 31)
    (created,) = first.history.all()  # one history record, with the areas and agencies it was created with
    assert (created.history_type, created.history_user) == ("+", manager.user)
    assert [row.finding for row in created.areas.all()] == list(first.areas.all())
    assert {row.agency for row in created.supporting_agencies.all()} == {agencies["ncc"], agencies["cntw"]}
    assert not list((evidence_root / "imports").iterdir())  # the stashed upload is cleaned up


def test_manager_imports_a_csv_plan_after_existing_actions(manager_client, plan, agencies, leads):
    existing = ActionFactory(plan=plan, reference="0.1", position=7, lead=leads["rachel"], lead_agency=agencies["ncc"])
    start(manager_client, plan, csv_bytes(good_rows()), "plan.csv")
    assert confirm(manager_client, plan).status_code == 302
    actions = list(Action.objects.filter(plan=plan).order_by("position"))
    assert [a.reference for a in actions] == ["0.1", "1.1", "2.1", "3.1"]
    assert actions[0] == existing
    assert actions[1].position == 8


def test_a_cp1252_csv_from_old_excel_is_read(manager_client, plan, agencies, leads):
    rows = good_rows()
    rows[0][1] = "Review the partnership’s profile – £500 budget"
    response = start(manager_client, plan, csv_bytes(rows, encoding="cp1252"), "plan.csv")
    assert response.context["preview"].is_valid
    confirm(manager_client, plan)
    assert Action.objects.get(plan=plan, reference="1.1").description == rows[0][1]


@pytest.mark.parametrize(
    "value",
    ["31/03/2021", "31/3/2021", "2021-03-31", "31 March 2021", "31 Mar 2021", datetime.datetime(2021, 3, 31)],
)
def test_target_dates_are_read_in_the_usual_ways(plan, agencies, leads, value):
    rows = good_rows()[:1]
    rows[0][6] = value
    sheet = read_bytes(xlsx_bytes(rows), "plan.xlsx")
    preview = preview_build(plan=plan, sheet=sheet, mapping={c: i for i, c in enumerate(_keys())})
    assert preview.rows[0].target_date == datetime.date(2021, 3, 31)
    assert preview.is_valid


def _keys():
    return [
        "reference",
        "description",
        "areas",
        "lead",
        "lead_agency",
        "supporting_agencies",
        "target_date",
        "measure_of_success",
        "sustainability_plan",
    ]


def test_a_title_above_the_header_row_is_skipped(manager_client, plan, agencies, leads):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Northumberland JTAI written statement of action"])
    sheet.append([])
    sheet.append(HEADER)
    for row in good_rows():
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = start(manager_client, plan, buffer.getvalue())
    preview = response.context["preview"]
    assert preview.is_valid
    assert [row.number for row in preview.rows] == [4, 5, 6]


# Problems, each on its row and cell --------------------------------------------------------------


def test_every_problem_is_shown_on_its_row_and_cell(manager_client, plan, agencies, leads):
    ActionFactory(plan=plan, reference="9.9", lead=leads["rachel"], lead_agency=agencies["ncc"])
    base = good_rows()[0]
    rows = [
        [*base[:4], "Barnardo's", *base[5:]],  # row 2: unknown agency
        ["1.2", *base[1:3], "Jo Bloggs", *base[4:]],  # row 3: unknown lead
        ["1.3", *base[1:6], "31/02/2021", *base[7:]],  # row 4: no such day
        ["1.4", "", *base[2:]],  # row 5: missing description
        ["1.5", *base[1:]],  # row 6: duplicate within the file (with row 7)
        ["1.5", *base[1:]],  # row 7
        ["9.9", *base[1:]],  # row 8: already in the plan
        ["1.8", base[1], "1, 12", *base[3:]],  # row 9: no area for improvement 12
        ["1.9", *base[1:]],  # row 10: a formula in the target date, set below
    ]
    response = start(manager_client, plan, xlsx_bytes(rows, formulas=[("G10", "=TODAY()+30")]))
    assert response.status_code == 200
    preview = response.context["preview"]
    assert not preview.is_valid
    by_row = {row.number: row for row in preview.rows}

    def problems(number):
        return [(cell.coordinate, message) for cell, message in by_row[number].problems]

    assert problems(2) == [("E2", "Agency 'Barnardo's' is not one of this partnership's agencies")]
    assert problems(3) == [("D3", "No one called 'Jo Bloggs' in this partnership")]
    assert problems(4) == [("G4", "Target date '31/02/2021' must be a real date")]
    assert problems(5) == [("B5", "Enter the action")]
    assert problems(6) == [("A6", "Reference 1.5 is used more than once: also in row 7")]
    assert problems(7) == [("A7", "Reference 1.5 is used more than once: also in row 6")]
    assert problems(8) == [("A8", "Action 9.9 is already in this plan")]
    assert problems(9) == [("C9", "Area for improvement 12 is not one of this inspection's areas for improvement")]
    assert problems(10) == [("G10", "Cell G10 contains a formula; paste values only")]

    page = response.content.decode()
    assert page.count('<strong class="govuk-tag govuk-tag--red">Problem</strong>') == 9
    assert "Row 4: Target date &#x27;31/02/2021&#x27; must be a real date" in page
    assert 'id="row-4"' in page
    assert "Import 9 actions" not in page  # not every problem can be solved by ticking a box

    assert confirm(manager_client, plan).status_code == 200  # refused, shown again
    assert Action.objects.filter(plan=plan).count() == 1


def test_a_lead_name_shared_across_agencies_is_the_one_in_the_rows_agency(plan, agencies, leads, partnership):
    namesake = person(partnership, agencies["ncc"], "Steven", "Armstrong")
    sheet = read_bytes(xlsx_bytes(good_rows()[:1]), "plan.xlsx")
    preview = preview_build(plan=plan, sheet=sheet, mapping={c: i for i, c in enumerate(_keys())})
    assert preview.rows[0].lead == leads["steven"]  # the Police one, as the row's lead agency says
    assert preview.rows[0].cells["lead"].matched == "Steven Armstrong, Police"

    namesake.agency = agencies["police"]
    namesake.save()
    preview = preview_build(plan=plan, sheet=sheet, mapping={c: i for i, c in enumerate(_keys())})
    assert preview.rows[0].cells["lead"].errors == [
        "2 people are called Steven Armstrong: give the lead's email address instead"
    ]


# All or nothing ---------------------------------------------------------------------------------


def test_nothing_is_imported_when_the_last_row_becomes_invalid_before_confirming(manager_client, plan, agencies, leads):
    rows = good_rows()
    rows[0][4] = "Barnardo's"
    response = start(manager_client, plan, xlsx_bytes(rows))
    assert response.context["fixable"]
    # Meanwhile another manager adds an action with the last row's reference.
    ActionFactory(plan=plan, reference="3.1", lead=leads["rachel"], lead_agency=agencies["ncc"])

    response = confirm(manager_client, plan, create_agencies=["barnardo's"])
    assert response.status_code == 200
    assert "Action 3.1 is already in this plan" in response.content.decode()
    assert list(Action.objects.filter(plan=plan).values_list("reference", flat=True)) == ["3.1"]
    assert not Agency.objects.filter(name="Barnardo's").exists()


@pytest.fixture
def database_refuses_reference_3_1(db):
    """A trigger that makes the database itself refuse to insert an action with reference 3.1."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TEMP TRIGGER refuse_3_1 BEFORE INSERT ON actions_action WHEN NEW.reference = '3.1' "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_3_1() RETURNS trigger AS $$ BEGIN IF NEW.reference = '3.1' THEN "
                "RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END "
                "$$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_3_1 BEFORE INSERT ON actions_action FOR EACH ROW EXECUTE FUNCTION refuse_3_1()"
            )
        else:
            pytest.skip(f"No trigger written for {connection.vendor}")


def test_nothing_is_imported_when_the_database_refuses_the_last_row(
    manager_client, plan, agencies, leads, partnership, database_refuses_reference_3_1
):
    rows = good_rows()
    rows[0][4] = "Barnardo's"
    rows[0][3] = "Jo Bloggs"
    start(manager_client, plan, xlsx_bytes(rows))
    people_before = Person.objects.for_partnership(partnership).count()
    response = confirm(manager_client, plan, create_agencies=["barnardo's"], create_leads=["jo bloggs"])
    assert response.status_code == 200
    assert "nothing was imported" in response.content.decode()
    assert Action.objects.filter(plan=plan).count() == 0
    assert not Agency.objects.filter(name="Barnardo's").exists()
    assert Person.objects.for_partnership(partnership).count() == people_before


# Hostile and broken files ------------------------------------------------------------------------


def _corrupt_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("xl/workbook.xml", "not xml at all <<<")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"%PDF-1.4\n", "The file must be an Excel workbook (.xlsx) or a CSV file (.csv)"),
        ("plan.exe", b"MZ\x90\x00\x03", "The file must be an Excel workbook (.xlsx) or a CSV file (.csv)"),
        ("plan.xlsx", b"MZ\x90\x00\x03\x00\x00\x00" * 20, "The file is not really an Excel workbook"),
        ("plan.xlsx", b"PK\x03\x04 this is not a zip at all", "The file could not be read: it may be damaged"),
        ("plan.xlsx", None, "The file could not be read: it may be damaged"),
        ("plan.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old-style Excel workbook or has a password"),
        ("plan.csv", b"Reference,Action\n1.1,\x00\x01binary", "The file is not a text CSV file"),
        ("plan.csv", b"Reference,Action\n1.1,caf\x81\n", "not in a text encoding we can read"),
        ("plan.csv", b"", "The file is empty"),
        ("plan.csv", b"just one heading\n", "The file has no header row"),
        ("plan.csv", b"Reference,Action\n", "The file has a header row but no actions under it"),
    ],
    ids=[
        "pdf",
        "exe",
        "exe-renamed-xlsx",
        "not-a-zip",
        "corrupt-zip",
        "old-xls",
        "binary-csv",
        "bad-encoding",
        "empty",
        "no-header",
        "no-rows",
    ],
)
def test_a_hostile_or_broken_file_is_refused_beside_the_file_field(manager_client, plan, name, content, message):
    content = _corrupt_zip() if content is None else content
    response = upload(manager_client, plan, content, name)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(message in error for error in errors), errors
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    assert 'id="id_file_error"' in page or "govuk-error-message" in page
    assert response.context["form"]["file"].errors


def test_a_file_over_5_mb_is_refused(manager_client, plan):
    content = b"Reference,Action\n" + b"1.1," + b"x" * (5 * 1024 * 1024) + b"\n"
    response = upload(manager_client, plan, content, "plan.csv")
    assert "it must be smaller than 5\xa0MB" in response.context["form"].errors["file"][0]


def test_a_file_over_the_row_cap_is_refused(manager_client, plan, settings):
    assert settings.IMPORT_MAX_ROWS == 2000
    rows = [[f"{n}", "Action", "", "Someone", "Police", "", "31/03/2021", "", ""] for n in range(2001)]
    response = upload(manager_client, plan, xlsx_bytes(rows))
    assert response.context["form"].errors["file"] == [
        "The file has more than 2,000 rows of actions: split it into files of 2,000 or fewer"
    ]
    assert "no more than 2,000 actions" in response.content.decode()
    assert not (settings.EVIDENCE_ROOT / "imports").exists()


def test_exactly_the_row_cap_is_accepted_and_empty_rows_do_not_count(manager_client, plan, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [[f"{n}", "Action", "", "Someone", "Police", "", "31/03/2021", "", ""] for n in range(3)]
    rows.insert(1, [""] * 9)
    assert upload(manager_client, plan, csv_bytes([*rows, [""] * 9, [""] * 9]), "plan.csv").status_code == 302
    response = upload(manager_client, plan, csv_bytes([*rows, rows[0]]), "plan.csv")
    assert response.context["form"].errors["file"] == [
        "The file has more than 3 rows of actions: split it into files of 3 or fewer"
    ]


def _million_row_workbook(*, stray_cell: bool) -> bytes:
    """A plan whose sheet reaches row 1,000,000: one stray cell there, or a million empty rows in its XML."""
    if stray_cell:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Actions"
        sheet.append(HEADER)
        for row in good_rows():
            sheet.append(row)
        sheet.cell(row=1_000_000, column=1, value=" ")
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(good_rows())))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                text = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:I1000000"/>', text)
                empty_rows = "<row/>" * 999_996  # rows need no number: each is the one after the last
                content = text.replace("</sheetData>", empty_rows + "</sheetData>").encode()
            archive.writestr(info, content)
    return buffer.getvalue()


@pytest.mark.parametrize("stray_cell", [True, False], ids=["stray-cell-at-row-1000000", "a-million-empty-rows"])
def test_a_sheet_reaching_row_a_million_reads_only_its_plan(manager_client, plan, agencies, leads, stray_cell):
    content = _million_row_workbook(stray_cell=stray_cell)
    assert len(content) < 200 * 1024
    response = start(manager_client, plan, content)
    preview = response.context["preview"]
    assert [row.number for row in preview.rows] == [2, 3, 4]
    assert preview.is_valid


def test_a_zip_bomb_is_refused(manager_client, plan):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (110 * 1024 * 1024))
    response = upload(manager_client, plan, buffer.getvalue(), "plan.xlsx")
    assert "too large once unpacked" in response.context["form"].errors["file"][0]


def test_no_file_chosen_is_an_error_not_a_crash(manager_client, plan):
    response = manager_client.post(reverse("transfers:import", args=[plan.pk]), {})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Select an Excel workbook (.xlsx) or a CSV file"]


# Creating what the partnership does not have: only when ticked ----------------------------------


def test_an_unknown_agency_and_lead_are_created_only_when_ticked(manager_client, plan, agencies, leads, partnership):
    rows = good_rows()
    rows[2][3], rows[2][4] = "Jo Bloggs", "Barnardo's"
    response = start(manager_client, plan, xlsx_bytes(rows))
    page = response.content.decode()
    assert "Create agency &#x27;Barnardo&#x27;s&#x27;" in page
    assert "Create lead &#x27;Jo Bloggs&#x27; (Barnardo&#x27;s)" in page
    assert response.context["fixable"]

    response = confirm(manager_client, plan)  # nothing ticked
    assert response.status_code == 200
    assert Action.objects.filter(plan=plan).count() == 0
    assert not Agency.objects.filter(name="Barnardo's").exists()

    response = confirm(manager_client, plan, create_agencies=["barnardo's"])  # the agency, but not the lead
    assert response.status_code == 200
    assert "No one called &#x27;Jo Bloggs&#x27; in this partnership" in response.content.decode()
    assert not Agency.objects.filter(name="Barnardo's").exists()

    response = confirm(manager_client, plan, create_agencies=["barnardo's"], create_leads=["jo bloggs"])
    assert response.status_code == 302
    agency = Agency.objects.get(name="Barnardo's")
    assert agency.partnership == partnership
    jo = Person.objects.get(user__first_name="Jo", user__last_name="Bloggs")
    assert (jo.partnership, jo.agency, jo.role) == (partnership, agency, Person.Role.LEAD)
    assert not jo.user.has_usable_password()
    assert Action.objects.get(plan=plan, reference="3.1").lead == jo
    assert "Agencies created: Barnardo&#x27;s." in manager_client.get(response["Location"]).content.decode()


def test_check_again_keeps_the_ticks(manager_client, plan, agencies, leads):
    rows = good_rows()
    rows[0][4] = "Barnardo's"
    start(manager_client, plan, xlsx_bytes(rows))
    response = manager_client.post(preview_url(plan), {"intent": "check", "create_agencies": ["barnardo's"]})
    assert response.status_code == 302
    response = manager_client.get(preview_url(plan))
    assert response.context["preview"].is_valid
    assert "will also create" in response.content.decode()
    assert Action.objects.filter(plan=plan).count() == 0


# The column mapping ------------------------------------------------------------------------------


def test_columns_are_guessed_from_their_names(manager_client, plan):
    header = ["Action ref", "Description", "AFI", "Lead officer", "Lead organisation", "Partners", "Deadline", "", ""]
    upload(manager_client, plan, xlsx_bytes(good_rows(), header=header))
    form = manager_client.get(reverse("transfers:import_columns", args=[plan.pk])).context["form"]
    assert form.initial == {
        "reference": "0",
        "description": "1",
        "areas": "2",
        "lead": "3",
        "lead_agency": "4",
        "supporting_agencies": "5",
        "target_date": "6",
    }


def test_the_columns_page_shows_the_first_values_under_each_column(manager_client, plan):
    upload(manager_client, plan, xlsx_bytes(good_rows()))
    response = manager_client.get(reverse("transfers:import_columns", args=[plan.pk]))
    assert ("Column D: Lead", ["Steven Armstrong", "rachel.forster@example.invalid", "Rachel Forster"]) in (
        response.context["file_columns"]
    )
    assert ("Column I: Sustainability plan", ["Strategy reviewed every year"]) in response.context["file_columns"]
    page = response.content.decode()
    assert "The columns of plan.xlsx, with their first values" in page
    assert "rachel.forster@example.invalid" in page


def test_the_set_up_plan_page_leads_to_the_import(manager_client, plan):
    page = manager_client.get(reverse("setup:plan", args=[plan.pk])).content.decode()
    assert f'href="{reverse("transfers:import", args=[plan.pk])}">Import actions</a>' in page


def test_the_mapping_is_remembered_for_the_next_upload(manager_client, plan, agencies, leads):
    header = ["Item", "What", "Which areas", "Who", "Which agency", "With", "When", "Success", "Lasting"]
    upload(manager_client, plan, xlsx_bytes(good_rows(), header=header))
    response = choose_columns(manager_client, plan)  # nothing recognised
    assert response.status_code == 200
    assert response.context["form"].errors["reference"] == ["Choose the column that holds the reference"]
    mapping = {key: str(index) for index, key in enumerate(_keys())}
    response = manager_client.post(reverse("transfers:import_columns", args=[plan.pk]), mapping)
    assert response.status_code == 302

    # Next time, the same headers in another order.
    order = [6, 0, 1, 2, 3, 4, 5, 7, 8]
    rows = [[row[i] for i in order] for row in good_rows()]
    upload(manager_client, plan, csv_bytes(rows, header=[header[i] for i in order]), "plan.csv")
    response = manager_client.get(reverse("transfers:import_columns", args=[plan.pk]))
    assert "matched last time" in response.content.decode()
    assert response.context["form"].initial == {key: str(order.index(int(index))) for key, index in mapping.items()}
    assert choose_columns(manager_client, plan).status_code == 302
    assert manager_client.get(preview_url(plan)).context["preview"].is_valid


def test_the_mapping_is_kept_for_the_partnership_not_the_session(manager_client, plan, agencies, partnership):
    from django.test import Client

    header = ["Item", "What", "Which areas", "Who", "Which agency", "With", "When", "Success", "Lasting"]
    upload(manager_client, plan, xlsx_bytes(good_rows(), header=header))
    mapping = {key: str(index) for index, key in enumerate(_keys())}
    manager_client.post(reverse("transfers:import_columns", args=[plan.pk]), mapping)

    colleague = person(partnership, agencies["ncc"], "Sam", "Deputy", Person.Role.MANAGER)
    other_device = Client()
    other_device.force_login(colleague.user)
    upload(other_device, plan, xlsx_bytes(good_rows(), header=header))
    response = other_device.get(reverse("transfers:import_columns", args=[plan.pk]))
    assert "matched last time" in response.content.decode()
    stored = partnership.import_mapping
    assert stored.updated_by.user.first_name == "Claire"
    assert stored.history.first().history_user is not None


def test_one_column_cannot_be_chosen_for_two_fields(manager_client, plan):
    upload(manager_client, plan, xlsx_bytes(good_rows()))
    response = choose_columns(manager_client, plan, lead_agency="3")
    assert response.status_code == 200
    assert response.context["form"].errors["lead_agency"] == [
        "That column is already chosen for Lead: choose a different one for Lead agency"
    ]


@pytest.mark.parametrize("value", ["99", "x", "-1"])
def test_a_tampered_column_choice_is_an_error_not_a_crash(manager_client, plan, value):
    upload(manager_client, plan, xlsx_bytes(good_rows()))
    response = choose_columns(manager_client, plan, reference=value)
    assert response.status_code == 200
    assert response.context["form"].errors["reference"] == ["Choose one of the file's columns"]


def test_the_steps_without_an_upload_send_the_manager_back_to_it(manager_client, plan):
    for url in (reverse("transfers:import_columns", args=[plan.pk]), preview_url(plan)):
        response = manager_client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("transfers:import", args=[plan.pk])
    assert manager_client.post(preview_url(plan), {"intent": "import"}).status_code == 302


def test_a_vanished_upload_is_asked_for_again(manager_client, plan, evidence_root):
    upload(manager_client, plan, xlsx_bytes(good_rows()))
    for path in (evidence_root / "imports").iterdir():
        path.unlink()
    response = manager_client.get(reverse("transfers:import_columns", args=[plan.pk]))
    assert response["Location"] == reverse("transfers:import", args=[plan.pk])


def test_cancelling_removes_the_uploaded_file(manager_client, plan, evidence_root):
    upload(manager_client, plan, xlsx_bytes(good_rows()))
    assert len(list((evidence_root / "imports").iterdir())) == 1
    response = manager_client.post(reverse("transfers:import_cancel", args=[plan.pk]))
    assert response.status_code == 302
    assert not list((evidence_root / "imports").iterdir())


def test_the_stashed_file_is_named_by_a_random_token_not_the_upload(manager_client, plan, evidence_root):
    upload(manager_client, plan, xlsx_bytes(good_rows()), "../../etc/passwd.xlsx")
    (stashed,) = (evidence_root / "imports").iterdir()
    assert stashed.parent == Path(evidence_root) / "imports"
    assert "passwd" not in stashed.name


# The template ------------------------------------------------------------------------------------


def test_the_template_has_the_columns_and_an_example_row(manager_client):
    response = manager_client.get(reverse("transfers:import_template"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="action-plan-template.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert rows[1][0] == "1.1"
    assert rows[1][1].startswith("Produce a partnership profile regarding criminal exploitation")
    assert len(rows) == 2


def test_the_filled_in_template_imports(manager_client, plan, agencies, leads):
    template = manager_client.get(reverse("transfers:import_template")).content
    response = start(manager_client, plan, template)
    preview = response.context["preview"]
    assert [name.name for name in preview.unknown_agencies] == ["Northumberland CCG", "Youth Offending Service"]
    keys = [u.key for u in preview.unknown_agencies]
    assert confirm(manager_client, plan, create_agencies=keys).status_code == 302
    assert Action.objects.get(plan=plan).supporting_agencies.count() == 3


# Who may import ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Person.Role.VIEWER, Person.Role.LEAD, Person.Role.OFFICER, Person.Role.CHAIR])
def test_only_the_manager_may_import(client, plan, partnership, agencies, role):
    someone = person(partnership, agencies["ncc"], "Sam", "Else", role)
    client.force_login(someone.user)
    for name in ("transfers:import", "transfers:import_columns", "transfers:import_preview"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 403
    response = client.post(
        reverse("transfers:import", args=[plan.pk]), {"file": SimpleUploadedFile("p.xlsx", xlsx_bytes(good_rows()))}
    )
    assert response.status_code == 403
    assert client.post(reverse("transfers:import_cancel", args=[plan.pk])).status_code == 403


def test_another_partnerships_manager_gets_not_found(client, plan):
    stranger = PersonFactory(role=Person.Role.MANAGER)
    client.force_login(stranger.user)
    for name in ("transfers:import", "transfers:import_columns", "transfers:import_preview"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404
    response = client.post(
        reverse("transfers:import", args=[plan.pk]), {"file": SimpleUploadedFile("p.xlsx", xlsx_bytes(good_rows()))}
    )
    assert response.status_code == 404


def test_a_signed_off_plan_takes_no_import(manager_client, plan):
    plan.status, plan.signed_off_on = plan.Status.SIGNED_OFF, datetime.date(2024, 1, 31)
    plan.save()
    response = upload(manager_client, plan, xlsx_bytes(good_rows()))
    assert response.status_code == 200
    assert "has been signed off" in response.content.decode()
    assert response.context["form"].is_bound is False


# Tenancy ---------------------------------------------------------------------------------------------


def test_an_import_never_touches_another_partnership(manager_client, plan, agencies, leads):
    other_plan = ActionPlanFactory()
    other = other_plan.inspection.partnership
    other_agency = AgencyFactory(partnership=other, name="Barnardo's")
    other_lead = person(other, other_agency, "Jo", "Bloggs")
    ActionFactory(plan=other_plan, reference="1.1", lead=other_lead, lead_agency=other_agency)
    before = (
        Agency.objects.for_partnership(other).count(),
        Person.objects.for_partnership(other).count(),
        Action.objects.for_partnership(other).count(),
    )

    rows = good_rows()
    rows[0][3], rows[0][4] = "Jo Bloggs", "Barnardo's"  # names that exist only in the other partnership
    response = start(manager_client, plan, xlsx_bytes(rows))
    problems = [message for _, message in response.context["preview"].rows[0].problems]
    assert problems == [
        "No one called 'Jo Bloggs' in this partnership",
        "Agency 'Barnardo's' is not one of this partnership's agencies",
    ]
    assert confirm(manager_client, plan, create_agencies=["barnardo's"], create_leads=["jo bloggs"]).status_code == 302

    after = (
        Agency.objects.for_partnership(other).count(),
        Person.objects.for_partnership(other).count(),
        Action.objects.for_partnership(other).count(),
    )
    assert after == before
    action = Action.objects.get(plan=plan, reference="1.1")
    assert action.lead_agency != other_agency
    assert action.lead != other_lead
    assert action.lead_agency.partnership == plan.inspection.partnership


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("31/03/2021", datetime.date(2021, 3, 31)),
        ("2021-03-31", datetime.date(2021, 3, 31)),
        ("31 March 2021", datetime.date(2021, 3, 31)),
        ("1st Sept 2022", datetime.date(2022, 9, 1)),
        (datetime.datetime(2021, 3, 31), datetime.date(2021, 3, 31)),
        ("31/03/21", "Target date '31/03/21' must include a year with 4 numbers, like 31/03/2021"),
        ("31 March 21", "Target date '31 March 21' must include a year with 4 numbers, like 31/03/2021"),
        ("31/02/2021", "Target date '31/02/2021' must be a real date"),
        ("1/13/2021", "Target date '1/13/2021' must be a real date"),
        ("1/1/2000", "Target date must be between 1 January 2010 and 31 December 2100"),
        (datetime.datetime(1900, 1, 1), "Target date must be between 1 January 2010 and 31 December 2100"),
        ("1/1/99999999999999999999", "must include a year with 4 numbers"),
        ("next March", "Target date 'next March' is not a date: use a date like 31/03/2021"),
    ],
)
def test_a_sheets_target_dates_keep_the_forms_rule(cell, expected):
    """One behaviour everywhere: the import refuses what the date boxes refuse, in the same words."""
    if isinstance(expected, datetime.date):
        assert parse_date(cell) == expected
    else:
        with pytest.raises(ValueError, match=re.escape(expected)):
            parse_date(cell)


def _rows(count):
    model = good_rows()
    return [[f"{n + 1}.1", *model[n % 3][1:]] for n in range(count)]


def test_the_preview_and_the_commit_take_the_same_queries_for_10_rows_as_for_100(
    manager_client, plan, agencies, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measured(count):
        start(manager_client, plan, xlsx_bytes(_rows(count)))
        with CaptureQueriesContext(connection) as preview:
            page = manager_client.get(preview_url(plan))
        assert page.status_code == 200 and f"Import {count} actions" in page.content.decode()
        with CaptureQueriesContext(connection) as commit:
            assert confirm(manager_client, plan).status_code == 302
        plan.actions.all().delete()
        return len(preview.captured_queries), len(commit.captured_queries)

    measured(2)  # the session and the caches warm
    assert measured(10) == measured(100)
    assert Action.history.filter(plan_id=plan.pk, history_type="+").count() == 112


def test_the_preview_escapes_what_the_sheet_says_and_shows_each_cells_problem(manager_client, plan, agencies):
    rows = _rows(2)
    rows[0][1] = "<script>alert('x')</script> Produce a profile"
    rows[1][3] = "Nobody <b>Known</b>"
    page = start(manager_client, plan, xlsx_bytes(rows)).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Produce a profile" in page
    assert "Nobody &lt;b&gt;Known&lt;/b&gt;" in page
    row = page[page.index('id="row-3"') :]
    row = row[: row.index("</tr>")]
    assert '<strong class="govuk-tag govuk-tag--red">Problem</strong>' in row
    assert re.search(r'<span class="govuk-visually-hidden">Error:</span> [^<]*\(D3\)</span>', row)
