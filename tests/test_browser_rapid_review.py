"""In a real browser: a manager adds a child safeguarding rapid review from its type, records its dates and sees
its statutory clocks on its page and on the home; the pages pass axe."""

import datetime

import pytest

from inspections.models import Inspection
from people.models import Person
from tests.test_browser_setup import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def typed(page, legend, day):
    fill_date(page, legend, str(day.day), str(day.month), str(day.year))


def test_manager_adds_a_rapid_review_and_sees_its_clocks(page, sign_in, make_person, axe_violations):
    manager = make_person(role=Person.Role.MANAGER)
    sign_in(manager.user)
    today = datetime.date.today()

    page.get_by_role("link", name="Set up", exact=True).click()
    page.get_by_role("link", name="Add an inspection or review").click()
    page.get_by_label("Child safeguarding rapid review").check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Continue").click()
    assert "Partnership became aware of the incident" in page.content()
    assert axe_violations(page) == []

    page.get_by_label("Name", exact=True).fill("Child H")
    typed(page, "Review start date", today - datetime.timedelta(days=3))
    typed(page, "Review end date", today - datetime.timedelta(days=1))
    typed(page, "Partnership became aware of the incident (optional)", today - datetime.timedelta(days=3))
    typed(page, "Notified to the National Panel (optional)", today - datetime.timedelta(days=2))
    page.get_by_role("button", name="Add review").click()
    assert "added, with its action plan" in page.content()
    review = Inspection.objects.get(theme="Child H")
    assert review.kind == "rapid_review" and review.plan.title == "Child H action plan"

    page.get_by_role("link", name="View the review as members see it").click()
    clocks = page.locator("#clocks + dl")
    assert "Met on" in clocks.inner_text()
    assert "Running" in clocks.inner_text()
    assert axe_violations(page) == []

    page.goto("/")
    section = page.locator("#clocks")
    assert "Rapid review" in section.inner_text()
    assert "working days left" in section.inner_text()
    assert axe_violations(page) == []
