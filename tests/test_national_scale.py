"""Pages that read a national service's biggest tables read only their own partnership's rows, the cheap way.

``bench/national.py`` measures the board and My actions of one partnership among 150 (about 100,000 updates)
and prints the EXPLAIN of their heaviest queries; these tests pin what it found, through the pages.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import MonitoringRound, Update
from actions.quadrants import Quadrant
from people.models import Person
from tests.factories import ActionFactory, MonitoringRoundFactory, UpdateFactory

pytestmark = pytest.mark.django_db


def rounds_with_updates(action, n_actions=3):
    """An agreed round and an open one after it, each with an update of every action."""
    plan = action.plan
    agreed = MonitoringRoundFactory(
        plan=plan, label="May 2020", period_end=datetime.date(2020, 5, 31), state=MonitoringRound.State.AGREED
    )
    live = MonitoringRoundFactory(
        plan=plan, label="June 2020", period_end=datetime.date(2020, 6, 30), state=MonitoringRound.State.OPEN
    )
    actions = [action] + [
        ActionFactory(plan=plan, lead=action.lead, lead_agency=action.lead_agency) for _ in range(n_actions - 1)
    ]
    for each in actions:
        UpdateFactory(
            action=each,
            round=agreed,
            status=Update.Status.AGREED,
            proposed_quadrant=Quadrant.AMBER,
            agreed_quadrant=Quadrant.AMBER,
        )
        UpdateFactory(action=each, round=live, status=Update.Status.SUBMITTED, proposed_quadrant=Quadrant.GREEN)
    return agreed, live


def update_reads(captured):
    """The SQL of the page's queries that read the updates table."""
    return [query["sql"] for query in captured.captured_queries if 'FROM "actions_update"' in query["sql"]]


def test_the_board_reads_the_rounds_updates_without_joining_or_sorting(client, action, make_person):
    rounds_with_updates(action)
    client.force_login(make_person(role=Person.Role.VIEWER).user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("reports:board", args=[action.plan_id]))
    assert response.status_code == 200
    reads = [sql for sql in update_reads(captured) if '"actions_update"."round_id" IN' in sql]
    assert len(reads) == 1, update_reads(captured)
    # Update's default ordering joined rounds, plans, inspections and actions only to sort rows read into a dict:
    # among 150 partnerships, a scan of every action and round of the country (bench/national.py: 2.55 ms to 0.03).
    assert "ORDER BY" not in reads[0]
    assert "JOIN" not in reads[0]


def test_my_actions_reads_the_leads_updates_without_joining_every_round(client, action):
    _, live = rounds_with_updates(action)
    client.force_login(action.lead.user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("actions:mine"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{live.label}: submitted" in page  # the open round's update, found through the plan's rounds
    reads = [sql for sql in update_reads(captured) if '"actions_update"."action_id" IN' in sql]
    assert len(reads) == 1, update_reads(captured)
    # Joined to the rounds to sort by their end, it read every round of every partnership (bench/national.py: 0.51 ms
    # to 0.02); the plans' rounds are read once, and the updates sorted by them.
    assert "JOIN" not in reads[0]
    assert "ORDER BY" not in reads[0]
