"""In a real browser: a manager imports a plan from Excel, fixes a bad row, and the pages pass axe."""

import datetime
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from actions.models import Action
from inspections.models import Finding
from people.models import Person
from tests.factories import ActionPlanFactory, AgencyFactory, FindingFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


@pytest.fixture
def plan(db):
    plan = ActionPlanFactory(title="Northumberland JTAI action plan")
    for number in (1, 2, 3):
        FindingFactory(inspection=plan.inspection, number=number, kind=Finding.Kind.AREA_FOR_IMPROVEMENT)
    partnership = plan.inspection.partnership
    police = AgencyFactory(partnership=partnership, name="Northumbria Police", short_name="Police")
    ncc = AgencyFactory(partnership=partnership, name="Northumberland County Council", short_name="NCC")
    AgencyFactory(partnership=partnership, name="Northumberland CCG", short_name="CCG")
    AgencyFactory(partnership=partnership, name="Youth Offending Service", short_name="YOS")
    PersonFactory(partnership=partnership, agency=police, user=UserFactory(first_name="Steven", last_name="Armstrong"))
    PersonFactory(partnership=partnership, agency=ncc, user=UserFactory(first_name="Rachel", last_name="Forster"))
    return plan


@pytest.fixture
def manager(plan):
    partnership = plan.inspection.partnership
    agency = partnership.agencies.get(short_name="NCC")
    return PersonFactory(partnership=partnership, agency=agency, role=Person.Role.MANAGER)


def plan_file(template: bytes, bad_date: bool) -> bytes:
    """The downloaded template with two more actions, one with a day that does not exist."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook["Actions"]
    sheet.append(
        [
            "2.1",
            "Using the CCE and CSE profiles, update the CE & CSE strategy, action plan and work programme",
            "2, 1",
            "Rachel Forster",
            "NCC",
            "Police; CCG; YOS",
            "31/02/2021" if bad_date else "31/03/2021",
            "The NSCC agrees a CE & CSE strategy whose priorities come from the profiles",
            "",
        ]
    )
    sheet.append(
        [
            "3.1",
            "Formally launch the work on reducing the criminalisation of LAC, and roll it out",
            "3",
            "Rachel Forster",
            "Northumberland County Council",
            "",
            datetime.datetime(2021, 3, 31),
            "",
            "",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(page, content: bytes):
    page.get_by_label("Upload the plan").set_input_files(
        files=[
            {
                "name": "northumberland-plan.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": content,
            }
        ]
    )
    page.get_by_role("button", name="Upload and continue").click()


def test_manager_imports_a_plan_fixing_a_bad_row_on_the_way(page, sign_in, plan, manager, axe_violations, tmp_path):
    sign_in(manager.user)
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="Import actions").click()
    assert page.title() == "Import actions into Northumberland JTAI action plan – JTAI action plan tracker"
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template (Excel workbook)").click()
    template = Path(download.value.path()).read_bytes()

    # First attempt: the row for 2.1 has 31 February.
    upload(page, plan_file(template, bad_date=True))
    assert page.get_by_role("heading", name="Match the columns").is_visible()
    assert page.get_by_label("Target date").input_value() == "6"  # guessed from the header
    first_values = page.get_by_role("table").inner_text()  # each column with its first values
    assert "Column D: Lead" in first_values and "Rachel Forster" in first_values
    page.screenshot(path=str(tmp_path / "import-columns.png"), full_page=True)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Continue").click()

    assert page.title().startswith("Error: Check the actions")
    summary = page.get_by_role("alert")
    assert "Row 3: Target date '31/02/2021' must be a real date" in summary.inner_text()
    row = page.locator("#row-3")
    assert "Problem" in row.inner_text()
    assert "Target date '31/02/2021' must be a real date" in row.inner_text()
    assert "(G3)" in row.inner_text()
    assert "Problem" not in page.locator("#row-2").inner_text()
    assert "Rachel Forster, NCC" in page.locator("#row-4").inner_text()  # who the lead cell matched
    assert page.get_by_role("button", name="Import 3 actions").count() == 0
    page.screenshot(path=str(tmp_path / "import-preview-with-error.png"), full_page=True)
    assert axe_violations(page) == []
    summary.get_by_role("link").first.click()  # the summary takes you to the row
    assert page.url.endswith("#row-3")
    assert Action.objects.filter(plan=plan).count() == 0

    # Second attempt: the corrected file; the columns are remembered.
    page.get_by_role("link", name="Upload a corrected file").click()
    upload(page, plan_file(template, bad_date=False))
    assert "matched last time" in page.content()
    page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Check the actions")
    page.screenshot(path=str(tmp_path / "import-preview.png"), full_page=True)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Import 3 actions").click()

    assert page.title() == "Northumberland JTAI action plan – JTAI action plan tracker"
    assert "3 actions imported." in page.content()
    assert list(Action.objects.filter(plan=plan).order_by("position").values_list("reference", flat=True)) == [
        "1.1",
        "2.1",
        "3.1",
    ]
    assert Action.objects.get(plan=plan, reference="2.1").target_date == datetime.date(2021, 3, 31)


def test_manager_ticks_a_new_agency_and_lead_to_create_them_with_the_import(
    page, sign_in, plan, manager, axe_violations, tmp_path
):
    from transfers.plan_xlsx import template_xlsx

    workbook = load_workbook(io.BytesIO(plan_file(template_xlsx(), bad_date=False)))
    workbook["Actions"]["D4"] = "Jo Bloggs"
    workbook["Actions"]["E4"] = "Barnardo's"
    buffer = io.BytesIO()
    workbook.save(buffer)

    sign_in(manager.user)
    page.goto(f"/plans/{plan.pk}/import/")
    upload(page, buffer.getvalue())
    page.get_by_role("button", name="Continue").click()
    assert "Agency 'Barnardo's' is not one of this partnership's agencies" in page.get_by_role("alert").inner_text()
    page.screenshot(path=str(tmp_path / "import-preview-unknown-names.png"), full_page=True)
    assert axe_violations(page) == []

    page.get_by_label("Create agency 'Barnardo's'").check()
    page.get_by_label("Create lead 'Jo Bloggs' (Barnardo's)").check()
    page.get_by_role("button", name="Import 3 actions").click()
    page.wait_for_load_state()
    assert "3 actions imported. Agencies created: Barnardo's. Leads created: Jo Bloggs." in page.content().replace(
        "&#x27;", "'"
    )
    action = Action.objects.get(plan=plan, reference="3.1")
    assert (action.lead.name, action.lead_agency.name) == ("Jo Bloggs", "Barnardo's")
