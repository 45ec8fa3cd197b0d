"""In a real browser: a viewer reads the quadrant board and its list view, filters it, and both pass axe."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import MonitoringRound, Update
from people.models import Person
from tests.factories import ActionFactory, FindingFactory, MonitoringRoundFactory, PersonFactory, UpdateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOARD_SHAPE = [("green", 3), ("yellow", 2), ("amber", 1), ("red", 1), ("complete", 1)]


@pytest.fixture
def board_plan(action):
    """Two rounds of a plan: eight actions by one agency, one by the police; movement, a proposal, a missing update."""
    plan = action.plan
    partnership = plan.inspection.partnership
    today = timezone.localdate()
    police = PersonFactory(partnership=partnership, agency__name="Northumbria Police", agency__short_name="Police")
    area = FindingFactory(inspection=plan.inspection, text="Profile of criminal exploitation")
    march = MonitoringRoundFactory(
        plan=plan,
        label="March 2020",
        period_end=datetime.date(2020, 3, 31),
        state=MonitoringRound.State.ENDORSED,
        endorsed_on=datetime.date(2020, 4, 15),
    )
    may = MonitoringRoundFactory(
        plan=plan, label="May 2020", period_end=datetime.date(2020, 5, 31), state=MonitoringRound.State.SENSE_CHECK
    )
    actions = [action] + [
        ActionFactory(
            plan=plan,
            lead=action.lead,
            lead_agency=action.lead_agency,
            description=f"Review the multi agency referral form, part {n}",
            target_date=today + datetime.timedelta(days=20 * n),
        )
        for n in range(1, 8)
    ]
    actions.append(
        ActionFactory(
            plan=plan,
            lead=police,
            lead_agency=police.agency,
            description="Produce a partnership profile regarding criminal exploitation",
            target_date=today + datetime.timedelta(days=300),
        )
    )
    actions[-1].areas.add(area)
    before = ["amber", "amber", "green", "yellow", "yellow", "red", "red", "green", "amber"]
    after = ["green", "green", "green", "yellow", "amber", "red", None, "complete", "yellow"]
    for each, was, now in zip(actions, before, after, strict=True):
        UpdateFactory(action=each, round=march, status=Update.Status.AGREED, proposed_quadrant=was, agreed_quadrant=was)
        if now == "yellow" and each is actions[3]:
            UpdateFactory(action=each, round=may, status=Update.Status.SUBMITTED, proposed_quadrant=now)
        elif now:
            UpdateFactory(
                action=each, round=may, status=Update.Status.AGREED, proposed_quadrant=now, agreed_quadrant=now
            )
    return plan


def test_viewer_reads_filters_and_lists_the_board(page, sign_in, make_person, board_plan, axe_violations):
    viewer = make_person(role=Person.Role.VIEWER)
    sign_in(viewer.user)
    page.goto(f"/plans/{board_plan.pk}/")
    page.get_by_role("link", name="Quadrant board").click()
    expect(page).to_have_url(re.compile(r"/board/$"))
    assert page.title() == "Quadrant board, May 2020 – JTAI action plan tracker"
    assert page.get_by_role("heading", level=1).inner_text() == "Quadrant board: May 2020"
    for key, count in BOARD_SHAPE:
        region = page.locator(f'section[aria-labelledby="quadrant-{key}"]')
        assert region.locator("li.app-board__action").count() == count
    assert page.get_by_role("region", name=re.compile(r"^Red: 1 action$")).is_visible()
    assert "Proposed, not yet agreed" in page.get_by_role("region", name=re.compile("^Yellow")).inner_text()
    assert "2 actions moved from amber to green" in page.content()
    assert axe_violations(page) == []

    # Green top left, yellow top right, amber bottom left, red bottom right.
    boxes = {
        key: page.locator(f'section[aria-labelledby="quadrant-{key}"]').bounding_box()
        for key in ("green", "yellow", "amber", "red")
    }
    assert boxes["green"]["x"] < boxes["yellow"]["x"] and boxes["green"]["y"] == boxes["yellow"]["y"]
    assert boxes["amber"]["x"] < boxes["red"]["x"] and boxes["amber"]["y"] > boxes["green"]["y"]

    page.get_by_label("Lead agency").select_option(label="Northumbria Police")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("Showing 1 of 9 actions")).to_be_visible()
    expect(page.locator("li.app-board__action")).to_have_count(1)
    assert "Produce a partnership profile" in page.get_by_role("region", name=re.compile("^Yellow")).inner_text()

    page.get_by_role("link", name="List view").click()
    expect(page.get_by_role("table")).to_be_visible()
    expect(page.get_by_text("Showing 1 of 9 actions")).to_be_visible()  # the filter stays
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(1)
    assert axe_violations(page) == []

    page.get_by_role("link", name="Clear filters").click()
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(9)
    expect(page.locator("#board-showing")).to_have_text("9 actions in the plan")
    assert axe_violations(page) == []

    page.get_by_role("link", name="March 2020").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quadrant board: March 2020")


def test_board_stacks_to_one_column_on_a_narrow_screen(page, sign_in, make_person, board_plan, axe_violations):
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(make_person(role=Person.Role.VIEWER).user)
    page.goto(f"/plans/{board_plan.pk}/board/")
    green = page.locator('section[aria-labelledby="quadrant-green"]').bounding_box()
    yellow = page.locator('section[aria-labelledby="quadrant-yellow"]').bounding_box()
    assert green["x"] == yellow["x"] and yellow["y"] > green["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing scrolls sideways
    assert axe_violations(page) == []
