"""Where outcomes beyond complete and re-tests show: the board (in words, with figures that say how they count),
its "Re-test due" flag and filter, the committee report's section, and an endorsed round, which never changes."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import services
from actions.models import Action, MonitoringRound
from actions.quadrants import Quadrant
from people.models import Person
from reports.frozen import frozen_record_load, frozen_record_save
from reports.models import CommitteeReport
from reports.selectors import board_for
from tests.factories import ActionFactory, UpdateFactory

pytestmark = pytest.mark.django_db


def on(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12)), tick=False)


@pytest.fixture
def chair(make_person):
    person = make_person(Person.Role.CHAIR)
    person.user.first_name, person.user.last_name = "Mark", "Tait"
    person.user.save()
    return person


class SignedIn:
    """A viewer's client that signs in afresh for each page, so travelling in time never finds the session expired."""

    def __init__(self, client, person):
        self.client, self.person = client, person

    def get(self, *args, **kwargs):
        self.client.force_login(self.person.user)
        return self.client.get(*args, **kwargs)

    def force_login(self, user):
        self.person = user.person


@pytest.fixture
def viewer_client(client, make_person):
    return SignedIn(client, make_person(Person.Role.VIEWER))


@pytest.fixture
def plan_actions(action):
    """Three actions: 1.1 completed on 15 January 2026 with a re-test due on 1 March, 1.2 and 1.3 open."""
    plan = action.plan
    Action.objects.filter(pk=action.pk).update(
        reference="1.1",
        completed_on=datetime.date(2026, 1, 15),
        sustainability_plan="Re-audited yearly.",
        retest_due=datetime.date(2026, 3, 1),
    )
    second = ActionFactory(plan=plan, reference="1.2", lead=action.lead, lead_agency=action.lead_agency)
    third = ActionFactory(plan=plan, reference="1.3", lead=action.lead, lead_agency=action.lead_agency)
    return [Action.objects.get(pk=action.pk), second, third]


def agreed(plan, chair, *, label, period_end, meeting_on, quadrants):
    """A round entered through the services: opened, every open action agreed at the meeting, closed."""
    monitoring_round = services.round_create(
        plan=plan, by=chair, label=label, period_end=period_end, update_deadline=period_end, cadence="quarterly"
    )
    for state in (MonitoringRound.State.OPEN, MonitoringRound.State.SENSE_CHECK):
        monitoring_round = services.round_set_state(monitoring_round=monitoring_round, by=chair, state=state)
    for action, quadrant in quadrants.items():
        services.update_agree(
            action=action,
            monitoring_round=monitoring_round,
            by=chair,
            quadrant=quadrant,
            reason="As the meeting agreed",
        )
    return services.round_close(monitoring_round=monitoring_round, by=chair, meeting_on=meeting_on)


def not_implemented(action, chair, day=datetime.date(2026, 3, 20)):
    return services.action_not_implemented(
        action=action, by=chair, on=day, reason="The service was recommissioned.", expected_version=None
    )


def board_url(plan, monitoring_round=None):
    if monitoring_round is None:
        return reverse("reports:board", args=[plan.pk])
    return reverse("reports:board_round", args=[plan.pk, monitoring_round.pk])


# A live round -------------------------------------------------------------------------------------------------


def test_the_live_board_lists_a_not_implemented_action_in_words_and_leaves_it_out_of_the_figures(
    viewer_client, chair, plan_actions
):
    first, second, third = plan_actions
    with on(datetime.date(2026, 6, 1)):
        not_implemented(second, chair)
        UpdateFactory(action=third, round__plan=first.plan, round__state=MonitoringRound.State.OPEN)
        response = viewer_client.get(board_url(first.plan))
    board = response.context["board"]
    assert [entry.action.reference for entry in board.closed] == ["1.2"]
    assert "1.2" not in [entry.action.reference for entry in board.entries]
    assert board.total == 2 and board.figures.complete == 1
    assert board.figures.denominator.endswith(
        "in the plan at " + board.monitoring_round.label + ", not counting 1 not implemented"
    )
    page = response.content.decode()
    assert "Not implemented, superseded or merged" in page
    assert "Not implemented: agreed by Mark Tait, sub-group chair, on 20 March 2026." in page
    assert "not counting 1 not implemented" in page


def test_re_test_due_is_flagged_in_words_and_the_filter_picks_it(viewer_client, chair, plan_actions):
    first, _, third = plan_actions
    UpdateFactory(action=third, round__plan=first.plan, round__state=MonitoringRound.State.OPEN)
    with on(datetime.date(2026, 3, 2)):
        response = viewer_client.get(board_url(first.plan))
        assert [e.action.reference for e in response.context["board"].entries if e.retest_due] == ["1.1"]
        assert "Re-test due" in response.content.decode()
        filtered = viewer_client.get(board_url(first.plan), {"retest_due": "on"}).context["board"]
        assert [entry.action.reference for entry in filtered.entries] == ["1.1"]
        listed = viewer_client.get(board_url(first.plan), {"view": "list"}).content.decode()
        assert "Re-test due" in listed
        services.retest_record(
            action=first,
            by=chair,
            tested_on=datetime.date(2026, 3, 2),
            result="sustained",
            evidence="Re-audit of 40 cases.",
            expected_version=None,
        )
        after = viewer_client.get(board_url(first.plan)).context["board"]
    assert not any(entry.retest_due for entry in after.entries)


def test_a_re_test_not_yet_due_is_not_flagged(viewer_client, plan_actions):
    first = plan_actions[0]
    UpdateFactory(action=plan_actions[2], round__plan=first.plan, round__state=MonitoringRound.State.OPEN)
    with on(datetime.date(2026, 2, 28)):
        board = viewer_client.get(board_url(first.plan)).context["board"]
    assert not any(entry.retest_due for entry in board.entries)


# An endorsed round, entered after the fact, never changes -------------------------------------------------------


def test_outcomes_and_re_tests_recorded_after_the_endorsement_leave_the_endorsed_round_as_it_was(
    viewer_client, chair, plan_actions, make_person
):
    first, second, third = plan_actions
    plan = first.plan
    # The March round is typed in on 1 May, weeks after its meeting on 2 April; 1.2 was not implemented on 20 March.
    with on(datetime.date(2026, 5, 1)):
        not_implemented(second, chair)
        march = agreed(
            plan,
            chair,
            label="March 2026",
            period_end=datetime.date(2026, 3, 31),
            meeting_on=datetime.date(2026, 4, 2),
            quadrants={third: Quadrant.AMBER},
        )
        march = services.round_endorse(
            monitoring_round=march, by=chair, endorsed_on=datetime.date(2026, 4, 20), meeting="the board"
        )
        before = viewer_client.get(board_url(plan, march))
    board = before.context["board"]
    assert board.frozen
    assert [entry.action.reference for entry in board.closed] == ["1.2"]
    assert [entry.action.reference for entry in board.entries if entry.retest_due] == ["1.1"]
    assert board.figures.closed_words == "1 not implemented"

    # Later: 1.1 is re-tested (not sustained, so reopened), 1.2 is put back into the plan, 1.3 is merged into 1.1.
    with on(datetime.date(2026, 6, 1)):
        services.retest_record(
            action=first,
            by=chair,
            tested_on=datetime.date(2026, 5, 30),
            result="not_sustained",
            evidence="Re-audit: 12 of 40.",
            expected_version=None,
        )
        services.action_reinstate(action=second, by=chair, reason="Money found.", expected_version=None)
        services.action_replace(
            action=third,
            by=chair,
            replaced_by=Action.objects.get(pk=first.pk),
            how="merged",
            on=datetime.date(2026, 5, 30),
            reason="Combined.",
            expected_version=None,
        )
        after = viewer_client.get(board_url(plan, march))
    board = after.context["board"]
    assert [entry.action.reference for entry in board.closed] == ["1.2"]
    assert [entry.action.reference for entry in board.entries if entry.retest_due] == ["1.1"]
    assert [(entry.action.reference, entry.quadrant.key) for entry in board.entries] == [
        ("1.1", "complete"),
        ("1.3", "amber"),
    ]
    assert board.figures == before.context["board"].figures
    assert "Not implemented: agreed by Mark Tait, sub-group chair, on 20 March 2026." in after.content.decode()

    # The committee report of the endorsed round says what the round recorded too.
    report = CommitteeReport.objects.create(plan=plan, round=march, title="Progress", report_of="Officer")
    viewer_client.force_login(chair.user)
    page = viewer_client.get(reverse("reports:committee_report", args=[march.pk])).content.decode()
    assert report.pk
    assert "Actions not completed as planned, and re-tests" in page
    assert "The service was recommissioned." in page
    assert "Re-audit: 12 of 40." not in page  # re-tested after the round
    assert "A re-test is due for 1 completed action: 1.1." in page
    assert "not counting 1 not implemented" in page
    viewer_client.force_login(make_person(Person.Role.OFFICER).user)
    docx = viewer_client.get(reverse("reports:committee_report_docx", args=[march.pk]))
    assert docx.status_code == 200 and docx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_record_endorsed_before_outcomes_existed_still_reads(viewer_client, chair, plan_actions):
    first, second, third = plan_actions
    with on(datetime.date(2026, 5, 1)):
        march = agreed(
            first.plan,
            chair,
            label="March 2026",
            period_end=datetime.date(2026, 3, 31),
            meeting_on=datetime.date(2026, 4, 2),
            quadrants={second: Quadrant.GREEN, third: Quadrant.RED},
        )
        services.round_endorse(monitoring_round=march, by=chair, endorsed_on=datetime.date(2026, 4, 20), meeting="x")
    snapshot = frozen_record_load(march)
    for key in ("closed", "retests"):
        snapshot.pop(key)
    for row in snapshot["entries"]:
        for key in ("retest_due", "outcome", "outcome_sentence"):
            row.pop(key)
    frozen_record_save(monitoring_round=march, snapshot=snapshot)
    with on(datetime.date(2026, 6, 1)):
        not_implemented(second, chair, day=datetime.date(2026, 5, 12))
        response = viewer_client.get(board_url(first.plan, march))
        assert response.status_code == 200
        board = response.context["board"]
        assert board.frozen and board.closed == [] and not any(entry.retest_due for entry in board.entries)
        CommitteeReport.objects.create(plan=first.plan, round=march, title="Progress", report_of="Officer")
        viewer_client.force_login(chair.user)
        page = viewer_client.get(reverse("reports:committee_report", args=[march.pk])).content.decode()
    assert "Actions not completed as planned" not in page


def test_an_agreed_round_lists_an_action_closed_by_its_meeting_but_not_one_closed_after(chair, plan_actions):
    first, second, third = plan_actions
    with on(datetime.date(2026, 5, 1)):
        not_implemented(second, chair)  # 20 March: before the March meeting, so March did not ask about it
        march = agreed(
            first.plan,
            chair,
            label="March 2026",
            period_end=datetime.date(2026, 3, 31),
            meeting_on=datetime.date(2026, 4, 2),
            quadrants={third: Quadrant.RED},
        )
        not_implemented(third, chair, day=datetime.date(2026, 4, 30))  # after: March agreed it red
        board = board_for(first.plan, march)
    assert [entry.action.reference for entry in board.closed] == ["1.2"]
    assert [(entry.action.reference, entry.quadrant.key) for entry in board.entries] == [
        ("1.1", "complete"),
        ("1.3", "red"),
    ]


# Queries ---------------------------------------------------------------------------------------------------------


def test_outcomes_and_re_tests_cost_the_board_no_query_per_action(viewer_client, chair, plan_actions):
    first = plan_actions[0]
    plan = first.plan
    UpdateFactory(action=plan_actions[2], round__plan=plan, round__state=MonitoringRound.State.OPEN)

    def add(n):
        for _ in range(n):
            closed = ActionFactory(plan=plan, lead=first.lead, lead_agency=first.lead_agency)
            not_implemented(closed, chair)
            merged = ActionFactory(plan=plan, lead=first.lead, lead_agency=first.lead_agency)
            services.action_replace(
                action=merged,
                by=chair,
                replaced_by=first,
                how="merged",
                on=datetime.date(2026, 3, 20),
                reason="Combined.",
                expected_version=None,
            )
            ActionFactory(
                plan=plan,
                lead=first.lead,
                lead_agency=first.lead_agency,
                completed_on=datetime.date(2026, 1, 1),
                sustainability_plan="Kept.",
                retest_due=datetime.date(2026, 2, 1),
            )

    def queries(**params):
        viewer_client.get(board_url(plan))  # signed in, and anything cached once read, before counting
        with CaptureQueriesContext(connection) as captured:
            viewer_client.client.get(board_url(plan), params)
        return len(captured)

    with on(datetime.date(2026, 6, 1)):
        add(2)
        few = (queries(), queries(view="list"), queries(retest_due="on"))
        add(20)
        many = (queries(), queries(view="list"), queries(retest_due="on"))
        board = viewer_client.get(board_url(plan)).context["board"]
    assert few == many
    assert max(many) <= 16  # as test_board's ceiling for the board
    assert len(board.closed) == 44 and sum(entry.retest_due for entry in board.entries) == 23


def test_the_round_export_lists_the_actions_closed_without_completion_in_words(client, chair, plan_actions):
    first, second, third = plan_actions
    with on(datetime.date(2026, 5, 1)):
        not_implemented(second, chair)
        march = agreed(
            first.plan,
            chair,
            label="March 2026",
            period_end=datetime.date(2026, 3, 31),
            meeting_on=datetime.date(2026, 4, 2),
            quadrants={third: Quadrant.RED},
        )
        client.force_login(chair.user)
        csv = client.get(reverse("reports:round_csv", args=[march.pk])).content.decode("utf-8-sig")
    assert "Not implemented: agreed by Mark Tait, sub-group chair, on 20 March 2026." in csv
    assert "Re-test due" in csv


def test_a_decision_taken_before_the_meeting_moves_a_submitted_update_off_the_agreed_board(chair, plan_actions):
    first, second, third = plan_actions
    with on(datetime.date(2026, 5, 1)):
        monitoring_round = services.round_create(
            plan=first.plan,
            by=chair,
            label="March 2026",
            period_end=datetime.date(2026, 3, 31),
            update_deadline=datetime.date(2026, 3, 31),
            cadence="quarterly",
        )
        UpdateFactory(action=second, round=monitoring_round, status="submitted", proposed_quadrant=Quadrant.RED)
        for state in (MonitoringRound.State.OPEN, MonitoringRound.State.SENSE_CHECK):
            monitoring_round = services.round_set_state(monitoring_round=monitoring_round, by=chair, state=state)
        not_implemented(second, chair)
        services.update_agree(
            action=third, monitoring_round=monitoring_round, by=chair, quadrant=Quadrant.GREEN, reason="Agreed"
        )
        march = services.round_close(monitoring_round=monitoring_round, by=chair, meeting_on=datetime.date(2026, 4, 2))
        board = board_for(first.plan, march)
    assert [entry.action.reference for entry in board.closed] == ["1.2"]
    assert board.missing == [] and board.total == 2


def test_the_round_page_says_which_actions_it_does_not_ask_about(client, chair, plan_actions):
    first, second, third = plan_actions
    live = UpdateFactory(action=third, round__plan=first.plan, round__state=MonitoringRound.State.OPEN).round
    not_implemented(second, chair)
    client.force_login(chair.user)
    page = client.get(reverse("actions:round", args=[live.pk])).content.decode()
    assert "Not asked about: 1 not implemented" in page


def test_the_committee_reports_re_tests_are_named_once_by_their_heading(
    viewer_client, chair, plan_actions, make_person
):
    import io

    from docx import Document

    first, second, third = plan_actions
    with on(datetime.date(2026, 4, 1)):
        services.retest_record(
            action=first,
            by=chair,
            tested_on=datetime.date(2026, 3, 10),
            result="sustained",
            evidence="Re-audit: 38 of 40.",
            expected_version=None,
        )
        march = agreed(
            first.plan,
            chair,
            label="March 2026",
            period_end=datetime.date(2026, 3, 31),
            meeting_on=datetime.date(2026, 4, 1),
            quadrants={second: Quadrant.GREEN, third: Quadrant.AMBER},
        )
        CommitteeReport.objects.create(plan=first.plan, round=march, title="Progress", report_of="Officer")
        viewer_client.force_login(chair.user)
        page = viewer_client.get(reverse("reports:committee_report", args=[march.pk])).content.decode()
        viewer_client.force_login(make_person(Person.Role.OFFICER).user)
        docx = viewer_client.get(reverse("reports:committee_report_docx", args=[march.pk]))
    assert "Re-audit: 38 of 40." in page
    assert page.count(">Re-tests of completed actions<") == 1  # a heading, no caption saying it again
    assert '<table class="govuk-table app-report__table" aria-labelledby="retests-heading">' in page
    assert 'id="retests-heading"' in page
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert paragraphs.count("Re-tests of completed actions") == 1
