"""The sub-group chair agrees or challenges each quadrant, closes the round, and the board endorses it."""

import datetime
import re

import pytest
from django.urls import reverse

from actions import services
from actions.models import MonitoringRound, Update
from actions.quadrants import Quadrant
from people.models import Person
from tests.factories import ActionFactory, MonitoringRoundFactory, PersonFactory, UpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sense_round(action):
    return MonitoringRoundFactory(
        plan=action.plan,
        label="May 2020",
        state=MonitoringRound.State.SENSE_CHECK,
        period_end=datetime.date(2020, 5, 31),
        update_deadline=datetime.date(2020, 5, 15),
    )


@pytest.fixture
def submitted(action, sense_round):
    return UpdateFactory(
        action=action,
        round=sense_round,
        status=Update.Status.SUBMITTED,
        proposed_quadrant=Quadrant.GREEN,
        version=1,
    )


@pytest.fixture
def chair(make_person):
    return make_person(role=Person.Role.CHAIR)


@pytest.fixture
def chair_client(client, chair):
    client.force_login(chair.user)
    return client


def decide(client, sense_round, action, **data):
    payload = {"version": 1, "quadrant": Quadrant.GREEN, "reason": "", "then": "stay", **data}
    return client.post(reverse("actions:sense_check", args=[sense_round.pk, action.pk]), payload)


def test_chair_agrees_the_leads_proposal(chair_client, chair, action, sense_round, submitted):
    response = decide(chair_client, sense_round, action)
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Update.Status.AGREED
    assert submitted.agreed_quadrant == Quadrant.GREEN
    assert submitted.agreed_by == chair
    assert submitted.agreed_reason == ""


def test_challenge_needs_a_reason_and_records_it(chair_client, action, sense_round, submitted):
    response = decide(chair_client, sense_round, action, quadrant=Quadrant.AMBER)
    assert response.status_code == 200
    assert "Say why the sub-group set a different quadrant from the lead&#x27;s" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Update.Status.SUBMITTED

    decide(chair_client, sense_round, action, quadrant=Quadrant.AMBER, reason="Roadshows not yet rescheduled.")
    submitted.refresh_from_db()
    assert (submitted.agreed_quadrant, submitted.agreed_reason) == (Quadrant.AMBER, "Roadshows not yet rescheduled.")


def test_accepted_completion_closes_the_action_dated_by_the_meeting(chair_client, chair, action, sense_round):
    """Entered weeks after the meeting: the completion is dated by the meeting, not by the day of the click."""
    UpdateFactory(
        action=action,
        round=sense_round,
        status=Update.Status.SUBMITTED,
        proposed_quadrant=Quadrant.COMPLETE,
        evidence="Audit",
        sustainability_plan="Audited yearly.",
        version=1,
    )
    decide(chair_client, sense_round, action, quadrant=Quadrant.COMPLETE)
    action.refresh_from_db()
    assert not action.is_complete  # agreed; it closes with the round
    services.round_close(monitoring_round=sense_round, by=chair, meeting_on=datetime.date(2020, 6, 3))
    action.refresh_from_db()
    assert action.completed_on == datetime.date(2020, 6, 3)
    assert action.sustainability_plan == "Audited yearly."


def test_a_completion_is_dated_when_the_lead_says_it_was_achieved_never_after_the_meeting(chair, action, sense_round):
    for achieved, expected in [(datetime.date(2020, 5, 20), datetime.date(2020, 5, 20)), (None, None)]:
        assert services.completion_date(achieved_on=achieved, meeting_on=datetime.date(2020, 6, 3)) == (
            expected or datetime.date(2020, 6, 3)
        )
    assert services.completion_date(
        achieved_on=datetime.date(2020, 7, 1), meeting_on=datetime.date(2020, 6, 3)
    ) == datetime.date(2020, 6, 3)


def test_rejected_completion_needs_a_reason_and_the_action_stays_open(chair_client, action, sense_round):
    UpdateFactory(
        action=action,
        round=sense_round,
        status=Update.Status.SUBMITTED,
        proposed_quadrant=Quadrant.COMPLETE,
        sustainability_plan="x",
        version=1,
    )
    response = decide(chair_client, sense_round, action, quadrant=Quadrant.YELLOW)
    assert "Say why the completion was not accepted" in response.content.decode()
    decide(chair_client, sense_round, action, quadrant=Quadrant.YELLOW, reason="No audit evidence yet.")
    action.refresh_from_db()
    assert not action.is_complete


def test_chair_cannot_declare_complete_what_the_lead_did_not_propose(chair_client, action, sense_round, submitted):
    response = decide(chair_client, sense_round, action, quadrant=Quadrant.COMPLETE, reason="Looks done")
    assert "can only be agreed complete when its lead proposes it" in response.content.decode()


def test_requested_target_date_is_agreed_or_refused(chair_client, chair, action, sense_round, submitted):
    submitted.requested_target_date = datetime.date(2021, 3, 31)
    submitted.requested_target_reason = "Lockdown"
    submitted.save()
    response = decide(chair_client, sense_round, action)
    assert "Say whether the new target date is agreed" in response.content.decode()
    decide(chair_client, sense_round, action, date_decision="accepted")
    action.refresh_from_db()
    assert action.revised_target_date == datetime.date(2021, 3, 31)
    assert action.revised_target_agreed_by == chair
    assert action.revised_target_reason == "Lockdown"


def test_refused_target_date_leaves_the_action_alone(chair_client, action, sense_round, submitted):
    submitted.requested_target_date = datetime.date(2021, 3, 31)
    submitted.requested_target_reason = "Lockdown"
    submitted.save()
    decide(chair_client, sense_round, action, date_decision="refused")
    action.refresh_from_db()
    assert action.revised_target_date is None
    assert Update.objects.get().date_decision == "refused"


def test_missing_update_can_be_given_a_quadrant_with_a_reason(chair_client, action, sense_round):
    response = decide(chair_client, sense_round, action, version=0, quadrant=Quadrant.RED)
    assert "There is no submitted update" in response.content.decode()
    decide(chair_client, sense_round, action, version=0, quadrant=Quadrant.RED, reason="No update for two rounds")
    assert Update.objects.get().agreed_quadrant == Quadrant.RED


@pytest.mark.parametrize("role", [Person.Role.LEAD, Person.Role.VIEWER, Person.Role.OFFICER])
def test_only_the_chair_or_manager_can_decide(client, make_person, action, sense_round, submitted, role):
    client.force_login(make_person(role=role).user)
    assert decide(client, sense_round, action).status_code == 403
    assert client.get(reverse("actions:sense_check", args=[sense_round.pk, action.pk])).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Update.Status.SUBMITTED


def test_lead_of_the_action_cannot_agree_their_own_quadrant(client, action, sense_round, submitted):
    client.force_login(action.lead.user)
    assert decide(client, sense_round, action).status_code == 403


def test_manager_can_decide(client, make_person, action, sense_round, submitted):
    client.force_login(make_person(role=Person.Role.MANAGER).user)
    assert decide(client, sense_round, action).status_code == 302


def test_other_partnerships_chair_gets_not_found(client, action, sense_round, submitted, other_partnership_action):
    other_chair = PersonFactory(partnership=other_partnership_action.plan.inspection.partnership, role="chair")
    client.force_login(other_chair.user)
    assert decide(client, sense_round, action).status_code == 404
    assert client.get(reverse("actions:round", args=[sense_round.pk])).status_code == 404


def sense_check_page(client, sense_round, action):
    return client.get(reverse("actions:sense_check", args=[sense_round.pk, action.pk])).content.decode()


def jump_list(client, sense_round, **query):
    return client.get(reverse("actions:sense_check_start", args=[sense_round.pk]), query).content.decode()


def quadrant_radios(page):
    return re.findall(r'<input[^>]*name="quadrant"[^>]*>', page)


def test_no_quadrant_is_chosen_for_the_chair_and_the_proposal_is_shown_in_words(chair_client, action, sense_round):
    UpdateFactory(
        action=action, round=sense_round, status=Update.Status.SUBMITTED, proposed_quadrant=Quadrant.AMBER, version=1
    )
    page = sense_check_page(chair_client, sense_round, action)
    radios = quadrant_radios(page)
    assert len(radios) == 5
    assert not any("checked" in radio for radio in radios)
    assert "the lead&#x27;s proposal" not in page  # no radio is singled out either
    proposal = page[page.index('id="leads-proposal"') :][:400]
    assert "Amber" in proposal and "◆" in proposal


def test_a_decision_must_be_chosen(chair_client, action, sense_round, submitted):
    response = decide(chair_client, sense_round, action, quadrant="")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "Select the quadrant the sub-group agreed" in page
    submitted.refresh_from_db()
    assert submitted.status == Update.Status.SUBMITTED


def test_a_recorded_decision_is_shown_as_recorded(chair_client, action, sense_round, submitted):
    decide(chair_client, sense_round, action, quadrant=Quadrant.AMBER, reason="Not yet tested in practice")
    radios = quadrant_radios(sense_check_page(chair_client, sense_round, action))
    assert [radio for radio in radios if "checked" in radio] == [
        next(radio for radio in radios if 'value="amber"' in radio)
    ]


def test_a_stale_decision_is_refused_and_the_chair_reads_again(chair_client, action, sense_round, submitted):
    response = decide(chair_client, sense_round, action, version=0)
    assert response["Location"] == reverse("actions:sense_check", args=[sense_round.pk, action.pk])
    submitted.refresh_from_db()
    assert submitted.status == Update.Status.SUBMITTED
    assert "changed this update while you were looking at it" in chair_client.get(response["Location"]).content.decode()


def test_the_jump_list_marks_each_action_decided_or_not_and_links_to_it(chair_client, action, sense_round, submitted):
    second = ActionFactory(plan=action.plan, lead=action.lead, lead_agency=action.lead_agency)
    third = ActionFactory(plan=action.plan, lead=action.lead, lead_agency=action.lead_agency)
    withdrawn = ActionFactory(
        plan=action.plan, withdrawn_on=datetime.date(2020, 4, 1), withdrawn_reason="Merged into 1.1"
    )
    decide(chair_client, sense_round, action, quadrant=Quadrant.AMBER, reason="Not yet tested in practice")
    page = jump_list(chair_client, sense_round)
    assert "1 of 3 decided" in page
    items = re.findall(r'<li class="govuk-task-list__item.*?</li>', page, re.S)
    assert len(items) == 3 and withdrawn.description not in page
    first, *others = items
    assert reverse("actions:sense_check", args=[sense_round.pk, action.pk]) in first
    assert "Decided:" in first and "Amber" in first and "Not decided yet" not in first
    for item, other in zip(others, [second, third], strict=True):
        assert reverse("actions:sense_check", args=[sense_round.pk, other.pk]) in item
        assert "Not decided yet" in item and "No update received" in item

    undecided = jump_list(chair_client, sense_round, show="undecided")
    assert action.description not in undecided
    assert second.description in undecided and third.description in undecided
    assert "Show all 3 actions" in undecided


def test_after_a_decision_the_chair_goes_to_the_next_undecided_action(chair_client, action, sense_round, submitted):
    second = ActionFactory(plan=action.plan, lead=action.lead, lead_agency=action.lead_agency)
    third = ActionFactory(plan=action.plan, lead=action.lead, lead_agency=action.lead_agency)
    decide(chair_client, sense_round, second, version=0, quadrant=Quadrant.RED, reason="No update")
    # 1 decided: the next undecided after it is the third (the second is decided already).
    response = decide(chair_client, sense_round, action)
    assert response["Location"] == reverse("actions:sense_check", args=[sense_round.pk, third.pk])
    assert "2 of 3 decided" in chair_client.get(response["Location"]).content.decode()
    # The last one: the jump list says every action is decided and offers closing the round.
    response = decide(chair_client, sense_round, third, version=0, quadrant=Quadrant.RED, reason="No update")
    assert response["Location"] == reverse("actions:sense_check_start", args=[sense_round.pk])
    page = chair_client.get(response["Location"]).content.decode()
    assert "3 of 3 decided" in page and "Every action has a decision" in page
    assert f"{reverse('actions:round', args=[sense_round.pk])}#close-the-round" in page


def test_while_updates_are_open_the_jump_list_does_not_offer_closing(
    chair_client, chair, action, sense_round, submitted
):
    sense_round.state = MonitoringRound.State.OPEN
    sense_round.save()
    assert decide(chair_client, sense_round, action).status_code == 302
    page = jump_list(chair_client, sense_round)
    assert "Every action has a decision" in page
    assert "#close-the-round" not in page
    assert "still open for updates" in page


def test_an_action_complete_already_counts_as_decided(chair_client, action, sense_round):
    action.completed_on = datetime.date(2020, 1, 10)
    action.save()
    page = jump_list(chair_client, sense_round)
    assert "1 of 1 decided" in page and "Every action has a decision" in page


def test_a_withdrawn_action_has_no_sense_check_page(chair_client, action, sense_round):
    withdrawn = ActionFactory(plan=action.plan, withdrawn_on=datetime.date(2020, 4, 1), withdrawn_reason="Merged")
    assert chair_client.get(reverse("actions:sense_check", args=[sense_round.pk, withdrawn.pk])).status_code == 404


def test_the_jump_list_and_a_sense_check_page_take_the_same_queries_for_many_actions(
    chair_client, action, sense_round, submitted, django_assert_max_num_queries
):
    def counted(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert chair_client.get(url).status_code == 200
        return len(queries)

    urls = [
        reverse("actions:sense_check_start", args=[sense_round.pk]),
        reverse("actions:sense_check", args=[sense_round.pk, action.pk]),
    ]
    few = [counted(url) for url in urls]
    for _ in range(15):
        extra = ActionFactory(plan=action.plan, lead=action.lead, lead_agency=action.lead_agency)
        UpdateFactory(action=extra, round=sense_round, status=Update.Status.SUBMITTED, proposed_quadrant="green")
    for url, before in zip(urls, few, strict=True):
        with django_assert_max_num_queries(before):
            chair_client.get(url)


def test_close_lists_what_is_missing_then_closes_when_all_agreed(chair_client, action, sense_round, submitted):
    second = ActionFactory(plan=action.plan, lead=action.lead, lead_agency=action.lead_agency)
    close = reverse("actions:round_close", args=[sense_round.pk])
    meeting = {"meeting_on_0": "27", "meeting_on_1": "5", "meeting_on_2": "2020"}
    response = chair_client.post(close, meeting)
    page = response.content.decode()
    assert "The round cannot close yet: 2 actions still need an agreed quadrant" in page
    assert second.description in page
    decide(chair_client, sense_round, action)
    decide(chair_client, sense_round, second, version=0, quadrant=Quadrant.AMBER, reason="No update")
    response = chair_client.post(close, meeting)
    assert response.status_code == 302
    sense_round.refresh_from_db()
    assert sense_round.state == MonitoringRound.State.AGREED
    assert sense_round.subgroup_meeting_on == datetime.date(2020, 5, 27)


def test_close_carries_forward_actions_completed_earlier(chair, action, sense_round):
    from actions.services import round_close

    action.completed_on = datetime.date(2020, 1, 10)
    action.sustainability_plan = "Kept under review"
    action.save()
    round_close(monitoring_round=sense_round, by=chair, meeting_on=datetime.date(2020, 5, 27))
    assert Update.objects.get(action=action, round=sense_round).agreed_quadrant == Quadrant.COMPLETE


def test_endorsement_freezes_the_round(chair_client, chair, action, sense_round, submitted):
    decide(chair_client, sense_round, action)
    chair_client.post(
        reverse("actions:round_close", args=[sense_round.pk]),
        {"meeting_on_0": "27", "meeting_on_1": "5", "meeting_on_2": "2020"},
    )
    response = chair_client.post(
        reverse("actions:round_endorse", args=[sense_round.pk]),
        {"endorsed_on_0": "2", "endorsed_on_1": "6", "endorsed_on_2": "2020", "meeting": "NSCC executive"},
    )
    assert response.status_code == 302
    sense_round.refresh_from_db()
    assert sense_round.state == MonitoringRound.State.ENDORSED
    assert sense_round.endorsement_meeting == "NSCC executive"
    snapshot = sense_round.endorsed_snapshot
    assert snapshot["actions"][0]["agreed_quadrant"] == "green"

    # No later decision can change what the round said.
    response = decide(chair_client, sense_round, action, version=2, quadrant=Quadrant.RED, reason="Later view")
    assert Update.objects.get().agreed_quadrant == Quadrant.GREEN
    action.description = "Reworded later"
    action.save()
    sense_round.refresh_from_db()
    assert sense_round.endorsed_snapshot == snapshot


def test_endorse_before_close_is_refused(chair_client, sense_round):
    response = chair_client.post(
        reverse("actions:round_endorse", args=[sense_round.pk]),
        {"endorsed_on_0": "2", "endorsed_on_1": "6", "endorsed_on_2": "2020", "meeting": "NSCC"},
        follow=True,
    )
    assert "so this cannot be done now" in response.content.decode()
    sense_round.refresh_from_db()
    assert sense_round.state == MonitoringRound.State.SENSE_CHECK


def test_future_meeting_date_is_refused(chair_client, sense_round):
    response = chair_client.post(
        reverse("actions:round_close", args=[sense_round.pk]),
        {"meeting_on_0": "1", "meeting_on_1": "1", "meeting_on_2": "2099"},
    )
    assert "Date of the sub-group meeting must be today or in the past" in response.content.decode()


def test_manager_opens_a_draft_round_and_chair_cannot(client, make_person, action):
    draft = MonitoringRoundFactory(plan=action.plan, state=MonitoringRound.State.DRAFT)
    url = reverse("actions:round_state", args=[draft.pk])
    client.force_login(make_person(role=Person.Role.CHAIR).user)
    assert client.post(url, {"state": "open"}).status_code == 403
    client.force_login(make_person(role=Person.Role.MANAGER).user)
    client.post(url, {"state": "open"})
    draft.refresh_from_db()
    assert draft.state == MonitoringRound.State.OPEN


@pytest.mark.parametrize("draft", [False, True], ids=["no update", "a draft"])
def test_while_updates_are_open_only_a_submitted_update_is_decided(chair_client, action, sense_round, draft):
    """Deciding now would lock the lead out of an update they still have until the deadline to write."""
    sense_round.state = MonitoringRound.State.OPEN
    sense_round.save()
    if draft:
        UpdateFactory(action=action, round=sense_round, status=Update.Status.DRAFT, narrative="Half done", version=1)
    page = sense_check_page(chair_client, sense_round, action)
    assert 'id="not-yet"' in page and not quadrant_radios(page)
    response = decide(chair_client, sense_round, action, version=int(draft), quadrant=Quadrant.RED, reason="Late")
    assert response.status_code == 200
    assert "The lead has not submitted an update yet" in response.content.decode()
    assert not Update.objects.filter(action=action, status=Update.Status.AGREED).exists()


def test_a_draft_decided_after_updates_stop_is_never_reported_as_the_leads_words(chair_client, action, sense_round):
    draft = UpdateFactory(
        action=action,
        round=sense_round,
        status=Update.Status.DRAFT,
        narrative="Words never submitted",
        next_steps="Steps never submitted",
        proposed_quadrant=Quadrant.GREEN,
        version=1,
    )
    assert decide(chair_client, sense_round, action, quadrant=Quadrant.RED, reason="No update").status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.agreed_quadrant) == (Update.Status.AGREED, Quadrant.RED)
    assert (draft.narrative, draft.next_steps, draft.proposed_quadrant) == ("", "", "")
    # The draft's words stay in the update's history, as they were.
    assert draft.history.filter(narrative="Words never submitted").exists()
