"""In a real browser, on the demo: the sub-group chair runs the sense-check meeting and closes the round."""

import pytest
from django.utils import timezone

from actions.models import MonitoringRound, Update
from actions.services import round_missing_agreement, update_agree
from people.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chair_agrees_one_quadrant_challenges_another_and_closes_the_round(page, demo, sign_in_demo, axe_violations):
    august = MonitoringRound.objects.get(
        state=MonitoringRound.State.OPEN, plan__inspection__partnership=demo, plan__inspection__kind="jtai"
    )
    sign_in_demo("chair")
    # Northumberland's rapid review has a round open this month too: the JTAI plan's link, by its address.
    page.get_by_role("link", name=august.label, exact=True).and_(
        page.locator(f'[href="/rounds/{august.pk}/"]')
    ).first.click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Stop updates and start the sense check").click()
    page.get_by_role("link", name="Run the sense check").click()
    page.wait_for_load_state()
    assert "0 of 22 decided" in page.content()
    page.get_by_role("link", name="Go to the next action not decided yet").click()
    assert "(1 of 22)" in page.title()
    assert axe_violations(page) == []

    # Action 1: agree the lead's proposal, chosen by the chair (nothing is chosen for them); on to the next.
    first_title = page.locator("h1").inner_text()
    proposal = " ".join(page.locator("#leads-proposal").inner_text().split()[1:])  # after the symbol
    page.get_by_role("radio", name=proposal).check()
    page.get_by_role("button", name="Record decision").click()
    assert "(2 of 22)" in page.title()

    # Action 2: challenge without a reason is refused, then recorded with one.
    page.get_by_label("◆ Amber").check()
    page.get_by_role("button", name="Record decision").click()
    assert page.title().startswith("Error: ")
    assert page.get_by_role("alert").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("◆ Amber").check()
    page.get_by_label("Reason").fill("Strategy still waits for the profiles to be signed off.")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_load_state()
    assert "Decision on" in page.content()

    agreed = list(Update.objects.filter(round=august, status=Update.Status.AGREED).select_related("action"))
    assert len(agreed) == 2
    assert any(first_title.startswith(u.action.description[:40]) for u in agreed)
    challenged = next(u for u in agreed if u.agreed_reason)
    assert challenged.agreed_quadrant == "amber"

    # The rest of the meeting, quickly, then close the round in the browser.
    chair = Person.objects.get(user__username="chair")
    for missing in round_missing_agreement(august):
        requested = Update.objects.filter(action=missing, round=august, requested_target_date__isnull=False)
        update_agree(
            action=missing,
            monitoring_round=august,
            by=chair,
            quadrant="amber",
            reason="Agreed in the meeting",
            date_decision="refused" if requested.exists() else "",
        )
    page.goto(f"/rounds/{august.pk}/")
    today = timezone.localdate()  # the demo's round is open now (demo/loader.py, "Dates"): the meeting is today
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Close the round").click()
    page.wait_for_load_state()
    assert "closed: every quadrant is agreed" in page.content()
    august.refresh_from_db()
    assert august.state == MonitoringRound.State.AGREED
    assert august.subgroup_meeting_on == today
