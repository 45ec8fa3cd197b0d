"""Every change is attributable: who, when, what it was before and after."""

import pytest

from actions.models import Action
from people.models import Person
from tests.factories import UpdateFactory

pytestmark = pytest.mark.django_db


def test_every_model_of_ours_keeps_history():
    from django.apps import apps

    for app_label in ("inspections", "people", "actions", "reports"):
        for model in apps.get_app_config(app_label).get_models():
            # ReminderLog is itself an append-only log of emails sent; a PublishedReport is written once
            # and never changes (its save() refuses), so a history would only copy the PDF.
            if model._meta.model_name.startswith("historical") or model._meta.model_name in (
                "reminderlog",
                "publishedreport",
            ):
                continue
            assert hasattr(model, "history"), f"{model.__name__} keeps no history"


def test_change_records_before_after_and_author(action, make_person):
    manager = make_person(role=Person.Role.MANAGER)
    action._history_user = manager.user
    action.description = "Review and refresh the multi agency referral form"
    action.save()
    latest, previous = action.history.all()[:2]
    assert latest.history_user == manager.user
    assert latest.history_type == "~"
    delta = latest.diff_against(previous)
    assert [change.field for change in delta.changes] == ["description"]
    assert delta.changes[0].new == "Review and refresh the multi agency referral form"
    assert latest.history_date >= previous.history_date


def test_history_survives_deletion(action):
    pk = action.pk
    UpdateFactory(action=action).delete()
    action.delete()
    assert Action.history.filter(id=pk, history_type="-").exists()
