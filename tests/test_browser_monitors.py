"""In a real browser: an outside monitor reads an endorsed board, and a manager invites and removes one; every
page passes axe and fits 320 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.monitor_world import build_monitor_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_and_passes(page, axe_violations):
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url
    page.set_viewport_size({"width": 1280, "height": 900})
    assert axe_violations(page) == [], page.url


def test_an_outside_monitor_reads_an_endorsed_board(page, sign_in, axe_violations):
    world = build_monitor_world()
    plan = world.tynedale.plans[0]
    latest = world.tynedale.endorsed[plan.pk]
    sign_in(world.monitor)
    expect(page.get_by_role("heading", level=1, name="Plans you can see")).to_be_visible()
    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation.get_by_role("link", name="My actions")).to_have_count(0)
    _fits_and_passes(page, axe_violations)
    page.get_by_role("link", name=plan.title).click()
    expect(page.get_by_role("heading", level=1, name=plan.title)).to_be_visible()
    expect(page.get_by_role("link", name=world.tynedale.open_round.label)).to_have_count(0)
    _fits_and_passes(page, axe_violations)
    page.get_by_role("link", name=re.compile(rf"^{latest.label}\s*: quadrant board$")).click()
    expect(page.get_by_role("heading", level=1, name=f"Quadrant board: {latest.label}")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Red")).to_be_visible()
    _fits_and_passes(page, axe_violations)
    page.goto(f"/plans/{plan.pk}/board/")  # a member's page of the very plan: not found
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()


def test_a_manager_invites_and_removes_an_outside_monitor(page, sign_in, axe_violations):
    world = build_monitor_world(actions_per_plan=1)
    plan = world.tynedale.plans[0]
    sign_in(world.tynedale.manager.user)
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="Outside monitors").click()
    expect(page.get_by_role("heading", level=1, name="Outside monitors")).to_be_visible()
    _fits_and_passes(page, axe_violations)
    page.get_by_role("link", name="Invite an outside monitor").click()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    _fits_and_passes(page, axe_violations)
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Adviser")
    page.get_by_label("Email address").fill("ada@dfe.example")
    page.get_by_label("Organisation and role").fill("DfE SEND adviser")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Ada Adviser can now see this plan.")).to_be_visible()
    page.get_by_role("link", name="Remove access of Ada Adviser").click()
    expect(page.get_by_role("heading", level=1, name="Remove Ada Adviser's access")).to_be_visible()
    _fits_and_passes(page, axe_violations)
    page.get_by_role("button", name="Remove access").click()
    expect(page.get_by_text("Ada Adviser can no longer see this plan.")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Access removed")).to_be_visible()
