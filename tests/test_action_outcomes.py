"""Outcomes beyond complete: not implemented (with reasons and the chair's agreement), superseded by or merged into
another action, undoing either; and impact re-tests (a date, then sustained, or not sustained and reopened).
Through the pages the chair and the manager use, and the services behind them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from actions import services
from actions.models import Action, MonitoringRound, Outcome, Retest
from actions.selectors import my_actions, sense_check
from people.models import Person
from tests.factories import ActionFactory, ActionPlanFactory, InspectionFactory, MonitoringRoundFactory, PersonFactory

pytestmark = pytest.mark.django_db

MEETING = datetime.date(2026, 5, 12)


def typed(name, value):
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


@pytest.fixture
def chair(make_person):
    person = make_person(Person.Role.CHAIR)
    person.user.first_name, person.user.last_name = "Mark", "Tait"
    person.user.save()
    return person


@pytest.fixture
def chair_client(client, chair):
    client.force_login(chair.user)
    return client


def complete(action, on=datetime.date(2026, 3, 31)):
    Action.objects.filter(pk=action.pk).update(completed_on=on, sustainability_plan="Re-audited yearly.")
    action.refresh_from_db()
    return action


def not_implemented_data(action, **overrides):
    return {
        "version": action.version,
        **typed("not_implemented_on", MEETING),
        "not_implemented_reason": "The service was recommissioned; the new provider's contract covers it.",
        **overrides,
    }


# Not implemented ---------------------------------------------------------------------------------------


def test_chair_records_not_implemented_and_the_page_says_who_agreed_it(chair_client, action):
    response = chair_client.post(reverse("actions:not_implemented", args=[action.pk]), not_implemented_data(action))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.outcome == Outcome.NOT_IMPLEMENTED
    assert Action.objects.with_outcome(Outcome.NOT_IMPLEMENTED).get() == action
    assert not Action.objects.filter(pk=action.pk).current().exists()
    page = chair_client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "Not implemented: agreed by Mark Tait, sub-group chair, on 12 May 2026." in page
    assert "Reasons: The service was recommissioned" in page
    assert action.history.first().history_user == action.not_implemented_agreed_by.user


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"not_implemented_reason": "  "},
            "not_implemented_reason",
            "Give the reasons the action will not be implemented",
        ),
        (typed("not_implemented_on", datetime.date(2099, 1, 1)), "not_implemented_on", "must be today or in the past"),
    ],
)
def test_not_implemented_needs_reasons_and_a_meeting_not_in_the_future(chair_client, action, overrides, field, message):
    response = chair_client.post(
        reverse("actions:not_implemented", args=[action.pk]), not_implemented_data(action, **overrides)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.content.decode()
    action.refresh_from_db()
    assert action.outcome == Outcome.OPEN


def test_a_lead_may_not_record_an_outcome(client, action):
    client.force_login(action.lead.user)
    for name in ("not_implemented", "replace", "reinstate", "retest_due", "retest"):
        assert client.get(reverse(f"actions:{name}", args=[action.pk])).status_code == 403
        assert client.post(reverse(f"actions:{name}", args=[action.pk]), {}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.action_not_implemented(action=action, by=action.lead, on=MEETING, reason="No", expected_version=None)


def test_another_partnerships_action_is_not_found(chair_client, other_partnership_action):
    for name in ("not_implemented", "replace", "reinstate", "retest_due", "retest"):
        response = chair_client.post(reverse(f"actions:{name}", args=[other_partnership_action.pk]), {})
        assert response.status_code == 404


def test_a_stale_decision_is_refused_with_both_versions(chair_client, chair, action):
    read_version = action.version
    services.action_update(
        action=action,
        by=chair,
        fields={"description": "Reworded by the manager."},
        areas=[],
        supporting_agencies=[],
    )
    response = chair_client.post(
        reverse("actions:not_implemented", args=[action.pk]), {**not_implemented_data(action), "version": read_version}
    )
    assert response.status_code == 409
    assert "Someone else saved this action" in response.content.decode()
    action.refresh_from_db()
    assert action.outcome == Outcome.OPEN
    # What the chair typed is kept against the version now saved: saving again goes through.
    form = response.context["form"]
    assert form.data["not_implemented_reason"].startswith("The service was recommissioned")
    again = chair_client.post(reverse("actions:not_implemented", args=[action.pk]), dict(form.data.items()))
    assert again.status_code == 302


def test_a_complete_action_cannot_be_recorded_as_not_implemented(chair, action):
    complete(action)
    with pytest.raises(ValidationError, match="complete"):
        services.action_not_implemented(action=action, by=chair, on=MEETING, reason="No", expected_version=None)


# Superseded or merged -------------------------------------------------------------------------------------


def replace_data(action, other, **overrides):
    return {
        "version": action.version,
        "replaced_how": "merged",
        "replaced_by": other.pk,
        **typed("replaced_on", MEETING),
        "replaced_reason": "The two recommendations were combined after the rapid review.",
        **overrides,
    }


def test_merged_into_an_action_of_another_plan_links_both_ways(chair_client, action):
    plan = ActionPlanFactory(
        inspection=InspectionFactory(partnership=action.plan.inspection.partnership), title="Rapid review plan"
    )
    other = ActionFactory(plan=plan, reference="2.3", lead=action.lead, lead_agency=action.lead_agency)
    form_page = chair_client.get(reverse("actions:replace", args=[action.pk])).content.decode()
    assert '<optgroup label="Rapid review plan">' in form_page
    response = chair_client.post(reverse("actions:replace", args=[action.pk]), replace_data(action, other))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.outcome == Outcome.MERGED
    assert action.outcome_sentence(with_reasons=False) == "Merged into 2.3 in Rapid review plan on 12 May 2026."
    page = chair_client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert f'href="{reverse("actions:detail", args=[other.pk])}">2.3</a> in Rapid review plan' in page
    other_page = chair_client.get(reverse("actions:detail", args=[other.pk])).content.decode()
    assert "Takes over from" in other_page and "merged into this action on 12 May 2026" in other_page


def test_an_action_of_another_partnership_is_refused(chair_client, chair, action, other_partnership_action):
    response = chair_client.post(
        reverse("actions:replace", args=[action.pk]), replace_data(action, other_partnership_action)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["replaced_by"] == [
        "Choose an action of your partnership that is still in a plan"
    ]
    with pytest.raises(ValidationError) as refused:
        services.action_replace(
            action=action,
            by=chair,
            replaced_by=other_partnership_action,
            how="superseded",
            on=MEETING,
            reason="r",
            expected_version=None,
        )
    assert refused.value.message_dict["replaced_by"] == ["Choose an action of your partnership"]


def test_an_action_cannot_replace_itself_nor_close_a_chain_back_to_itself(chair, action):
    with pytest.raises(ValidationError, match="cannot replace itself"):
        services.action_replace(
            action=action, by=chair, replaced_by=action, how="superseded", on=MEETING, reason="r", expected_version=None
        )
    second = ActionFactory(plan=action.plan, lead=action.lead, lead_agency=action.lead_agency)
    third = ActionFactory(plan=action.plan, lead=action.lead, lead_agency=action.lead_agency)
    services.action_replace(
        action=action, by=chair, replaced_by=second, how="superseded", on=MEETING, reason="r", expected_version=None
    )
    services.action_replace(
        action=second, by=chair, replaced_by=third, how="merged", on=MEETING, reason="r", expected_version=None
    )
    third.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.action_replace(
            action=third, by=chair, replaced_by=action, how="merged", on=MEETING, reason="r", expected_version=None
        )
    assert "itself superseded by" in refused.value.message_dict["replaced_by"][0]
    # The model's own rule follows the chain too, whatever writes the row.
    third.replaced_by, third.replaced_how, third.replaced_on, third.replaced_reason = action, "merged", MEETING, "r"
    with pytest.raises(ValidationError) as cycle:
        third.full_clean()
    assert "leading back to this one" in cycle.value.message_dict["replaced_by"][0]


def test_undoing_a_decision_puts_the_action_back_in_the_plan(chair_client, chair, action):
    services.action_not_implemented(action=action, by=chair, on=MEETING, reason="No money.", expected_version=None)
    action.refresh_from_db()
    response = chair_client.post(
        reverse("actions:reinstate", args=[action.pk]),
        {"version": action.version, "reason": "The board found the money after all."},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.outcome == Outcome.OPEN
    assert action.reopened_reason == "The board found the money after all."
    assert action.history.filter(not_implemented_reason="No money.").exists()


# No update is asked of an action closed without completion --------------------------------------------------


def test_a_not_implemented_action_is_asked_for_no_update(client, chair, action):
    open_round = MonitoringRoundFactory(plan=action.plan, state=MonitoringRound.State.OPEN)
    services.action_not_implemented(action=action, by=chair, on=MEETING, reason="No money.", expected_version=None)
    assert my_actions(action.lead) == []
    assert sense_check(open_round).rows == []
    assert services.round_missing_agreement(open_round) == []
    client.force_login(action.lead.user)
    response = client.get(reverse("actions:update", args=[action.pk]))
    assert response.status_code == 302
    with pytest.raises(services.RoundNotOpen):
        services.update_save(
            action=action, monitoring_round=open_round, by=action.lead, expected_version=0, fields={}, submit=False
        )


# Re-tests -----------------------------------------------------------------------------------------------------


def test_the_retest_date_is_only_for_a_complete_action_and_not_before_completion(chair_client, chair, action):
    response = chair_client.get(reverse("actions:retest_due", args=[action.pk]))
    assert response.status_code == 302  # not complete: back to the action, saying why
    complete(action)
    response = chair_client.post(
        reverse("actions:retest_due", args=[action.pk]),
        {"version": action.version, **typed("retest_due", datetime.date(2026, 1, 1))},
    )
    assert response.context["form"].errors["retest_due"] == [
        "The re-test date must be on or after 31 March 2026, when it was completed"
    ]
    response = chair_client.post(
        reverse("actions:retest_due", args=[action.pk]),
        {"version": action.version, **typed("retest_due", datetime.date(2026, 9, 30))},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.retest_due == datetime.date(2026, 9, 30)


def test_a_sustained_retest_clears_the_date(chair_client, action):
    complete(action)
    Action.objects.filter(pk=action.pk).update(retest_due=datetime.date(2026, 4, 30))
    action.refresh_from_db()
    data = {
        "version": action.version,
        **typed("tested_on", datetime.date(2026, 5, 12)),
        "result": "sustained",
        "evidence": "Re-audit of 40 cases: 38 had a risk assessment.",
    }
    response = chair_client.post(reverse("actions:retest", args=[action.pk]), data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.outcome, action.retest_due) == (Outcome.COMPLETE, None)
    # The same page sent twice records the re-test once.
    assert chair_client.post(reverse("actions:retest", args=[action.pk]), data).status_code == 409
    assert Retest.objects.filter(action=action).count() == 1
    page = chair_client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "Re-audit of 40 cases" in page and "Sustained" in page


def test_a_retest_not_sustained_reopens_the_action_and_its_lead_is_asked_again(chair_client, action):
    complete(action)
    MonitoringRoundFactory(plan=action.plan, state=MonitoringRound.State.OPEN)
    assert [row.needs_update for row in my_actions(action.lead)] == [False]
    response = chair_client.post(
        reverse("actions:retest", args=[action.pk]),
        {
            "version": action.version,
            **typed("tested_on", datetime.date(2026, 5, 12)),
            "result": "not_sustained",
            "evidence": "Re-audit: 12 of 40 cases had a risk assessment.",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.outcome == Outcome.OPEN
    assert action.reopened_reason == (
        "The re-test on 12 May 2026 found the change was not sustained: Re-audit: 12 of 40 cases had a risk assessment."
    )
    assert [row.needs_update for row in my_actions(action.lead)] == [True]


def test_a_retest_needs_a_result_evidence_and_a_past_date(chair_client, action):
    complete(action)
    response = chair_client.post(
        reverse("actions:retest", args=[action.pk]),
        {"version": action.version, **typed("tested_on", datetime.date(2099, 1, 1)), "evidence": ""},
    )
    errors = response.context["form"].errors
    assert errors["result"] == ["Select whether the change was sustained"]
    assert errors["evidence"] == ["Give the evidence the re-test looked at"]
    assert "tested_on" in errors
    assert not Retest.objects.exists()


def test_one_closing_outcome_is_a_database_rule(chair, action):
    from django.db import IntegrityError, transaction

    complete(action)
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(
            not_implemented_on=MEETING, not_implemented_reason="x", not_implemented_agreed_by=chair
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(completed_on=None, retest_due=MEETING)


def test_no_reminder_is_sent_about_an_action_not_implemented_or_merged(chair, action, mailoutbox):
    from actions import reminders

    other = ActionFactory(plan=action.plan, lead=action.lead, lead_agency=action.lead_agency)
    merged_lead_action = ActionFactory(plan=action.plan)
    MonitoringRoundFactory(
        plan=action.plan,
        state=MonitoringRound.State.OPEN,
        period_end=datetime.date(2030, 6, 30),
        update_deadline=datetime.date(2030, 7, 14),
    )
    services.action_not_implemented(action=action, by=chair, on=MEETING, reason="No money.", expected_version=None)
    services.action_replace(
        action=merged_lead_action,
        by=chair,
        replaced_by=other,
        how="merged",
        on=MEETING,
        reason="Combined.",
        expected_version=None,
    )
    sent = reminders.reminders_send(today=datetime.date(2030, 6, 1))
    assert [(reminder.lead_name, reminder.sent) for reminder in sent] == [(action.lead.name, True)]
    assert action.reference not in mailoutbox[0].body and other.reference in mailoutbox[0].body


def test_an_action_agreed_complete_in_a_round_not_yet_closed_cannot_also_end_another_way(chair, action):
    from actions.quadrants import Quadrant
    from tests.factories import UpdateFactory

    sense = MonitoringRoundFactory(plan=action.plan, state=MonitoringRound.State.SENSE_CHECK)
    UpdateFactory(
        action=action,
        round=sense,
        status="submitted",
        proposed_quadrant=Quadrant.COMPLETE,
        evidence="Audit.",
        sustainability_plan="Yearly.",
    )
    services.update_agree(action=action, monitoring_round=sense, by=chair, quadrant=Quadrant.COMPLETE)
    with pytest.raises(ValidationError, match="agreed this action complete in"):
        services.action_not_implemented(action=action, by=chair, on=MEETING, reason="No.", expected_version=None)
    services.round_close(monitoring_round=sense, by=chair, meeting_on=MEETING)
    action.refresh_from_db()
    assert action.outcome == Outcome.COMPLETE


def test_the_sense_check_refuses_a_decision_on_an_action_no_longer_asked_about(chair, action):
    from actions.quadrants import Quadrant

    sense = MonitoringRoundFactory(plan=action.plan, state=MonitoringRound.State.SENSE_CHECK)
    services.action_not_implemented(action=action, by=chair, on=MEETING, reason="No.", expected_version=None)
    with pytest.raises(services.RoundStateError, match="not asked about any more"):
        services.update_agree(action=action, monitoring_round=sense, by=chair, quadrant=Quadrant.RED, reason="x")


def test_the_filter_and_the_property_agree_on_every_outcome(chair, action):
    """``ActionQuerySet.with_outcome`` and ``Action.outcome`` are one rule: each action is in exactly its own."""
    plan, lead = action.plan, action.lead
    made = {
        Outcome.OPEN: ActionFactory(plan=plan, lead=lead, lead_agency=lead.agency),
        Outcome.COMPLETE: ActionFactory(
            plan=plan, lead=lead, lead_agency=lead.agency, completed_on=MEETING, sustainability_plan="Kept."
        ),
        Outcome.WITHDRAWN: ActionFactory(
            plan=plan, lead=lead, lead_agency=lead.agency, withdrawn_on=MEETING, withdrawn_reason="Gone."
        ),
        Outcome.NOT_IMPLEMENTED: ActionFactory(plan=plan, lead=lead, lead_agency=lead.agency),
        Outcome.SUPERSEDED: ActionFactory(plan=plan, lead=lead, lead_agency=lead.agency),
        Outcome.MERGED: ActionFactory(plan=plan, lead=lead, lead_agency=lead.agency),
    }
    services.action_not_implemented(
        action=made[Outcome.NOT_IMPLEMENTED], by=chair, on=MEETING, reason="No.", expected_version=None
    )
    for how in (Outcome.SUPERSEDED, Outcome.MERGED):
        services.action_replace(
            action=made[how], by=chair, replaced_by=action, how=how, on=MEETING, reason="r", expected_version=None
        )
    for code, made_action in made.items():
        made_action.refresh_from_db()
        assert made_action.outcome == code
        assert list(Action.objects.filter(pk__in=[a.pk for a in made.values()]).with_outcome(code)) == [made_action]
    asked = set(Action.objects.filter(pk__in=[a.pk for a in made.values()]).current())
    assert asked == {made[Outcome.OPEN], made[Outcome.COMPLETE]}


def test_a_manager_records_not_implemented_naming_the_chair_who_agreed_it(client, chair, action):
    """The chair agrees it; the manager may type it in, naming that chair: never as the one who agreed."""
    manager = PersonFactory(partnership=chair.partnership, role=Person.Role.MANAGER)
    client.force_login(manager.user)
    url = reverse("actions:not_implemented", args=[action.pk])
    page = client.get(url).content.decode()
    assert "Which chair agreed it?" in page and chair.name in page
    refused = client.post(url, not_implemented_data(action))
    assert refused.status_code == 200 and "Select the chair who agreed it" in refused.content.decode()
    action.refresh_from_db()
    assert action.not_implemented_on is None
    other = PersonFactory(role=Person.Role.CHAIR)  # a chair of another partnership
    refused = client.post(url, not_implemented_data(action, agreed_by=other.pk))
    assert "Select the chair who agreed it" in refused.content.decode()
    done = client.post(url, not_implemented_data(action, agreed_by=chair.pk))
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.not_implemented_agreed_by == chair
    assert action.history.latest().history_user == manager.user  # who typed it in stays in the history
    page = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert f"agreed it will not be implemented set to {MEETING:%-d %B %Y}" in page  # in words, not a field name
