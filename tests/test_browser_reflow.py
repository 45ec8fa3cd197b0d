"""Reflow and text size in a real browser: nothing scrolls sideways at 320 CSS px (WCAG 1.4.10), nothing overlaps
at 200% text (WCAG 1.4.4), and the board's jump links take the keyboard to a quadrant in a few key presses.

Two ways of making text bigger, and why these tests use the first:

- **Text only** (a browser's "text zoom" or a larger default font size): here
  ``document.documentElement.style.fontSize = "200%"``. GOV.UK Frontend and our stylesheets size text in rem,
  so every font doubles while lengths in px (widths, padding, a tag's ``max-width``) and the breakpoints (em in
  a media query is the browser's initial font size, not the root's) stay as they were. That is the harder case:
  the desktop layout must hold text twice the size. A larger default font size would also move the em
  breakpoints and switch to the one-column layout sooner.
- **Whole-page zoom** (Ctrl and +, 400%): the page is laid out in fewer CSS px, which is what the 320 px
  viewport tests: 1280 px at 400% is 320 CSS px.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from actions.models import Action
from people.models import Person
from tests import test_browser_board
from tests.crawl import reachable_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The board's fixture: nine actions over two rounds, a proposal, a missing update and one complete.
board_plan = test_browser_board.board_plan

NARROW = {"width": 320, "height": 720}

SCROLL_WIDTH = "document.documentElement.scrollWidth"

#: Boxes on the page that overlap or spill: table cells in one row that overlap each other, and any tag whose
#: text runs outside the tag or the cell (or list item, or paragraph) it sits in.
OVERLAPS = """() => {
  const found = [];
  const overlap = (a, b) =>
    a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const inside = (a, b) =>
    a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  const name = (element) => element.textContent.trim().replace(/\\s+/g, " ").slice(0, 40);
  for (const row of document.querySelectorAll("tr")) {
    const cells = [...row.children];
    cells.forEach((cell, i) => cells.slice(i + 1).forEach((other) => {
      if (overlap(cell.getBoundingClientRect(), other.getBoundingClientRect())) {
        found.push(`${name(cell)} overlaps ${name(other)}`);
      }
    }));
  }
  for (const tag of document.querySelectorAll(".govuk-tag")) {
    const text = document.createRange();
    text.selectNodeContents(tag);
    const box = tag.closest("td, th, li, p, dd");
    if (!inside(text.getBoundingClientRect(), tag.getBoundingClientRect())) {
      found.push(`${name(tag)} spills out of its tag`);
    }
    if (box && !inside(text.getBoundingClientRect(), box.getBoundingClientRect())) {
      found.push(`${name(tag)} spills out of ${box.tagName}`);
    }
  }
  return found;
}"""


def board_urls(plan, police_agency_id):
    board = reverse("reports:board", args=[plan.pk])
    filters = f"quadrant=red&quadrant=yellow&quadrant=complete&lead_agency={police_agency_id}"
    return {
        "grid": board,
        "list": f"{board}?view=list",
        "grid, filtered": f"{board}?{filters}",
        "list, filtered": f"{board}?view=list&{filters}",
    }


def test_the_board_and_its_list_view_fit_320_px_with_and_without_filters(
    page,
    sign_in,
    make_person,
    board_plan,
    axe_violations,
):
    police = board_plan.actions.get(lead_agency__name="Northumbria Police").lead_agency_id
    sign_in(make_person(role=Person.Role.VIEWER).user)
    page.set_viewport_size(NARROW)
    widths, violations = {}, {}
    for name, url in board_urls(board_plan, police).items():
        page.goto(url)
        widths[name] = page.evaluate(SCROLL_WIDTH)
        violations[name] = axe_violations(page)
    assert widths == dict.fromkeys(widths, 320)  # nothing scrolls sideways
    assert {name: found for name, found in violations.items() if found} == {}

    # The list view's table is wider than the screen: it scrolls in its own box, which the keyboard can reach.
    table = page.get_by_role("region", name="Actions in May 2020, in plan order")
    assert table.evaluate("box => box.scrollWidth > box.clientWidth")
    table.focus()
    page.keyboard.press("ArrowRight")
    # Chromium scrolls smoothly: the box moves over the next frames, not at once.
    page.wait_for_function("box => box.scrollLeft > 0", arg=table.element_handle(), timeout=5000)


def test_the_plan_an_action_and_my_actions_fit_320_px(page, demo, sign_in_demo):
    lead = Person.objects.get(user__username="lead")
    action = Action.objects.filter(lead=lead).order_by("position").first()
    sign_in_demo("lead")
    page.set_viewport_size(NARROW)
    widths = {}
    for url in (reverse("actions:mine"), action.plan.get_absolute_url(), reverse("actions:detail", args=[action.pk])):
        page.goto(url)
        if url != reverse("actions:mine"):  # My actions is a task list; the plan and action pages have tables
            assert page.locator(".app-table-scroll table").count() >= 1, url
        widths[url] = page.evaluate(SCROLL_WIDTH)
    assert widths == dict.fromkeys(widths, 320)


def test_a_leads_home_and_my_actions_fit_320_px_at_200_percent_text(page, demo, sign_in_demo):
    """The task lists' status tags ("In progress", "Submitted") wrap under the action's name, inside the page."""
    sign_in_demo("lead.police")
    page.set_viewport_size(NARROW)
    widths = {}
    for url in (reverse("home"), reverse("actions:mine")):
        page.goto(url)
        assert page.locator(".govuk-task-list__status .govuk-tag").count() >= 1, url
        page.evaluate("document.documentElement.style.fontSize = '200%'")  # text only: see the module's docstring
        widths[url] = page.evaluate(SCROLL_WIDTH)
        assert page.evaluate(OVERLAPS) == [], url
    assert widths == dict.fromkeys(widths, 320)


@pytest.mark.parametrize("width", [1024, 320])
def test_at_200_percent_text_no_quadrant_tag_or_cell_overlaps_another(
    page,
    sign_in,
    make_person,
    board_plan,
    width,
):
    sign_in(make_person(role=Person.Role.VIEWER).user)
    page.set_viewport_size({"width": width, "height": 900})
    for url in (reverse("reports:board", args=[board_plan.pk]) + "?view=list", board_plan.get_absolute_url()):
        page.goto(url)
        expect(page.get_by_text("Blue (complete)").first).to_be_visible()  # the longest tag is there
        page.evaluate("document.documentElement.style.fontSize = '200%'")  # text only: see the module's docstring
        assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.govuk-table')).fontSize)") >= 32
        assert page.evaluate(OVERLAPS) == [], url
        assert page.evaluate(SCROLL_WIDTH) <= width, url


def test_the_jump_links_take_the_keyboard_to_the_red_quadrant(
    page,
    sign_in,
    make_person,
    board_plan,
    axe_violations,
):
    sign_in(make_person(role=Person.Role.VIEWER).user)
    page.goto(reverse("reports:board", args=[board_plan.pk]))
    jump = page.get_by_role("navigation", name="Jump to a quadrant")
    expect(jump.get_by_role("link")).to_have_text(
        ["■Red (1)", "◆Amber (1)", "▲Yellow (2)", "●Green (3)", "✔Blue (complete) (1)", "Update missing (1)"]
    )

    presses = 0
    while page.evaluate("document.activeElement.getAttribute('href')") != "#quadrant-red":
        page.keyboard.press("Tab")
        presses += 1
        assert presses < 20, "the red jump link is not near the top"
    page.keyboard.press("Enter")
    red = page.locator('section[aria-labelledby="quadrant-red"]')
    expect(red.get_by_role("heading", level=2)).to_be_focused()  # a screen reader reads "Red: 1 action"
    page.keyboard.press("Tab")
    expect(red.get_by_role("link").first).to_be_focused()
    assert presses + 2 < 43 // 2  # was 43 presses from the top, before the jump links

    # The quadrant filter, as a keyboard user would set it, in the same form as the others.
    page.get_by_role("group", name="Quadrant").get_by_label("Red").check()
    page.get_by_role("group", name="Quadrant").get_by_label("Yellow").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#board-showing")).to_have_text("Showing 3 of 9 actions: the filters are on (Red, Yellow).")
    expect(page.get_by_role("heading", name="Green: 0 of 3 actions")).to_be_visible()
    expect(page.get_by_role("heading", name="Yellow: 2 of 2 actions")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="List view").click()
    expect(page.get_by_role("region", name="Actions in May 2020, in plan order").locator("tbody tr")).to_have_count(3)
    expect(page.locator("#board-showing")).to_have_text("Showing 3 of 9 actions: the filters are on (Red, Yellow).")
    assert axe_violations(page) == []


@pytest.mark.parametrize("role", ["manager", "chair", "lead", "monitor"])
def test_no_page_scrolls_sideways_at_320_px(page, live_server, demo, sign_in_demo, role):
    """Every page the demo's manager, chair, lead and outside monitor reach by following links fits 320 CSS px."""
    sign_in_demo(role)
    page.set_viewport_size(NARROW)
    widths = {url: page.evaluate(SCROLL_WIDTH) for url, _ in reachable_pages(page, live_server.url)}
    assert len(widths) >= (4 if role == "monitor" else 10)
    assert {url: width for url, width in widths.items() if width > 320} == {}
