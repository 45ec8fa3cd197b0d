"""In a real browser at 320 px: each demo role's home reflows without sideways scrolling and passes axe,
and the manager sends a reminder from it, once a day."""

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Each demo user and a heading their home shows.
HOMES = {
    "lead": "Your updates",
    "chair": "Sense check",
    "manager": "Updates coming in",
    "officer": "Committee reports",
    "viewer": "Where the plans stand",
    "halton.manager": "Sense check",  # Halton's one round is agreed, waiting for the board
}


@pytest.mark.parametrize("username", HOMES)
def test_each_role_s_home_fits_320_px_and_passes_axe(page, demo, sign_in_demo, axe_violations, username):
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in_demo(username)
    page.goto("/")
    expect(page.get_by_role("heading", level=1, name="What needs doing")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=HOMES[username])).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert axe_violations(page) == []


def test_the_manager_sends_a_reminder_once_a_day(page, demo, sign_in_demo, axe_violations):
    sign_in_demo("manager")
    page.goto("/")
    page.get_by_role("button", name="Send a reminder now").first.click()
    expect(page.get_by_text("sent to 3 leads")).to_be_visible()
    assert sorted(m.to[0].split("@")[0] for m in mail.outbox) == sorted(["lead", "lead.performance", "lead.police"])
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send a reminder now").first.click()
    expect(page.get_by_text("was already sent today at")).to_be_visible()
    expect(page.get_by_text("by Claire Robson. Nothing was sent")).to_be_visible()
    assert len(mail.outbox) == 3
