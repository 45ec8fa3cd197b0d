"""In a real browser: following an error summary link puts the cursor in the field it names."""

import datetime

import pytest

from actions.models import MonitoringRound, Update
from people.models import Person
from tests.factories import MonitoringRoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def follow(page, message: str) -> str:
    page.get_by_role("alert").get_by_role("link", name=message).click()
    return focused_id(page)


def test_summary_links_focus_a_date_box_and_the_first_radio(page, sign_in, action):
    MonitoringRoundFactory(
        plan=action.plan,
        state=MonitoringRound.State.OPEN,
        period_end=datetime.date(2030, 9, 30),
        update_deadline=datetime.date(2030, 9, 15),
    )
    sign_in(action.lead.user)
    page.goto(f"/actions/{action.pk}/update/")
    page.get_by_role("group", name="Does the action need a new target date?").get_by_label("Yes").check()
    group = page.get_by_role("group", name="New target date", exact=True)
    group.get_by_label("Day").fill("31")
    group.get_by_label("Month").fill("2")
    group.get_by_label("Year").fill("2031")
    page.get_by_label("Why the target date needs to change").fill("Roadshows postponed.")
    page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Error: ")

    assert follow(page, "New target date must be a real date") == "id_requested_target_date_0"  # the day
    assert follow(page, "Select the quadrant you think this action is in") == "id_proposed_quadrant_1"  # 1st radio
    assert not Update.objects.exists()

    # A missing or short year: the link goes to the year, the part at fault.
    group.get_by_label("Year").fill("31")
    group.get_by_label("Day").fill("28")
    page.get_by_role("button", name="Continue").click()
    assert follow(page, "New target date must include a year with 4 numbers") == "id_requested_target_date_2"


def test_a_setup_date_link_focuses_the_day_box(page, sign_in, make_person, action):
    sign_in(make_person(role=Person.Role.MANAGER).user)
    page.goto(f"/setup/plans/{action.plan.pk}/actions/add/")
    group = page.get_by_role("group", name="Target date")
    group.get_by_label("Day").fill("1")
    group.get_by_label("Month").fill("1")
    group.get_by_label("Year").fill("2000")
    page.get_by_role("button", name="Add action").click()
    assert page.title().startswith("Error: ")
    message = "Target date must be between 1 January 2010 and 31 December 2100"
    assert follow(page, message) == "id_target_date_0"
