"""Data rules the models enforce, whichever screen or import writes the row."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actions.models import ImpactValue, MonitoringRound, Update
from actions.quadrants import Quadrant, movement, scale_for
from inspections.models import Inspection
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    ImpactMeasureFactory,
    InspectionFactory,
    MonitoringRoundFactory,
    PersonFactory,
    UpdateFactory,
)

pytestmark = pytest.mark.django_db


def test_action_lead_must_belong_to_the_plans_partnership(action, other_partnership_action):
    action.lead = other_partnership_action.lead
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "lead" in error.value.message_dict


def test_action_lead_agency_must_belong_to_the_plans_partnership(action):
    action.lead_agency = AgencyFactory()
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "lead_agency" in error.value.message_dict


def test_revised_target_date_needs_a_reason(action):
    action.revised_target_date = datetime.date(2021, 3, 31)
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "revised_target_reason" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()


def test_completed_action_needs_a_sustainability_plan(action):
    action.completed_on = datetime.date(2020, 5, 1)
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "sustainability_plan" in error.value.message_dict
    action.sustainability_plan = "Audited every six months by the sub-group."
    action.full_clean()


def test_action_reference_is_unique_within_a_plan(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(plan=action.plan, reference=action.reference)
    ActionFactory(reference=action.reference)  # another plan may reuse it


def test_one_update_per_action_per_round():
    update = UpdateFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Update.objects.create(action=update.action, round=update.round)


def test_update_round_must_be_of_the_actions_plan(action):
    foreign_round = MonitoringRoundFactory()
    with pytest.raises(ValidationError):
        Update(action=action, round=foreign_round).full_clean()


def test_submitted_update_needs_a_proposed_quadrant():
    update = UpdateFactory()
    update.status = Update.Status.SUBMITTED
    with pytest.raises(IntegrityError), transaction.atomic():
        update.save()


def test_agreed_update_needs_an_agreed_quadrant():
    update = UpdateFactory(proposed_quadrant=Quadrant.GREEN)
    update.status = Update.Status.AGREED
    with pytest.raises(IntegrityError), transaction.atomic():
        update.save()


def test_endorsed_round_needs_an_endorsement_date():
    monitoring_round = MonitoringRoundFactory()
    monitoring_round.state = MonitoringRound.State.ENDORSED
    with pytest.raises(IntegrityError), transaction.atomic():
        monitoring_round.save()


def test_fieldwork_cannot_end_before_it_starts():
    inspection = InspectionFactory.build(
        partnership=AgencyFactory().partnership,
        fieldwork_start=datetime.date(2019, 6, 21),
        fieldwork_end=datetime.date(2019, 6, 17),
    )
    with pytest.raises(ValidationError) as error:
        inspection.full_clean()
    assert "fieldwork_end" in error.value.message_dict


def test_unknown_inspectorate_is_refused():
    inspection = InspectionFactory(inspectorates=["ofsted", "ministry of magic"])
    with pytest.raises(ValidationError) as error:
        inspection.full_clean()
    assert "inspectorates" in error.value.message_dict
    assert Inspection.Inspectorate.OFSTED.label == "Ofsted"


def test_percentage_impact_values_stay_between_0_and_100():
    measure = ImpactMeasureFactory()
    with pytest.raises(ValidationError):
        ImpactValue(measure=measure, period_label="Q1", period_end=datetime.date(2022, 6, 30), value=130).full_clean()


def test_person_agency_must_be_of_their_partnership():
    person = PersonFactory()
    person.agency = AgencyFactory()
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "agency" in error.value.message_dict


def test_quadrant_scale_defaults_to_northumberland_wording_and_can_be_reworded():
    person = PersonFactory()
    scale = scale_for(person.partnership_id)
    assert list(scale) == ["complete", "green", "yellow", "amber", "red"]
    assert scale["green"].description == "Good progress, all actions taken and on track"
    assert {q.symbol for q in scale.values()} == {"✔", "●", "▲", "◆", "■"}
    person.partnership.quadrant_wording.create(quadrant="red", label="Off track", description="Needs help now")
    assert scale_for(person.partnership_id)["red"].label == "Off track"
    assert scale_for(PersonFactory().partnership_id)["red"].label == "Red"


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("amber", "green", "improved"),
        ("green", "red", "worse"),
        ("yellow", "yellow", "same"),
        (None, "red", "new"),
        ("red", "complete", "improved"),
        ("green", "", "missing"),
    ],
)
def test_movement_between_rounds(before, after, expected):
    assert movement(before, after) == expected


def test_impact_value_without_a_value_is_refused_not_crashed():
    measure = ImpactMeasureFactory()
    with pytest.raises(ValidationError) as error:
        ImpactValue(measure=measure, period_label="Q1", period_end=datetime.date(2022, 6, 30)).full_clean()
    assert "value" in error.value.message_dict
