"""Linking actions that track the same recommendation across plans: a manager links and unlinks them from the
register or the action's page; both actions then say "Also tracked as", each change is in both histories with
who made it; an action of another partnership is a 404, the action itself is refused, anyone else gets a 403."""

import datetime

import pytest
from django.urls import reverse

from actions.models import Action
from people.models import Person
from register import services
from tests.factories import ActionFactory, ActionPlanFactory, InspectionFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    jtai = ActionPlanFactory(title="JTAI written statement of action")
    review = ActionPlanFactory(
        inspection=InspectionFactory(
            partnership=jtai.inspection.partnership,
            theme="Rapid review: child A",
            fieldwork_start=datetime.date(2023, 1, 9),
            fieldwork_end=datetime.date(2023, 1, 9),
        ),
        title="Rapid review recommendations",
    )
    first = ActionFactory(plan=jtai, reference="2.3", description="Multi-agency neglect training")
    second = ActionFactory(plan=review, reference="R4", description="Train staff in the neglect toolkit")
    return first, second


@pytest.fixture
def manager(pair):
    return PersonFactory(partnership=pair[0].plan.inspection.partnership, role=Person.Role.MANAGER)


def _link(client, person, action, other_pk):
    client.force_login(person.user)
    return client.post(reverse("register:links", args=[action.pk]), {"other": other_pk})


def test_a_manager_links_two_actions_and_both_say_so(client, pair, manager):
    first, second = pair
    response = _link(client, manager, first, second.pk)
    assert response.status_code == 302 and response.url == reverse("register:links", args=[first.pk])
    assert set(first.related_actions.all()) == {second} and set(second.related_actions.all()) == {first}
    page = client.get(reverse("actions:detail", args=[first.pk])).content.decode()
    assert "Also tracked as" in page and "R4 in Rapid review recommendations" in page
    assert reverse("actions:detail", args=[second.pk]) in page
    page = client.get(reverse("actions:detail", args=[second.pk])).content.decode()
    assert "2.3 in JTAI written statement of action" in page
    register = client.get("/register/").content.decode()
    assert "Also tracked as <a" in register and "R4 in Rapid review recommendations" in register


def test_the_link_is_in_both_histories_with_who_made_it(client, pair, manager):
    first, second = pair
    _link(client, manager, first, second.pk)
    assert first.history.latest().history_user == manager.user
    assert first.history.latest().history_change_reason == "Linked to R4 in Rapid review recommendations"
    assert second.history.latest().history_change_reason == "Linked to 2.3 in JTAI written statement of action"
    page = client.get(reverse("register:links", args=[second.pk])).content.decode()
    assert "Linked to 2.3 in JTAI written statement of action" in page and manager.name in page


def test_a_manager_unlinks_them(client, pair, manager):
    first, second = pair
    _link(client, manager, first, second.pk)
    response = client.post(reverse("register:unlink", args=[second.pk]), {"other": first.pk})
    assert response.status_code == 302
    assert not first.related_actions.exists() and not second.related_actions.exists()
    assert first.history.latest().history_change_reason == "No longer linked to R4 in Rapid review recommendations"
    page = client.get(reverse("actions:detail", args=[first.pk])).content.decode()
    assert "Not linked to another action" in page and "R4 in" not in page


def test_linking_twice_changes_nothing(pair, manager):
    first, second = pair
    assert services.related_action_link(action=first, other=second, by=manager) is True
    versions = first.history.count()
    assert services.related_action_link(action=second, other=first, by=manager) is False
    assert first.history.count() == versions and first.related_actions.count() == 1


def test_the_form_offers_the_partnerships_other_actions_grouped_by_plan(client, pair, manager):
    first, second = pair
    ActionFactory()  # another partnership's
    client.force_login(manager.user)
    page = client.get(reverse("register:links", args=[first.pk])).content.decode()
    assert '<optgroup label="Rapid review recommendations">' in page
    assert f'value="{second.pk}"' in page and f'value="{first.pk}"' not in page
    assert page.count("<option") == 2  # "Choose an action" and R4


def test_an_action_cannot_be_linked_to_itself(client, pair, manager):
    first, _ = pair
    response = _link(client, manager, first, first.pk)
    assert response.status_code == 400
    assert "An action cannot be linked to itself" in response.content.decode()
    assert not first.related_actions.exists()


def test_nothing_chosen_is_an_error_by_the_field(client, pair, manager):
    response = _link(client, manager, pair[0], "")
    assert response.status_code == 400
    assert "Select the action that tracks the same recommendation" in response.content.decode()


def test_an_action_of_another_partnership_is_not_found(client, pair, manager):
    first, _ = pair
    theirs = ActionFactory()
    assert _link(client, manager, first, theirs.pk).status_code == 404
    assert client.post(reverse("register:unlink", args=[first.pk]), {"other": theirs.pk}).status_code == 404
    assert not first.related_actions.exists()
    with pytest.raises(services.LinkRefused):
        services.related_action_link(action=first, other=theirs, by=manager)


def test_another_partnerships_manager_is_not_found(client, pair):
    first, second = pair
    outsider = PersonFactory(role=Person.Role.MANAGER)
    assert _link(client, outsider, first, second.pk).status_code == 404
    assert client.get(reverse("register:links", args=[first.pk])).status_code == 404


@pytest.mark.parametrize("role", [Person.Role.CHAIR, Person.Role.OFFICER, Person.Role.LEAD, Person.Role.VIEWER])
def test_anyone_but_the_manager_is_refused(client, pair, role):
    first, second = pair
    person = PersonFactory(partnership=first.plan.inspection.partnership, role=role)
    assert _link(client, person, first, second.pk).status_code == 403
    assert client.get(reverse("register:links", args=[first.pk])).status_code == 403
    Action.related_actions.through.objects.create(from_action=first, to_action=second)
    assert client.post(reverse("register:unlink", args=[first.pk]), {"other": second.pk}).status_code == 403
    page = client.get(reverse("actions:detail", args=[first.pk])).content.decode()
    assert "R4 in Rapid review recommendations" in page
    assert reverse("register:links", args=[first.pk]) not in page


@pytest.mark.parametrize("other", ["²", "١٢", "1e3", " 1", "-1", "9" * 40])
def test_an_id_that_is_not_plain_digits_is_refused_never_an_error(client, pair, manager, other):
    first, _second = pair
    response = _link(client, manager, first, other)
    assert response.status_code == 400 and 'href="#id_other' in response.content.decode()  # by the field
    response = client.post(reverse("register:unlink", args=[first.pk]), {"other": other})
    assert response.status_code == 404
    assert not first.related_actions.exists()


def test_a_link_leaves_the_actions_version_so_an_open_form_still_saves(client, pair, manager):
    """Linking is recorded in history, but it is not an edit of the action: a chair's form read before it saves."""
    first, second = pair
    before = first.version
    _link(client, manager, first, second.pk)
    first.refresh_from_db()
    assert first.version == before and first.history.latest().history_change_reason.startswith("Linked to")
