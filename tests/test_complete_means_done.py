"""A completed action is carried forward: nobody is asked for an update unless a chair reopens it."""

import datetime
import re

import pytest
from django.urls import reverse

from actions import selectors, services
from actions.models import MonitoringRound, Update
from actions.quadrants import Quadrant
from people.models import Person
from tests.factories import MonitoringRoundFactory, PersonFactory, UpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(action):
    action.completed_on = datetime.date(2020, 6, 3)
    action.sustainability_plan = "Audited yearly."
    action.save()
    return action


@pytest.fixture
def open_round(action):
    return MonitoringRoundFactory(
        plan=action.plan,
        label="August 2020",
        state=MonitoringRound.State.OPEN,
        period_end=datetime.date(2020, 8, 31),
        update_deadline=datetime.date(2020, 8, 14),
    )


@pytest.fixture
def chair(action):
    return PersonFactory(partnership=action.plan.inspection.partnership, role=Person.Role.CHAIR)


def test_my_actions_never_asks_for_an_update_on_a_complete_action(client, completed, open_round):
    client.force_login(completed.lead.user)
    page = client.get(reverse("actions:mine")).content.decode()
    assert "Completed 3 June 2020: no update needed" in page
    assert reverse("actions:update", args=[completed.pk]) not in page
    assert "Overdue" not in page and "Not started" not in page
    row = selectors.my_actions(completed.lead)[0]
    assert not row.needs_update and not row.is_late and row.update_state == "Complete"


def test_the_update_form_and_the_service_refuse_a_complete_action(client, completed, open_round):
    client.force_login(completed.lead.user)
    response = client.get(reverse("actions:update", args=[completed.pk]))
    assert response.status_code == 302
    with pytest.raises(services.ActionComplete):
        services.update_save(
            action=completed,
            monitoring_round=open_round,
            by=completed.lead,
            expected_version=0,
            fields={"narrative": "More", "proposed_quadrant": Quadrant.GREEN},
            submit=True,
        )
    assert not Update.objects.filter(action=completed).exists()


def test_the_round_counts_a_complete_action_as_complete_not_as_not_started(client, completed, open_round):
    by_state = selectors.round_actions(open_round)
    assert (by_state.count("complete"), by_state.count("not_started")) == (1, 0)
    client.force_login(completed.lead.user)
    page = client.get(reverse("actions:round", args=[open_round.pk])).content.decode()
    assert "1 complete already (carried forward)" in page and "not started" not in page.lower()


def test_the_sense_check_says_carried_forward_not_no_update(client, chair, completed, open_round):
    client.force_login(chair.user)
    page = client.get(reverse("actions:sense_check", args=[open_round.pk, completed.pk])).content.decode()
    assert "Agreed complete on 3 June 2020" in page
    assert "No update was received" not in page


def test_closing_the_round_carries_the_complete_action_forward(chair, completed, open_round):
    services.round_close(monitoring_round=open_round, by=chair, meeting_on=datetime.date(2020, 9, 2))
    carried = Update.objects.get(action=completed, round=open_round)
    assert carried.agreed_quadrant == Quadrant.COMPLETE
    completed.refresh_from_db()
    assert completed.completed_on == datetime.date(2020, 6, 3)  # still the meeting that agreed it


def test_only_a_chair_reopens_a_complete_action_and_only_with_a_reason(client, chair, completed, open_round):
    url = reverse("actions:reopen", args=[completed.pk])
    client.force_login(completed.lead.user)
    assert client.post(url, {"reason": "Not lasting"}).status_code == 403

    client.force_login(chair.user)
    page = client.get(url).content.decode()
    # The back link is in a landmark of its own, as breadcrumbs are (axe's "region" rule).
    assert re.search(r'<nav aria-label="Back"><a href="[^"]+" class="govuk-back-link">', page)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Say why the action is being reopened" in response.content.decode()
    completed.refresh_from_db()
    assert completed.is_complete

    response = client.post(url, {"reason": "The re-audit found the change has not lasted."})
    assert response.status_code == 302
    completed.refresh_from_db()
    assert not completed.is_complete
    assert completed.reopened_reason == "The re-audit found the change has not lasted."
    assert completed.history.first().history_user == chair.user
    # The lead is asked for updates again.
    assert selectors.my_actions(completed.lead)[0].needs_update


def test_a_lead_may_say_when_the_work_was_achieved_only_when_proposing_completion(client, action, open_round):
    client.force_login(action.lead.user)
    data = {
        "version": 0,
        "intent": "draft",
        "narrative": "Done.",
        "evidence": "",
        "barriers": "",
        "next_steps": "",
        "proposed_quadrant": Quadrant.GREEN,
        "sustainability_plan": "",
        "achieved_on_0": "20",
        "achieved_on_1": "7",
        "achieved_on_2": "2020",
        "requested_target_reason": "",
    }
    # The date is asked only under "complete": given under another quadrant, it is not the lead's answer.
    assert client.post(reverse("actions:update", args=[action.pk]), data).status_code == 302
    assert Update.objects.get(action=action).achieved_on is None
    # The rule itself is the service's, whoever calls it.
    from actions import services

    with pytest.raises(services.UpdateInvalid) as refused:
        services.update_save(
            action=action,
            monitoring_round=open_round,
            by=action.lead,
            expected_version=1,
            fields={"proposed_quadrant": Quadrant.GREEN, "achieved_on": datetime.date(2020, 7, 20)},
            submit=False,
        )
    assert refused.value.errors == {
        "achieved_on": "Give the date it was achieved only when you propose the action is complete"
    }
    data.update(version=1, proposed_quadrant=Quadrant.COMPLETE, evidence="Audit", sustainability_plan="Yearly audit")
    assert client.post(reverse("actions:update", args=[action.pk]), data).status_code == 302
    assert Update.objects.get(action=action).achieved_on == datetime.date(2020, 7, 20)


def test_an_earlier_round_says_complete_only_from_the_round_that_agreed_it(chair, action, open_round):
    """The board of a round before the completion never shows it complete, whatever today's row says."""
    from reports.selectors import board_for

    may = MonitoringRoundFactory(
        plan=action.plan, label="May 2020", state=MonitoringRound.State.AGREED, period_end=datetime.date(2020, 5, 31)
    )
    UpdateFactory(
        action=action, round=may, status=Update.Status.AGREED, proposed_quadrant="amber", agreed_quadrant="amber"
    )
    action.completed_on = datetime.date(2020, 9, 2)
    action.sustainability_plan = "Yearly audit"
    action.save()
    board = board_for(action.plan, may)
    assert board.figures.complete == 0
    assert board.entries[0].quadrant.key == "amber"
    assert board.entries[0].flags == []  # due 31 December 2020: neither overdue nor due soon at May 2020
