"""The round page lists the round's actions by where they stand, offers one next step, and reads an endorsed
round's own record."""

import datetime
import re

import pytest
from django.urls import reverse

from actions.models import Action, MonitoringRound, Update
from actions.quadrants import Quadrant
from people.models import Person
from tests.factories import ActionFactory, MonitoringRoundFactory, UpdateFactory

pytestmark = pytest.mark.django_db

State = MonitoringRound.State


def primary_buttons(page: str) -> list[str]:
    """The words of every primary button (a GOV.UK button with no modifier) on the page."""
    found = re.findall(r'<(?:a|button)[^>]*class="govuk-button"[^>]*>(.*?)</(?:a|button)>', page, re.S)
    return [re.sub(r"<[^>]+>", "", words).strip() for words in found]


def page_for(client, person, monitoring_round) -> str:
    client.force_login(person.user)
    response = client.get(reverse("actions:round", args=[monitoring_round.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def live_round(action):
    return MonitoringRoundFactory(plan=action.plan, label="August 2020", state=State.OPEN)


@pytest.fixture
def plan_in_every_state(action, live_round):
    """Five actions: one of each state the round page lists."""
    draft, submitted, agreed = (
        ActionFactory(plan=action.plan, description=f"The {name} one") for name in ("draft", "submitted", "agreed")
    )
    complete = ActionFactory(plan=action.plan, description="The complete one", completed_on=datetime.date(2020, 3, 3))
    UpdateFactory(action=draft, round=live_round, status=Update.Status.DRAFT)
    UpdateFactory(action=submitted, round=live_round, status=Update.Status.SUBMITTED, proposed_quadrant="yellow")
    UpdateFactory(
        action=agreed, round=live_round, status=Update.Status.AGREED, proposed_quadrant="red", agreed_quadrant="red"
    )
    return {"not_started": action, "draft": draft, "submitted": submitted, "agreed": agreed, "complete": complete}


def test_the_round_lists_each_action_under_its_state_with_its_lead_and_a_link(
    client, make_person, live_round, plan_in_every_state
):
    page = page_for(client, make_person(role=Person.Role.VIEWER), live_round)
    assert "5 actions: " in page
    headings = re.findall(r'<h3 class="govuk-heading-s" id="state-([a-z_]+)">([^<]+)</h3>', page)
    assert headings == [
        ("not_started", "Not started (1)"),
        ("draft", "In draft (1)"),
        ("submitted", "Submitted (1)"),
        ("agreed", "Agreed (1)"),
        ("complete", "Complete already (carried forward) (1)"),
    ]
    for key, action in plan_in_every_state.items():
        section = page[page.index(f'id="state-{key}"') :]
        section = section[: section.index("</ul>")]
        assert reverse("actions:detail", args=[action.pk]) in section
        assert action.description in section and action.lead.name in section
    submitted = page[page.index('id="state-submitted"') :]
    assert "Proposed:" in submitted[: submitted.index("</ul>")] and "Yellow" in submitted[: submitted.index("</ul>")]


def test_the_round_links_to_its_board_and_committee_report(client, make_person, live_round):
    page = page_for(client, make_person(role=Person.Role.VIEWER), live_round)
    assert reverse("reports:board_round", args=[live_round.plan_id, live_round.pk]) in page
    assert reverse("reports:committee_report", args=[live_round.pk]) in page


@pytest.mark.parametrize(
    ("state", "role", "primary"),
    [
        (State.DRAFT, Person.Role.MANAGER, ["Open the round for updates"]),
        (State.DRAFT, Person.Role.CHAIR, []),
        (State.OPEN, Person.Role.CHAIR, ["Stop updates and start the sense check"]),
        (State.OPEN, Person.Role.MANAGER, ["Stop updates and start the sense check"]),
        (State.SENSE_CHECK, Person.Role.CHAIR, ["Run the sense check"]),
        (State.AGREED, Person.Role.CHAIR, ["Record endorsement"]),
        (State.ENDORSED, Person.Role.CHAIR, []),
        (State.OPEN, Person.Role.VIEWER, []),
        (State.SENSE_CHECK, Person.Role.LEAD, []),
    ],
)
def test_one_primary_button_the_next_move_the_viewer_may_make(client, make_person, action, state, role, primary):
    monitoring_round = MonitoringRoundFactory(
        plan=action.plan, state=state, endorsed_on=datetime.date(2020, 6, 2) if state == State.ENDORSED else None
    )
    page = page_for(client, make_person(role=role), monitoring_round)
    assert primary_buttons(page) == primary


def test_no_closing_while_the_round_takes_updates(client, make_person, action, live_round):
    UpdateFactory(action=action, round=live_round, status=Update.Status.AGREED, agreed_quadrant=Quadrant.GREEN)
    page = page_for(client, make_person(role=Person.Role.CHAIR), live_round)
    assert "Close the round" not in page
    assert reverse("actions:round_close", args=[live_round.pk]) not in page


def test_closing_is_the_next_move_once_every_action_is_decided(client, make_person, action, live_round):
    live_round.state = State.SENSE_CHECK
    live_round.save()
    chair = make_person(role=Person.Role.CHAIR)
    page = page_for(client, chair, live_round)
    assert "1 action is not decided yet" in page
    assert "Close the round" not in page

    UpdateFactory(action=action, round=live_round, status=Update.Status.AGREED, agreed_quadrant=Quadrant.GREEN)
    page = page_for(client, chair, live_round)
    assert primary_buttons(page) == ["Close the round"]
    assert 'id="close-the-round"' in page
    assert "Reopen for updates" in page and "Review the decisions" in page  # secondary


def test_the_round_page_takes_the_same_queries_however_many_actions(
    client, make_person, action, live_round, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    chair = make_person(role=Person.Role.CHAIR)
    client.force_login(chair.user)
    url = reverse("actions:round", args=[live_round.pk])

    def add_actions(count):
        for n in range(count):
            more = ActionFactory(plan=action.plan)
            status = [Update.Status.DRAFT, Update.Status.SUBMITTED, Update.Status.AGREED][n % 3]
            agreed = "green" if status == Update.Status.AGREED else ""
            UpdateFactory(
                action=more, round=live_round, status=status, proposed_quadrant="green", agreed_quadrant=agreed
            )

    add_actions(3)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_actions(30)
    with django_assert_max_num_queries(len(few)):
        assert "34 actions" in client.get(url).content.decode()


def test_an_endorsed_round_page_reads_what_the_board_endorsed(client, demo):
    may = MonitoringRound.objects.get(plan__inspection__partnership=demo, label="May 2020")
    viewer = Person.objects.get(user__username="viewer")
    action = Action.objects.get(plan=may.plan, reference="7.3")
    recorded = next(row for row in may.endorsed_snapshot["entries"] if row["reference"] == "7.3")
    other_lead = Person.objects.filter(partnership=demo).exclude(pk=action.lead_id).exclude(user__first_name="")
    other_lead = other_lead.exclude(user__last_name=action.lead.user.last_name).first()
    Action.objects.filter(pk=action.pk).update(description="Reworded long after the board endorsed it", lead=other_lead)
    Action.objects.filter(pk=Action.objects.get(plan=may.plan, reference="8.5").pk).update(
        withdrawn_on=datetime.date(2021, 1, 1), withdrawn_reason="Later"
    )
    page = page_for(client, viewer, may)
    assert "Reworded long after the board endorsed it" not in page
    assert recorded["description"][:40] in page
    agreed = page[page.index('id="state-agreed"') :]
    row = re.search(r"7\.3 .*?</li>", agreed, re.S).group(0)
    assert recorded["lead"] in row and other_lead.name not in row
    assert "22 actions: " in page and "22 agreed" in page  # the withdrawn one is still in what it said
    assert "As the board endorsed them on 10 June 2020" in page
