"""In a real browser: a new partnership goes live in an afternoon. Support staff set it up with its first manager,
who follows the emailed invitation, works through the set-up task list, imports the sheet the partnership already
keeps (tests/partnership_sheet.py) and sees its quadrants on the board; and a sheet with bad cells, or too many rows,
is refused beside what is at fault with nothing saved."""

import io
import re
from collections import Counter

import pytest
from django.conf import settings as django_settings
from django.core import mail
from openpyxl import Workbook

from actions.models import Action, MonitoringRound
from actions.quadrants import Quadrant
from inspections.models import Finding, Partnership
from onboarding.services import support_user_create
from people.models import Person
from tests import partnership_sheet
from tests.factories import PASSWORD, ActionPlanFactory, AgencyFactory, FindingFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NEW_PASSWORD = "a long and unusual passphrase 42"
PARTNERSHIP = "Northumberland Safeguarding Children Partnership"
#: Every page load of the journey, in every browser context, stays under this.
PAGE_LOAD_BUDGET = 40


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


class PageLoads:
    """Counts the documents loaded in the main frame of every page it watches (a redirect chain is one)."""

    def __init__(self):
        self.count = 0

    def watch(self, browser_page):
        browser_page.on("load", lambda _page: self._loaded())
        return browser_page

    def _loaded(self):
        self.count += 1


def link_in(message) -> str:
    """The path of the one link in an email."""
    found = re.findall(r"https?://[^/\s]+(/\S+)", message.body)
    assert len(found) == 1, message.body
    return found[0]


def fill_date(browser_page, legend: str, day: int, month: int, year: int):
    group = browser_page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day))
    group.get_by_label("Month").fill(str(month))
    group.get_by_label("Year").fill(str(year))


def upload(browser_page, name: str, content: bytes):
    browser_page.get_by_label("Upload the plan").set_input_files(
        files=[{"name": name, "mimeType": XLSX, "buffer": content}]
    )
    browser_page.get_by_role("button", name="Upload and continue").click()


def open_task(browser_page, name: str):
    browser_page.locator(".govuk-task-list").get_by_role("link", name=name, exact=True).click()


def task_status(browser_page, name: str) -> str:
    item = browser_page.locator(".govuk-task-list__item").filter(has_text=name)
    return " ".join(item.locator(".govuk-task-list__status").inner_text().split())


def test_a_new_partnership_goes_live_in_an_afternoon(page, chromium, live_server, sign_in, axe_violations):
    loads = PageLoads()
    loads.watch(page)

    # 1. Support staff set the partnership up, with the agencies its sheet names and its first manager.
    support = support_user_create(username="helpdesk", email="helpdesk@service.example.org")
    support.set_password(PASSWORD)
    support.save()
    sign_in(support)
    assert page.get_by_role("heading", name="Partnerships on the service").is_visible()
    page.get_by_role("link", name="Set up a new partnership").click()
    assert page.title().startswith("Set up a new partnership")
    assert axe_violations(page) == []
    page.get_by_label("Partnership name").fill(PARTNERSHIP)
    page.get_by_label("Local authority").fill("Northumberland County Council")
    page.get_by_label("Board that endorses progress (optional)").fill("Northumberland Safeguarding Children Committee")
    page.get_by_label("Committee the reports go to (optional)").fill("Family and Children's Services Scrutiny")
    page.get_by_label("Agencies").fill(
        "\n".join(f"{name} ({short})" for name, short, _titles in partnership_sheet.AGENCIES)
    )
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Reid")
    page.get_by_label("Email address").fill("sam.reid@northumberland.example.org")
    page.get_by_label("Their agency").fill("Northumberland County Council")
    page.get_by_label("Job title (optional)").fill("Partnership business manager")
    page.get_by_role("button", name="Set up the partnership").click()
    page.wait_for_load_state()
    assert f"{PARTNERSHIP} is set up. Sam Reid has been emailed an invitation." in page.content()
    partnership = Partnership.objects.get(name=PARTNERSHIP)

    # 2. The invitation: the manager, in a browser of their own, follows its link and chooses a password.
    [invitation] = mail.outbox
    assert invitation.to == ["sam.reid@northumberland.example.org"]
    manager_context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    manager_context.set_default_timeout(10_000)
    try:
        m = loads.watch(manager_context.new_page())
        m.goto(link_in(invitation))
        assert m.title() == "Choose your password – JTAI action plan tracker"
        assert "/set-password/" in m.url  # the token has left the address bar
        assert axe_violations(m) == []
        m.get_by_label("Choose a password").fill(NEW_PASSWORD)
        m.get_by_label("Type the password again").fill(NEW_PASSWORD)
        m.get_by_role("button", name="Save password and sign in").click()
        m.wait_for_url(live_server.url + "/")
        assert "Welcome, Sam. Your password is set." in m.content()
        assert m.get_by_role("heading", name="Set up your partnership").is_visible()
        # Support gave it a local authority, a board and five agencies: two tasks are done already.
        assert "2 of 6 tasks completed" in m.content()
        assert task_status(m, "Partnership details") == "Completed"
        assert task_status(m, "Agencies") == "Completed"
        assert task_status(m, "People") == "Not started"
        assert task_status(m, "Plan: import or add actions") == "Cannot start yet"
        assert axe_violations(m) == []

        # 3a. Partnership details: the manager checks them and saves.
        open_task(m, "Partnership details")
        assert m.get_by_label("Board name").input_value() == "Northumberland Safeguarding Children Committee"
        m.get_by_role("button", name="Save details").click()
        m.wait_for_load_state()
        assert "Partnership details saved." in m.content()

        # 3c. People: the sub-group chair, invited by email.
        m.get_by_role("link", name="Set up").first.click()
        open_task(m, "People")
        m.get_by_role("link", name="Add a person").click()
        m.get_by_label("First name").fill("Priya")
        m.get_by_label("Last name").fill("Shah")
        m.get_by_label("Email address").fill("priya.shah@northumbria.example.org")
        m.get_by_label("Agency").select_option(label="Northumbria Police")
        m.get_by_label("Sub-group chair").check()
        m.get_by_label("Job title (optional)").fill("Detective Superintendent, Safeguarding")
        m.get_by_role("button", name="Add person and send invitation").click()
        assert m.get_by_role("heading", name="Priya Shah added").is_visible()
        assert "Invitation sent to priya.shah@northumbria.example.org" in m.content()
        assert mail.outbox[-1].to == ["priya.shah@northumbria.example.org"]

        # 3d. The inspection, and its areas for improvement pasted from the letter.
        m.get_by_role("link", name="Set up").first.click()
        assert task_status(m, "People") == "In progress"
        open_task(m, "Inspection and findings")
        m.get_by_label("Joint targeted area inspection (JTAI)").check()
        m.get_by_role("button", name="Continue").click()
        m.get_by_label("Theme").fill("Children at risk of exploitation")
        fill_date(m, "Fieldwork start date", 22, 11, 2021)
        fill_date(m, "Fieldwork end date", 26, 11, 2021)
        m.get_by_label("Written statement of action title").fill("Northumberland JTAI action plan")
        m.get_by_role("button", name="Add inspection").click()
        m.wait_for_load_state()
        assert "added, with its written statement of action." in m.content()
        m.get_by_role("link", name="Paste findings from the letter").click()
        m.get_by_label("Area for improvement", exact=True).check()
        m.get_by_label("The letter's list").fill(
            "\n".join(f"{n}. {text}" for n, text in enumerate(partnership_sheet.FINDINGS, start=1))
        )
        m.get_by_role("button", name="Preview").click()
        m.get_by_role("button", name="Confirm and add").click()
        m.wait_for_load_state()
        assert "4 areas for improvement added, numbered 1 to 4." in m.content()

        # 3e. The plan: its sheet imported from the set-up plan page.
        m.get_by_role("link", name="Northumberland JTAI action plan").click()
        m.get_by_role("link", name="Import actions").click()
        upload(m, "northumberland-wsoa.xlsx", partnership_sheet.sheet_bytes())
        assert m.get_by_role("heading", name="Match the columns").is_visible()
        assert m.get_by_label("Lead agency").input_value() == "4"  # guessed from the header
        m.get_by_role("button", name="Continue").click()
        assert m.title().startswith("Error: Check the actions")  # new leads to create
        # The chair matched by her job title; the rest are offered once per post and agency.
        assert "Priya Shah, Police" in m.locator("#row-5").inner_text()
        new_leads = m.get_by_role("group", name="Leads not in this partnership").get_by_role("checkbox")
        offered = sorted(new_leads.evaluate_all("boxes => boxes.map(box => box.labels[0].innerText.trim())"))
        assert offered == sorted(
            [
                "Create lead 'Head of Service, Children's Social Care' (job title, NCC)",
                "Create lead 'Named Nurse for Safeguarding Children' (job title, NHCFT)",
                "Create lead 'Named Nurse for Safeguarding Children' (job title, CNTW)",
                "Create lead 'Service Manager, Early Help' (job title, NCC)",
                "Create lead 'Designated Doctor for Safeguarding Children' (job title, ICB)",
            ]
        )
        assert axe_violations(m) == []
        for index in range(new_leads.count()):
            new_leads.nth(index).check()
        m.get_by_role("button", name="Import 30 actions").click()
        m.wait_for_load_state()
        assert "30 actions imported." in m.content()
        assert Action.objects.filter(plan__inspection__partnership=partnership).count() == 30

        # 4. The board shows the sheet's quadrants.
        m.get_by_role("link", name="Quadrant board").click()
        expected = Counter(action.quadrant for action in partnership_sheet.actions())
        shown = {}
        for quadrant in Quadrant:
            heading = m.locator(f"#quadrant-{quadrant.value}").inner_text()
            shown[quadrant] = int(re.search(r": (\d+) actions?", heading).group(1))
        assert shown == {quadrant: expected.get(quadrant, 0) for quadrant in Quadrant}
        assert "Imported from the plan's spreadsheet" in m.content().replace("&#x27;", "'")

        # Home: the chair's sign-up and the first round the leads report in are left (the round recording the
        # sheet's position is not one).
        m.get_by_role("navigation", name="Menu").get_by_role("link", name="Home", exact=True).click()
        m.wait_for_load_state()
        assert "4 of 6 tasks completed" in m.content()
        assert task_status(m, "First monitoring round") == "Not started"
        assert task_status(m, "Plan: import or add actions") == "Completed"
        assert task_status(m, "People") == "In progress"
    finally:
        manager_context.close()

    # 5. Fewer page loads than the budget, across both browsers.
    print(f"Page loads across the journey: {loads.count}")
    assert loads.count < PAGE_LOAD_BUDGET


# Bad input -----------------------------------------------------------------------------------------------------


@pytest.fixture
def plan(db):
    """A partnership set up as the journey above leaves it, with two detective inspectors in the police."""
    plan = ActionPlanFactory(title="Northumberland JTAI action plan")
    partnership = plan.inspection.partnership
    for number, text in enumerate(partnership_sheet.FINDINGS, start=1):
        FindingFactory(inspection=plan.inspection, number=number, text=text, kind=Finding.Kind.AREA_FOR_IMPROVEMENT)
    for name, short, titles in partnership_sheet.AGENCIES:
        agency = AgencyFactory(partnership=partnership, name=name, short_name=short)
        for title in titles:
            PersonFactory(partnership=partnership, agency=agency, job_title=title)
    police = partnership.agencies.get(short_name="Police")
    for first_name in ("Jo", "Lee"):
        PersonFactory(
            partnership=partnership,
            agency=police,
            job_title="Detective Inspector",
            user=UserFactory(first_name=first_name),
        )
    return plan


@pytest.fixture
def manager(plan):
    partnership = plan.inspection.partnership
    ncc = partnership.agencies.get(short_name="NCC")
    return PersonFactory(partnership=partnership, agency=ncc, role=Person.Role.MANAGER)


def workbook_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Ref", "Area for improvement", "Action", "Lead officer", "Lead agency", "Timescale"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_bad_cells_and_an_oversized_file_are_refused_where_they_are_and_nothing_is_saved(
    page, sign_in, plan, manager, axe_violations
):
    people_before = Person.objects.count()
    findings = partnership_sheet.FINDINGS
    bad = workbook_bytes(
        [
            ["1.1", "Children missing from education are not tracked", "Audit", "Service Manager, Early Help", "NCC",
             "31/03/2022"],
            ["1.2", findings[0], "Audit", "Detective Inspector", "Police", "31/03/2022"],
            ["1.3", findings[1], "Audit", "Service Manager, Early Help", "NCC", "31/02/2021"],
            ["1.4", findings[2], "Audit", "Named Nurse for Safeguarding Children", "CNTW", "31/03/2022"],
        ]
    )  # fmt: skip
    sign_in(manager.user)
    page.goto(f"/setup/plans/{plan.pk}/")
    page.get_by_role("link", name="Import actions").click()
    upload(page, "plan-with-mistakes.xlsx", bad)
    page.get_by_role("button", name="Continue").click()

    assert page.title().startswith("Error: Check the actions")
    summary = page.get_by_role("alert").inner_text()
    assert "There are 3 problems in the file" in summary

    def cell(row: int, column: int) -> str:
        """The text of one cell of the preview: 0 the reference, 2 the areas, 3 the lead, 5 the target date."""
        return " ".join(page.locator(f"#row-{row} td").nth(column).inner_text().split())

    unknown_area = (
        "'Children missing from education are not tracked' does not match any of this inspection's areas for "
        "improvement or priority areas for action"
    )
    ambiguous = (
        "2 people in Police have the job title Detective Inspector: give the lead's name or email address instead"
    )
    bad_date = "Target date '31/02/2021' must be a real date"
    # Each message beside the cell at fault, naming it; the summary names its row.
    assert f"{unknown_area} (B2)" in cell(2, 2)
    assert f"{ambiguous} (D3)" in cell(3, 3)
    assert f"{bad_date} (F4)" in cell(4, 5)
    for row, message in ((2, unknown_area), (3, ambiguous), (4, bad_date)):
        assert f"Row {row}: {message}" in summary
    # And nowhere else: the row's other cells, and the good row, have none.
    assert "(B2)" not in cell(2, 3) + cell(2, 5) and "(D3)" not in cell(3, 2) + cell(3, 5)
    assert "Problem" not in page.locator("#row-5").inner_text()
    # Nothing the manager can tick makes the file importable: there is no import button.
    assert page.get_by_role("button", name=re.compile(r"^Import \d+ actions?$")).count() == 0
    assert axe_violations(page) == []

    # A file with more rows than the import takes is refused beside the file field, before any column is matched.
    limit = django_settings.IMPORT_MAX_ROWS
    row = ["1.1", findings[0], "Audit", "Service Manager, Early Help", "NCC", "31/03/2022"]
    page.get_by_role("link", name="Upload a corrected file").click()
    upload(page, "far-too-long.xlsx", workbook_bytes([[f"1.{n}", *row[1:]] for n in range(limit + 1)]))
    assert page.title().startswith("Error: ")
    field = page.locator(".govuk-form-group--error")
    assert f"The file has more than {limit:,} rows of actions: split it into files of {limit:,} or fewer" in (
        field.inner_text()
    )
    assert field.get_by_label("Upload the plan").count() == 1  # the message is the file field's own

    assert not Action.objects.filter(plan=plan).exists()
    assert not MonitoringRound.objects.filter(plan=plan).exists()
    assert Person.objects.count() == people_before
