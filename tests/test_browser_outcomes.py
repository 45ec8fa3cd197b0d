"""In a real browser, on the demo: the chair records that an action will not be implemented, merges another into
a third, sets a re-test date and records a re-test; each page and its error summary pass axe, and the board says so."""

import datetime

import pytest
from django.urls import reverse

from actions.models import Action, Outcome, Retest
from people.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_date(page, legend, day: datetime.date):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_the_chair_records_outcomes_and_a_re_test(page, demo, sign_in_demo, axe_violations):
    actions = list(Action.objects.for_partnership(demo).with_outcome(Outcome.OPEN).order_by("plan_id", "position"))
    dropped, merged, kept = actions[0], actions[1], actions[2]
    chair = Person.objects.get(user__username="chair")
    meeting = datetime.date.today() - datetime.timedelta(days=3)
    sign_in_demo("chair")

    page.goto(reverse("actions:detail", args=[dropped.pk]))
    page.get_by_role("link", name="Record that this action will not be implemented").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Record as not implemented").click()
    assert page.title().startswith("Error: ")
    assert axe_violations(page) == []
    fill_date(page, "Date of the meeting that agreed it", meeting)
    page.get_by_label("Reasons it will not be implemented").fill("The service was recommissioned.")
    page.get_by_role("button", name="Record as not implemented").click()
    page.wait_for_load_state()
    assert f"Not implemented: agreed by {chair.name}, sub-group chair" in page.content()
    assert axe_violations(page) == []

    page.goto(reverse("actions:detail", args=[merged.pk]))
    page.get_by_role("link", name="Superseded by or merged into another action").click()
    assert axe_violations(page) == []
    page.get_by_label("Merged: its work is now part of another action").check()
    page.get_by_label("The action that carries the work now").select_option(str(kept.pk))
    fill_date(page, "Date of the meeting that agreed it", meeting)
    page.get_by_label("Reason").fill("Combined after the review.")
    page.get_by_role("button", name="Record the decision").click()
    assert f"Merged into {kept.reference}" in page.locator(".app-action-outcome").inner_text()

    Action.objects.filter(pk=kept.pk).update(
        completed_on=meeting - datetime.timedelta(days=200), sustainability_plan="Re-audited yearly."
    )
    page.goto(reverse("actions:detail", args=[kept.pk]))
    assert "Takes over from" in page.content()
    page.get_by_role("link", name="Set a re-test date").click()
    assert axe_violations(page) == []
    fill_date(page, "Re-test date", meeting - datetime.timedelta(days=10))
    page.get_by_role("button", name="Save the re-test date").click()
    page.wait_for_load_state()
    assert "Re-test date for action" in page.content()

    page.goto(reverse("reports:board", args=[kept.plan_id]))
    assert "Not implemented, superseded or merged" in page.content()
    assert axe_violations(page) == []

    page.goto(reverse("actions:detail", args=[kept.pk]))
    page.get_by_role("link", name="Record a re-test").click()
    page.get_by_role("button", name="Record the re-test").click()
    assert axe_violations(page) == []
    fill_date(page, "Date of the re-test", meeting)
    page.get_by_label("Not sustained: reopen the action, so its lead is asked for updates again").check()
    page.get_by_label("Evidence").fill("Re-audit: 12 of 40 cases.")
    page.get_by_role("button", name="Record the re-test").click()
    page.wait_for_load_state()
    assert "is reopened" in page.content()
    assert axe_violations(page) == []
    assert Retest.objects.get(action=kept).result == Retest.Result.NOT_SUSTAINED
    kept.refresh_from_db()
    assert kept.outcome == Outcome.OPEN
