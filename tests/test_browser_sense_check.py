"""In a real browser, on the demo: the chair runs the sense check from its jump list, with nothing chosen for them."""

import re

import pytest

from actions.models import MonitoringRound, Update

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_320(page) -> bool:
    page.set_viewport_size({"width": 320, "height": 800})
    fits = page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})
    return fits


def test_chair_runs_the_sense_check_from_the_jump_list(page, demo, sign_in_demo, axe_violations):
    open_round = MonitoringRound.objects.get(
        state=MonitoringRound.State.OPEN, plan__inspection__partnership=demo, plan__inspection__kind="jtai"
    )
    total = open_round.plan.actions.count()
    sign_in_demo("chair")
    page.goto(f"/rounds/{open_round.pk}/")
    assert axe_violations(page) == []
    assert fits_320(page)
    page.get_by_role("button", name="Stop updates and start the sense check").click()
    page.wait_for_load_state()
    assert "updates have stopped and the sense check has started" in page.content()
    page.get_by_role("link", name="Run the sense check").click()

    jump_list = page.url
    assert f"0 of {total} decided" in page.locator("#decided-count").inner_text()
    assert axe_violations(page) == []
    items = page.locator("#jump-list .govuk-task-list__item")
    assert items.count() == total

    # No answer is chosen for the chair on any action's page.
    hrefs = [items.nth(i).get_by_role("link").get_attribute("href") for i in range(total)]
    for href in hrefs:
        page.goto(href)
        radios = page.locator('input[name="quadrant"]').count()
        # Updates are still open: only a submitted update can be decided yet, and none is decided for the chair.
        assert radios == 5 or (radios == 0 and page.locator("#not-yet").count() == 1)
        assert page.locator('input[name="quadrant"]:checked').count() == 0
    assert fits_320(page)
    assert axe_violations(page) == []

    # Two decisions, each reached by clicking in the jump list: the lead's proposal, chosen by the chair.
    page.goto(jump_list)
    proposing = [i for i in range(total) if "The lead proposes" in items.nth(i).inner_text()]
    chosen = [proposing[2], proposing[5]]
    references = []
    for index in chosen:
        item = page.locator("#jump-list .govuk-task-list__item").nth(index)
        references.append(item.get_by_role("link").inner_text().split(" ", 1)[0])
        item.get_by_role("link").click()
        proposal = " ".join(page.locator("#leads-proposal").inner_text().split()[1:])  # after the symbol
        page.get_by_role("radio", name=proposal).check()
        page.get_by_role("button", name="Record decision").click()
        page.wait_for_load_state()
        assert f"Decision on {references[-1]} recorded" in page.content()
        page.get_by_role("link", name="Every action in the sense check").click()

    assert page.url == jump_list
    assert f"2 of {total} decided" in page.locator("#decided-count").inner_text()
    items = page.locator("#jump-list .govuk-task-list__item")
    for index in range(total):
        status = items.nth(index).locator(".govuk-task-list__status").inner_text()
        if index in chosen:
            assert re.match(r"Decided: \S+ \w+", " ".join(status.split())), status
        else:
            assert status == "Not decided yet"
    agreed = Update.objects.filter(round=open_round, status=Update.Status.AGREED).select_related("action")
    assert sorted(update.action.reference for update in agreed) == sorted(references)

    page.get_by_role("link", name=re.compile(r"Show only the \d+ not decided yet")).click()
    assert page.locator("#jump-list .govuk-task-list__item").count() == total - 2
    assert axe_violations(page) == []
