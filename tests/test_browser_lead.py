"""In a real browser: an action lead writes and submits an update, and the pages pass axe."""

import datetime
import re

import pytest

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
    assert "Profiles commissioned from the police." in page.content()  # the last round, beside the form
    page.get_by_role("button", name="Submit to the sub-group").click()
    assert page.title().startswith("Error: ")
    assert page.get_by_role("alert").is_visible()
    assert axe_violations(page) == []

    page.get_by_label("Progress").fill("Intelligence profile signed off at the S&CE sub-group.")
    page.get_by_label("▲ Yellow").check()
    page.get_by_label("Progress").focus()
    page.keyboard.press("Tab")  # keyboard reaches the next field
    page.get_by_role("button", name="Save as draft").click()
    assert "Draft update on" in page.content()
    page.get_by_role("button", name="Submit to the sub-group").click()
    assert "submitted to the sub-group" in page.content()

    update = Update.objects.get(round=open_round)
    assert update.status == Update.Status.SUBMITTED
    assert update.proposed_quadrant == "yellow"
    assert update.version == 2


def test_demo_lead_updates_an_action_with_a_file_and_sees_it_in_the_timeline(
    page, demo, sign_in_demo, settings, tmp_path, axe_violations
):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    audit = tmp_path / "MASH audit June 2020.pdf"
    audit.write_bytes(b"%PDF-1.4\n% demo audit\n%%EOF\n")

    sign_in_demo("lead")
    page.get_by_role("link", name="My actions").click()
    page.get_by_role("link", name="Write update for 5.1").click()
    open_round = MonitoringRound.objects.get(state=MonitoringRound.State.OPEN, plan__inspection__partnership=demo)
    assert page.title().startswith(f"Update 5.1 for {open_round.label}")
    assert axe_violations(page) == []

    page.get_by_label("Progress").fill("The relaunched referral form is used by all partners since 1 July.")
    page.get_by_label("Evidence", exact=True).fill("Audit of 50 referrals in June 2020.")
    page.get_by_label("Attach evidence files (optional)").set_input_files(str(audit))
    page.get_by_label("● Green").check()
    page.get_by_role("button", name="Submit to the sub-group").click()
    assert "Update on 5.1 submitted to the sub-group." in page.content()

    page.get_by_role("link", name=re.compile("Review and refresh the multi agency referral form")).click()
    timeline = page.get_by_role("table", name="Every change to this action, newest first")
    assert f"{open_round.label}: update submitted, proposing Green" in timeline.inner_text()
    assert "Rachel Forster" in timeline.inner_text()
    assert page.get_by_role("link", name="MASH audit June 2020.pdf").is_visible()
    assert axe_violations(page) == []
    assert list((tmp_path / "evidence").rglob("*"))  # stored, under a name of our choosing
