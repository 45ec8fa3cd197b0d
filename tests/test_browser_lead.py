"""In a real browser: an action lead writes and submits an update, and the pages pass axe."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from actions.models import MonitoringRound, Update
from tests.factories import MonitoringRoundFactory, UpdateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_round(action):
    earlier = MonitoringRoundFactory(
        plan=action.plan, label="May 2020", state=MonitoringRound.State.AGREED, period_end=datetime.date(2020, 5, 31)
    )
    UpdateFactory(
        action=action,
        round=earlier,
        status=Update.Status.AGREED,
        narrative="Profiles commissioned from the police.",
        proposed_quadrant="amber",
        agreed_quadrant="amber",
    )
    return MonitoringRoundFactory(
        plan=action.plan,
        label="Q2 2020/21",
        state=MonitoringRound.State.OPEN,
        period_end=datetime.date(2030, 9, 30),
        update_deadline=datetime.date(2030, 9, 15),
    )


def test_lead_writes_saves_and_submits_an_update_with_the_keyboard(page, sign_in, action, open_round, axe_violations):
    sign_in(action.lead.user)
    page.get_by_role("link", name="My actions").click()
    assert page.title() == "My actions – JTAI action plan tracker"
    assert axe_violations(page) == []

    page.get_by_role("link", name=f"Write update for {action.reference}").click()
    page.wait_for_load_state()
    assert "Profiles commissioned from the police." in page.content()  # the last round, beside the form
    page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Error: ")
    assert page.get_by_role("alert").is_visible()
    assert axe_violations(page) == []

    page.get_by_label("Progress").fill("Intelligence profile signed off at the S&CE sub-group.")
    page.get_by_label("▲ Yellow").check()
    page.get_by_label("Progress").focus()
    page.keyboard.press("Tab")  # keyboard reaches the next field
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_load_state()
    assert "Draft update on" in page.content()
    page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Check your update on")
    page.get_by_role("button", name="Submit update").click()
    page.wait_for_load_state()
    assert "submitted to the sub-group" in page.content()

    update = Update.objects.get(round=open_round)
    assert update.status == Update.Status.SUBMITTED
    assert update.proposed_quadrant == "yellow"
    assert update.version == 3  # the draft, the draft checked, the submission


def test_demo_lead_updates_an_action_with_a_file_and_sees_it_in_the_timeline(
    page, demo, sign_in_demo, settings, tmp_path, axe_violations
):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    audit = tmp_path / "MASH audit June 2020.pdf"
    audit.write_bytes(b"%PDF-1.4\n% demo audit\n%%EOF\n")

    sign_in_demo("lead")
    page.get_by_role("link", name="My actions").click()
    page.get_by_role("link", name="Write update for 5.1").click()
    open_round = MonitoringRound.objects.get(
        state=MonitoringRound.State.OPEN, plan__inspection__partnership=demo, plan__inspection__kind="jtai"
    )
    assert page.title().startswith(f"Update 5.1 for {open_round.label}")
    assert axe_violations(page) == []

    page.get_by_label("Progress").fill("The relaunched referral form is used by all partners since 1 July.")
    page.get_by_label("Evidence", exact=True).fill("Audit of 50 referrals in June 2020.")
    page.locator('input[type="file"]').set_input_files(str(audit))  # behind GOV.UK's "Choose file" button
    page.get_by_label("● Green").check()
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("link", name="MASH audit June 2020.pdf").is_visible()  # on the check page
    page.get_by_role("button", name="Submit update").click()
    page.wait_for_load_state()
    assert "Update on 5.1 submitted to the sub-group." in page.content()

    page.get_by_role("link", name=re.compile("Review and refresh the multi agency referral form")).click()
    timeline = page.get_by_role("table", name="Every change to this action, newest first")
    assert f"{open_round.label}: update submitted, proposing Green" in timeline.inner_text()
    assert "Rachel Forster" in timeline.inner_text()
    assert page.get_by_role("link", name="MASH audit June 2020.pdf").is_visible()
    assert axe_violations(page) == []
    assert list((tmp_path / "evidence").rglob("*"))  # stored, under a name of our choosing


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_at_320px_a_lead_proposes_completion_checks_the_answers_and_submits(
    page, sign_in, action, open_round, axe_violations
):
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(action.lead.user)
    page.goto(f"/actions/{action.pk}/update/")
    assert scroll_width(page) <= 320
    assert axe_violations(page) == []

    sustainability = page.get_by_label("Sustainability plan")
    new_date = page.get_by_role("group", name="New target date", exact=True)
    assert not sustainability.is_visible() and not new_date.is_visible()  # revealed only by their answers
    page.get_by_label("Progress").fill("Every partner uses the relaunched form since 1 July.")
    expect(page.locator(".govuk-character-count__status").first).to_have_text("You have 4,948 characters remaining")
    page.get_by_label("Evidence", exact=True).fill("Audit of 50 referrals in June: all on the new form.")
    page.get_by_label("● Green").check()
    assert not sustainability.is_visible()
    page.get_by_label("✔ Blue (complete)").check()
    expect(sustainability).to_be_visible()
    sustainability.fill("Re-audited every six months by the sub-group.")
    achieved = page.get_by_role("group", name="When was it achieved? (optional)")
    achieved.get_by_label("Day").fill("30")
    achieved.get_by_label("Month").fill("6")
    achieved.get_by_label("Year").fill("2020")
    page.get_by_role("group", name="Does the action need a new target date?").get_by_label("No").check()
    assert not new_date.is_visible()
    assert scroll_width(page) <= 320
    assert axe_violations(page) == []

    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(f"^Check your update on {re.escape(action.reference)}"))
    assert Update.objects.get(round=open_round).status == Update.Status.DRAFT
    answers = page.locator(".govuk-summary-list").inner_text()
    assert "Re-audited every six months by the sub-group." in answers and "30 June 2020" in answers
    assert scroll_width(page) <= 320
    assert axe_violations(page) == []

    page.get_by_role("link", name="Change sustainability plan").click()  # back to the answer, then on again
    expect(page.get_by_label("Sustainability plan")).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Submit update").click()
    expect(page.get_by_text(f"Update on {action.reference} submitted to the sub-group.")).to_be_visible()
    update = Update.objects.get(round=open_round)
    assert (update.status, update.proposed_quadrant) == (Update.Status.SUBMITTED, "complete")
    assert update.achieved_on == datetime.date(2020, 6, 30)


def test_without_javascript_every_revealed_question_shows(chromium, live_server, action, open_round, password):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(action.lead.user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.goto(f"/actions/{action.pk}/update/")
        expect(page.get_by_label("Sustainability plan")).to_be_visible()
        expect(page.get_by_label("Why the target date needs to change")).to_be_visible()
        expect(page.locator('input[type="file"]')).to_be_visible()
    finally:
        context.close()
