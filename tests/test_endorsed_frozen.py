"""Once the board endorses a round, what it said never changes: later edits to actions do not reach it."""

import pytest
from django.urls import reverse

from actions.models import Action, MonitoringRound
from people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def may(demo):
    return MonitoringRound.objects.get(plan__inspection__partnership=demo, label="May 2020")


@pytest.fixture
def viewer_client(client, demo):
    client.force_login(Person.objects.get(user__username="viewer").user)
    return client


def pages(client, may):
    board = client.get(reverse("reports:board_round", args=[may.plan_id, may.pk])).content.decode()
    report = client.get(reverse("reports:committee_report", args=[may.pk])).content.decode()
    csv = client.get(reverse("reports:round_csv", args=[may.pk])).content.decode()
    return board, report, csv


def test_the_demo_writes_the_frozen_board_of_its_endorsed_rounds(may):
    assert may.is_endorsed
    assert may.endorsed_snapshot["version"] == 2
    assert len(may.endorsed_snapshot["entries"]) == 22
    counts = {}
    for row in may.endorsed_snapshot["entries"]:
        counts[row["quadrant"]] = counts.get(row["quadrant"], 0) + 1
    assert counts == {"green": 10, "yellow": 7, "amber": 3, "red": 2}


def test_rewording_reassigning_and_dating_an_action_later_leaves_the_endorsed_round_as_it_was(viewer_client, may):
    action = Action.objects.get(plan=may.plan, reference="7.3")
    before = pages(viewer_client, may)
    assert action.description in before[0] and action.description in before[2]

    other_agency = may.plan.inspection.partnership.agencies.exclude(pk=action.lead_agency_id).first()
    other_lead = Person.objects.filter(partnership=may.plan.inspection.partnership).exclude(pk=action.lead_id).first()
    Action.objects.filter(pk=action.pk).update(
        description="Reworded long after the board endorsed it",
        lead=other_lead,
        lead_agency=other_agency,
        target_date="2019-01-01",  # would be overdue if the round read today's row
    )
    after = pages(viewer_client, may)
    for page in after:
        assert "Reworded long after the board endorsed it" not in page
    assert after[2] == before[2]  # the CSV, byte for byte
    board = viewer_client.get(reverse("reports:board_round", args=[may.plan_id, may.pk])).context["board"]
    assert board.frozen
    assert board.figures.counts == {"green": 10, "yellow": 7, "amber": 3, "red": 2}
    entry = next(entry for entry in board.entries if entry.action.reference == "7.3")
    assert entry.action.lead_agency.name != other_agency.name


def test_the_frozen_board_still_filters_by_what_the_round_recorded(viewer_client, may):
    snapshot_row = next(row for row in may.endorsed_snapshot["entries"] if row["reference"] == "7.3")
    response = viewer_client.get(
        reverse("reports:board_round", args=[may.plan_id, may.pk]), {"lead_agency": snapshot_row["lead_agency_id"]}
    )
    board = response.context["board"]
    assert board.is_filtered
    assert {entry.action.lead_agency_id for entry in board.entries} == {snapshot_row["lead_agency_id"]}
    assert "7.3" in [entry.action.reference for entry in board.entries]


def test_the_frozen_board_filters_by_the_quadrants_the_round_recorded(viewer_client, may):
    url = reverse("reports:board_round", args=[may.plan_id, may.pk])
    board = viewer_client.get(url, {"quadrant": ["red", "amber"]}).context["board"]
    recorded = {row["reference"] for row in may.endorsed_snapshot["entries"] if row["quadrant"] in ("red", "amber")}
    assert {entry.action.reference for entry in board.entries} == recorded and len(recorded) == 5
    assert [group.count for group in board.worst_first] == [2, 3, 0, 0, 0]
    assert [group.round_count for group in board.worst_first] == [2, 3, 7, 10, 0]  # the round's, whatever the filter
    assert board.figures.counts == {"green": 10, "yellow": 7, "amber": 3, "red": 2}


@pytest.mark.parametrize("page", ["mine", "plan", "action", "open round"])
def test_pages_that_merely_mention_a_round_never_load_its_snapshot(client, may, page):
    """The endorsed round's own pages read it (its board, report, exports and round page); no other page does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lead = Person.objects.get(user__username="lead")
    client.force_login(lead.user)
    action = Action.objects.filter(plan=may.plan, lead=lead).first()
    url = {
        "mine": reverse("actions:mine"),
        "plan": reverse("actions:plan", args=[may.plan_id]),
        "action": reverse("actions:detail", args=[action.pk]),
        "open round": reverse("actions:round", args=[MonitoringRound.objects.get(plan=may.plan, state="open").pk]),
    }[page]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert not [query["sql"] for query in captured if "reports_frozenrecord" in query["sql"]]


def test_the_report_names_the_body_and_date_recorded_on_the_round(client, may):
    from django.utils.html import strip_tags

    may.plan.inspection.partnership.board_name = "A board name set later"
    may.plan.inspection.partnership.save()
    client.force_login(Person.objects.get(user__username="officer").user)
    text = " ".join(strip_tags(client.get(reverse("reports:committee_report", args=[may.pk])).content.decode()).split())
    assert (
        "The sub-group agreed the quadrant of every action on 27 May 2020, and the Northumberland Safeguarding "
        "Children Committee (NSCC) endorsed the progress report on 10 June 2020." in text
    )
    assert "A board name set later endorsed" not in text


def test_an_action_with_updates_cannot_be_deleted_with_its_rounds_updates(may):
    from django.db.models import ProtectedError

    action = Action.objects.filter(plan=may.plan).first()
    with pytest.raises(ProtectedError):
        action.delete()
    assert may.updates.filter(action=action).exists()
