"""In a real browser: a manager sets up an inspection, pastes its findings and adds an action; the pages pass axe."""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from actions.models import Action
from inspections.models import Finding, Inspection
from people.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LETTER = """• Leaders should make sure that return home interviews
  are timely and their findings are shared.
• The MASH should receive referrals in one format.
• Health partners should share information promptly."""


def shot(page, name):
    """A full-page screenshot at /tmp/setup-<name>.png, to look at after the run."""
    page.screenshot(path=str(Path(tempfile.gettempdir()) / f"setup-{name}.png"), full_page=True)


def fill_date(page, legend, day, month, year):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_manager_sets_up_an_inspection_its_findings_and_an_action(page, sign_in, make_person, action, axe_violations):
    manager = make_person(role=Person.Role.MANAGER)
    sign_in(manager.user)

    page.get_by_role("link", name="Set up", exact=True).click()
    assert page.title() == f"Set up {manager.partnership.name} – JTAI action plan tracker"
    shot(page, "landing")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Add an inspection or review").click()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: Add an inspection or review"))  # no type chosen
    assert axe_violations(page) == []
    page.get_by_label("Joint targeted area inspection (JTAI)").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Add inspection").click()
    expect(page).to_have_title(re.compile(r"^Error: Add an inspection"))  # waits for the page to come back
    shot(page, "inspection-errors")
    assert axe_violations(page) == []

    page.get_by_label("Theme").fill("Neglect")
    page.get_by_label("Ofsted").check()
    page.get_by_label("Care Quality Commission (CQC)").check()
    fill_date(page, "Fieldwork start date", "6", "3", "2023")
    fill_date(page, "Fieldwork end date", "10", "3", "2023")
    fill_date(page, "Letter published (optional)", "2", "5", "2023")
    page.get_by_label("Status").select_option(label="Action plan in preparation")
    page.get_by_role("button", name="Add inspection").click()
    page.wait_for_load_state()
    assert "added, with its written statement of action" in page.content()
    inspection = Inspection.objects.get(theme="Neglect")
    assert inspection.plan.title == "Neglect written statement of action"

    page.get_by_role("link", name="Paste findings from the letter").click()
    page.get_by_label("Area for improvement", exact=True).check()
    page.get_by_label("The letter's list").fill(LETTER)
    page.get_by_role("button", name="Preview").click()
    assert page.title().startswith("Check the 3 findings to add")
    assert "3 areas for improvement will be added, numbered 1 to 3" in page.content()
    assert not Finding.objects.filter(inspection=inspection).exists()
    shot(page, "paste-preview")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Change").click()
    assert page.get_by_label("The letter's list").input_value().startswith("• Leaders should")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Confirm and add").click()
    page.wait_for_load_state()
    assert "3 areas for improvement added, numbered 1 to 3." in page.content()
    texts = list(Finding.objects.filter(inspection=inspection).order_by("number").values_list("text", flat=True))
    assert texts[0] == "Leaders should make sure that return home interviews are timely and their findings are shared."
    assert len(texts) == 3
    shot(page, "inspection")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Neglect written statement of action").click()
    page.get_by_role("link", name="Add an action").click()
    assert page.title().startswith("Add an action to Neglect written statement of action")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Add action").click()
    assert page.title().startswith("Error: ")
    shot(page, "action-errors")
    assert axe_violations(page) == []

    page.get_by_label("Reference").fill("A")
    page.get_by_label("Action", exact=True).fill("Relaunch the multi-agency referral form.")
    page.get_by_label(re.compile(r"Area for improvement 2: The MASH")).check()
    page.get_by_label("Lead", exact=True).select_option(label=f"{action.lead.name} ({action.lead.agency.display_name})")
    page.get_by_label("Lead agency").select_option(label=action.lead.agency.name)
    fill_date(page, "Target date", "31", "3", "2024")
    shot(page, "action-form")
    page.get_by_role("button", name="Add action").click()
    page.wait_for_load_state()
    assert "Action A added." in page.content()
    added = Action.objects.get(plan=inspection.plan)
    assert [area.number for area in added.areas.all()] == [2]

    page.get_by_role("button", name="Renumber").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the buttons work from the keyboard
    assert "Actions renumbered: 1 reference changed." in page.content()
    assert "Every reference already follows this order." in page.content()
    added.refresh_from_db()
    assert added.reference == "2.1"
    shot(page, "plan")
    assert axe_violations(page) == []
