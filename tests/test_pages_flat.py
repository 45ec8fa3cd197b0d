"""Pages that stay flat as a plan grows: the same queries for 50 actions as for 500, big lists paged or summarised,
and an endorsed round read from its frozen record alone."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import services
from actions.models import Action, MonitoringRound, Update
from actions.quadrants import Quadrant
from people.models import Person
from tests.factories import FindingFactory, MonitoringRoundFactory, PersonFactory

pytestmark = pytest.mark.django_db
OPEN = [Quadrant.GREEN, Quadrant.YELLOW, Quadrant.AMBER, Quadrant.RED, Quadrant.COMPLETE]


@pytest.fixture
def plan(action):
    return action.plan


@pytest.fixture
def officer(plan):
    return PersonFactory(partnership=plan.inspection.partnership, role=Person.Role.OFFICER)


@pytest.fixture
def officer_client(client, officer, sessions_written_once):
    client.force_login(officer.user)
    client.get(reverse("home"))  # the first request writes the session
    return client


@pytest.fixture
def rounds(plan):
    march = MonitoringRoundFactory(
        plan=plan, label="March 2020", period_end=datetime.date(2020, 3, 31), state=MonitoringRound.State.AGREED
    )
    may = MonitoringRoundFactory(
        plan=plan, label="May 2020", period_end=datetime.date(2020, 5, 31), state=MonitoringRound.State.AGREED
    )
    return march, may


def add_actions(plan, like, rounds, count, *, areas=()):
    """``count`` more actions, each agreed in every round, answering ``areas`` (all of them), in bulk."""
    start = plan.actions.count()
    actions = Action.objects.bulk_create(
        Action(
            plan=plan,
            reference=f"9.{start + n}",
            position=start + n,
            description=f"Action number {start + n} of the grown plan",
            lead=like.lead,
            lead_agency=like.lead_agency,
            target_date=datetime.date(2021, 12, 31),
        )
        for n in range(count)
    )
    Action.areas.through.objects.bulk_create(
        Action.areas.through(action_id=each.pk, finding_id=area.pk) for each in actions for area in areas
    )
    Update.objects.bulk_create(
        Update(
            action=each,
            round=monitoring_round,
            status=Update.Status.AGREED,
            proposed_quadrant=OPEN[(n + shift) % 4],
            agreed_quadrant=OPEN[(n + shift) % 4],
        )
        for n, each in enumerate(actions)
        for shift, monitoring_round in enumerate(rounds)
    )
    return actions


def queries(client, url):
    """The queries of one request; a spreadsheet is built by a job, run within the request in tests (a redirect to
    the job's page), so its queries are counted too."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == (302 if url.endswith(".xlsx") else 200), url
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return len(captured)


def test_board_list_plan_page_and_exports_take_the_same_queries_for_50_actions_as_for_500(
    officer_client, plan, action, rounds
):
    march, may = rounds
    area = FindingFactory(inspection=plan.inspection, kind="improvement", number=7)
    board = reverse("reports:board", args=[plan.pk])
    urls = {
        "board": board,
        "list view": f"{board}?view=list",
        "list view, page 2": f"{board}?view=list&page=2",
        "endorsed board": reverse("reports:board_round", args=[plan.pk, march.pk]),
        "plan page": reverse("actions:plan", args=[plan.pk]),
        "round XLSX": reverse("reports:round_xlsx", args=[may.pk]),
        "round CSV": reverse("reports:round_csv", args=[may.pk]),
        "plan XLSX": reverse("transfers:export_xlsx", args=[plan.pk]),
    }

    def every_page():
        return {name: queries(officer_client, url) for name, url in urls.items()}

    add_actions(plan, action, rounds, 49, areas=[area])
    services.round_endorse(
        monitoring_round=march,
        by=officer_client_person(officer_client),
        endorsed_on=datetime.date(2020, 4, 20),
        meeting="x",
    )
    fifty = every_page()
    add_actions(plan, action, rounds, 450, areas=[area])
    assert every_page() == fifty
    assert fifty["board"] <= 15
    assert fifty["plan page"] <= 15


def officer_client_person(client):
    return Person.objects.get(user_id=client.session["_auth_user_id"])


def test_the_list_view_pages_through_every_action(officer_client, plan, action, rounds, settings):
    settings.LIST_PER_PAGE = 10
    add_actions(plan, action, rounds, 25)  # the first action has no update: the agreed round leaves it out
    url = reverse("reports:board", args=[plan.pk])
    first = officer_client.get(url, {"view": "list"}).content.decode()
    assert "Showing actions 1 to 10 of 25, in plan order" in first
    assert first.count('<tr class="govuk-table__row">\n  <th scope="row"') == 10
    assert 'class="govuk-pagination"' in first and "page=3" in first
    last = officer_client.get(url, {"view": "list", "page": 3}).content.decode()
    assert "Showing actions 21 to 25 of 25" in last
    assert last.count('<tr class="govuk-table__row">\n  <th scope="row"') == 5
    assert ">9.25<" in last and ">9.1<" not in last


def test_the_board_lists_the_first_of_each_quadrant_and_links_to_the_rest(
    officer_client, plan, action, rounds, settings
):
    settings.BOARD_QUADRANT_LIMIT = 3
    add_actions(plan, action, rounds, 39)  # with the first action, 40: ten in each open quadrant in May
    page = officer_client.get(reverse("reports:board", args=[plan.pk])).content.decode()
    red = re.search(r'<section[^>]*aria-labelledby="quadrant-red".*?</section>', page, re.S).group(0)
    assert red.count('<li class="app-board__action') == 3
    assert "Showing the first 3 of 10 actions here." in red
    assert "view=list" in red and "quadrant=red" in red
    assert "download the round as XLSX to show all in the export" in red


def test_the_plan_page_shows_the_first_actions_of_each_area_and_counts_the_rest(
    officer_client, plan, action, rounds, settings
):
    settings.PLAN_PAGE_ACTIONS = 5
    area = FindingFactory(inspection=plan.inspection, kind="improvement", number=7, text="Strategy meetings")
    added = add_actions(plan, action, rounds, 12, areas=[area])
    page = officer_client.get(reverse("actions:plan", args=[plan.pk])).content.decode()
    assert "Actions (13)" in page
    assert f"Showing the first 5 of the 12 actions for {str(area).lower()}, in plan order." in page
    assert f"?view=list&amp;area={area.pk}" in page
    shown = [each.reference for each in added[:5]]
    hidden = [each.reference for each in added[5:]]
    assert all(f">{reference}<" in page for reference in shown)
    assert not any(f">{reference}<" in page for reference in hidden)


def test_the_endorsed_board_reads_its_frozen_record_not_todays_rows(officer_client, plan, action, rounds):
    march, may = rounds
    add_actions(plan, action, rounds, 4)
    services.round_endorse(
        monitoring_round=march,
        by=officer_client_person(officer_client),
        endorsed_on=datetime.date(2020, 4, 20),
        meeting="the board",
    )
    Action.objects.filter(plan=plan).update(description="Reworded after the endorsement")
    Update.objects.filter(round=march).update(agreed_quadrant=Quadrant.RED)

    with CaptureQueriesContext(connection) as captured:
        endorsed = officer_client.get(reverse("reports:board_round", args=[plan.pk, march.pk])).content.decode()
    assert "Reworded after the endorsement" not in endorsed
    assert "Action number 1 of the grown plan" in endorsed
    red = re.search(r'<section[^>]*aria-labelledby="quadrant-red".*?</section>', endorsed, re.S).group(0)
    assert red.count('<li class="app-board__action') < 5  # as agreed then, not all red as the rows now say
    # The frozen record is read once, and the round's updates and actions not at all.
    sql = [query["sql"] for query in captured]
    assert sum("reports_frozenrecord" in query for query in sql) == 1
    assert not [query for query in sql if 'FROM "actions_update"' in query]

    live = officer_client.get(reverse("reports:board_round", args=[plan.pk, may.pk])).content.decode()
    assert "Reworded after the endorsement" in live
