"""Every record belongs to one partnership, and a scoped query never leaks another's rows."""

import pytest

from actions.models import Action, ActionPlan, ImpactValue, MonitoringRound, Update
from inspections.models import Agency, Finding, Inspection
from people.models import Person
from tests.factories import (
    FindingFactory,
    ImpactValueFactory,
    PersonFactory,
    UpdateFactory,
)

pytestmark = pytest.mark.django_db

TENANT_MODELS = [Agency, Inspection, Finding, Person, ActionPlan, Action, MonitoringRound, Update, ImpactValue]


def _populate():
    """Two partnerships, each with one row of every kind."""
    mine, theirs = UpdateFactory(), UpdateFactory()
    for update in (mine, theirs):
        FindingFactory(inspection=update.action.plan.inspection)
        ImpactValueFactory(measure__plan=update.action.plan)
    return mine.action.plan.inspection.partnership, theirs.action.plan.inspection.partnership


@pytest.mark.parametrize("model", TENANT_MODELS, ids=lambda m: m.__name__)
def test_for_partnership_returns_only_that_partnerships_rows(model):
    mine, theirs = _populate()
    own = model.objects.for_partnership(mine)
    assert own.exists()
    assert not own.filter(pk__in=model.objects.for_partnership(theirs)).exists()
    assert own.count() + model.objects.for_partnership(theirs).count() == model.objects.count()


@pytest.mark.parametrize("model", TENANT_MODELS, ids=lambda m: m.__name__)
def test_visible_to_a_user_is_their_partnership_only(model):
    mine, _ = _populate()
    viewer = PersonFactory(partnership=mine, role=Person.Role.VIEWER)
    assert set(model.objects.visible_to(viewer.user)) == set(model.objects.for_partnership(mine))


def test_user_without_a_partnership_sees_nothing(django_user_model):
    _populate()
    outsider = django_user_model.objects.create_user("outsider", password="x-long-password-1")
    assert not Action.objects.visible_to(outsider).exists()


def test_deactivated_user_sees_nothing():
    mine, _ = _populate()
    leaver = PersonFactory(partnership=mine)
    leaver.user.is_active = False
    leaver.user.save()
    assert not Action.objects.visible_to(leaver.user).exists()
