"""The register in a real browser, as the demo's manager uses it: from the menu, search, filter, an error by the
search box, then link an action to another and see "Also tracked as"; every state passes axe and fits 320 CSS px
(the crawling sweeps reach the register's first state; these reach the rest)."""

import pytest
from playwright.sync_api import expect

from actions.models import Action
from tests.test_browser_reflow import NARROW, OVERLAPS, SCROLL_WIDTH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_and_passes(page, axe_violations, states: dict):
    assert axe_violations(page) == [], page.url
    width = page.viewport_size["width"]
    page.set_viewport_size(NARROW)
    states[page.url] = (page.evaluate(SCROLL_WIDTH), page.evaluate(OVERLAPS))
    page.set_viewport_size({"width": width, "height": 900})


def test_a_manager_searches_filters_and_links_actions(page, live_server, demo, sign_in_demo, axe_violations):
    sign_in_demo("manager")
    states: dict = {}
    page.get_by_role("link", name="Register", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register")
    _fits_and_passes(page, axe_violations, states)

    page.get_by_label("Search the register").fill("missing children")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=2, name="match")).to_be_visible()
    assert "csrfmiddlewaretoken" not in page.url
    _fits_and_passes(page, axe_violations, states)

    page.get_by_label("Status").select_option(label="Complete")
    page.get_by_role("button", name="Search").click()
    _fits_and_passes(page, axe_violations, states)

    page.goto(f"{live_server.url}/register/?q={'x' * 300}")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Search must be 200 characters or fewer")
    _fits_and_passes(page, axe_violations, states)

    page.goto(f"{live_server.url}/register/")
    page.get_by_role("link", name="Link to another action").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Link to another action")
    page.get_by_role("button", name="Link the actions").click()  # nothing chosen
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the action that tracks the same")
    _fits_and_passes(page, axe_violations, states)

    choice = page.get_by_label("Action that tracks the same recommendation")
    value = choice.locator("option").nth(2).get_attribute("value")
    choice.select_option(value=value)
    page.get_by_role("button", name="Link the actions").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is now linked to")
    _fits_and_passes(page, axe_violations, states)

    other = Action.objects.select_related("plan").get(pk=value)
    page.locator(".govuk-breadcrumbs").get_by_role("link", name="Action").click()
    expect(page.get_by_text(f"{other.reference} in {other.plan.title}")).to_be_visible()
    _fits_and_passes(page, axe_violations, states)

    assert {url: state for url, state in states.items() if state[0] > 320 or state[1]} == {}
