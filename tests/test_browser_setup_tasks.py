"""In a real browser: a new partnership's manager sees the set-up task list on their home page, which passes axe,
and follows it to the partnership's details."""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from inspections.models import Partnership
from people.models import Person
from tests.factories import InspectionFactory, PartnershipFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_manager_s_home_shows_the_task_list(page, sign_in, axe_violations):
    partnership = PartnershipFactory(
        name="Tynedale Safeguarding Children Partnership", local_authority="Tynedale Council"
    )
    manager = PersonFactory(partnership=partnership, role=Person.Role.MANAGER)
    InspectionFactory(partnership=partnership)  # in progress: no findings yet
    sign_in(manager.user)

    page.goto("/")
    task_list = page.locator(".govuk-task-list")
    expect(task_list).to_be_visible()
    expect(page.get_by_role("heading", name="Set up your partnership")).to_be_visible()
    expect(page.get_by_text("0 of 6 tasks completed")).to_be_visible()
    items = task_list.locator(".govuk-task-list__item")
    expect(items).to_have_count(6)
    # A link's accessible description is its hint and its status.
    expect(page.get_by_role("link", name="Partnership details")).to_have_accessible_description(
        "Your local authority and the board that endorses progress Not started"
    )
    expect(task_list.locator(".govuk-task-list__status--cannot-start-yet")).to_have_count(1)
    page.screenshot(path=str(Path(tempfile.gettempdir()) / "tasklist.png"), full_page=True)
    assert axe_violations(page) == []

    page.get_by_role("link", name="Partnership details").click()
    page.get_by_label("Board name").fill("Tynedale Safeguarding Committee")
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("Partnership details saved.")).to_be_visible()
    assert axe_violations(page) == []
    assert Partnership.objects.get(pk=partnership.pk).board_name == "Tynedale Safeguarding Committee"
    page.goto("/")
    expect(page.get_by_text("1 of 6 tasks completed")).to_be_visible()
