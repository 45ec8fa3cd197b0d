"""In a real browser: a manager adds a child safeguarding rapid review from its type, records its dates and sees
its statutory clocks on its page and on the home; the pages pass axe."""

import datetime
import re

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
    page.wait_for_load_state()
    assert "Partnership became aware of the incident" in page.content()
    assert axe_violations(page) == []

    page.get_by_label("Name", exact=True).fill("Child H")
    typed(page, "Review start date", today - datetime.timedelta(days=3))
    typed(page, "Review end date", today - datetime.timedelta(days=1))
    typed(page, "Partnership became aware of the incident (optional)", today - datetime.timedelta(days=3))
    typed(page, "Notified to the National Panel (optional)", today - datetime.timedelta(days=2))
    page.get_by_role("button", name="Add review").click()
    page.wait_for_load_state()
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


def test_a_rapid_review_added_by_its_manager_is_read_by_an_outside_monitor_once_endorsed(
    page, chromium, live_server, sign_in, make_person, axe_violations
):
    """The whole loop for a review: the manager adds it from its type and sees its clocks; its plan is worked
    through one round, which the board endorses; the manager invites an outside monitor, who chooses a password
    from the emailed link and reads that endorsed board, and nothing else."""
    from django.core import mail
    from playwright.sync_api import expect

    from actions import services
    from actions.models import MonitoringRound
    from tests.factories import ActionFactory, FindingFactory
    from tests.homes import _settle

    manager = make_person(role=Person.Role.MANAGER)
    chair = make_person(role=Person.Role.CHAIR)
    lead = make_person(role=Person.Role.LEAD)
    sign_in(manager.user)
    today = datetime.date.today()
    aware = today - datetime.timedelta(days=90)

    page.get_by_role("link", name="Set up", exact=True).click()
    page.get_by_role("link", name="Add an inspection or review").click()
    page.get_by_label("Child safeguarding rapid review").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Name", exact=True).fill("Child K")
    typed(page, "Review start date", aware)
    typed(page, "Review end date", aware + datetime.timedelta(days=10))
    typed(page, "Partnership became aware of the incident (optional)", aware)
    typed(page, "Notified to the National Panel (optional)", aware + datetime.timedelta(days=2))
    page.get_by_role("button", name="Add review").click()
    review = Inspection.objects.get(theme="Child K")
    page.get_by_role("link", name="View the review as members see it").click()
    clocks = page.locator("#clocks + dl").inner_text()
    assert "Met on" in clocks  # notified within 5 working days of becoming aware

    # Its plan, worked through one round the board endorsed (entered through the services the pages call).
    recommendation = FindingFactory(inspection=review, kind="recommendation", number=1, text="Share chronologies.")
    action = ActionFactory(plan=review.plan, lead=lead, lead_agency=lead.agency, reference="R1", position=0)
    action.areas.add(recommendation)
    period_end = today - datetime.timedelta(days=40)
    endorsed = services.round_create(
        plan=review.plan,
        by=manager,
        label=f"{period_end:%B %Y}",
        period_end=period_end,
        update_deadline=period_end + datetime.timedelta(days=5),
        cadence=MonitoringRound.Cadence.MONTHLY,
    )
    _settle([action], endorsed, chair, period_end + datetime.timedelta(days=10), endorse=True)
    still_open = services.round_create(
        plan=review.plan,
        by=manager,
        label="Open round",
        period_end=today + datetime.timedelta(days=20),
        update_deadline=today + datetime.timedelta(days=25),
        cadence=MonitoringRound.Cadence.MONTHLY,
    )

    # The manager invites an outside monitor to the review's plan.
    page.goto(f"/plans/{review.plan.pk}/")
    page.get_by_role("link", name="Outside monitors").click()
    page.get_by_role("link", name="Invite an outside monitor").click()
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Panel")
    page.get_by_label("Email address").fill("nia.panel@panel.example.org")
    page.get_by_label("Organisation and role").fill("National Panel reviewer")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Nia Panel can now see this plan.")).to_be_visible()

    # The monitor, in a browser of their own, follows the link, chooses a password and reads the endorsed board.
    [invitation] = [message for message in mail.outbox if message.to == ["nia.panel@panel.example.org"]]
    [link] = re.findall(r"https?://[^/\s]+(/monitor/invitation/\S+)", invitation.body)
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    try:
        monitor = context.new_page()
        monitor.goto(link)
        monitor.get_by_label("Choose a password").fill("a long and unusual passphrase 42")
        monitor.get_by_label("Type the password again").fill("a long and unusual passphrase 42")
        monitor.get_by_role("button", name="Save password and sign in").click()
        expect(monitor.get_by_role("heading", level=1, name="Plans you can see")).to_be_visible()
        monitor.get_by_role("link", name=review.plan.title).click()
        expect(monitor.get_by_role("link", name=still_open.label)).to_have_count(0)  # not endorsed: not shown
        monitor.get_by_role("link", name=re.compile(rf"^{endorsed.label}\s*: quadrant board$")).click()
        expect(monitor.get_by_role("heading", level=1, name=f"Quadrant board: {endorsed.label}")).to_be_visible()
        assert "R1" in monitor.content()
        assert axe_violations(monitor) == []
        for elsewhere in (f"/plans/{review.plan.pk}/", f"/inspections/{review.pk}/", "/register/"):
            monitor.goto(elsewhere)
            expect(monitor.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
        monitor.goto(f"/monitor/plans/{review.plan.pk}/rounds/{still_open.pk}/")
        expect(monitor.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
    finally:
        context.close()
