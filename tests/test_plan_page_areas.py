"""The plan page and the action pages read the link between actions and areas the same way
(actions.selectors.answered_areas): an action answering two areas is listed under both."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from actions.models import Action
from inspections.models import Finding
from people.models import Person
from tests.factories import FindingFactory

pytestmark = pytest.mark.django_db


def area_section(page: str, area: Finding) -> str:
    start = page.index(f'id="area-{area.pk}"')
    following = re.search(r'<h3 class="govuk-heading-s"', page[start + 1 :])
    return page[start : start + 1 + following.start()] if following else page[start:]


def test_an_action_answering_two_areas_is_listed_under_each(client, action, make_person):
    inspection = action.plan.inspection
    first, second, unanswered = (
        FindingFactory(inspection=inspection, number=n, text=f"Words of the area numbered {word}")
        for n, word in ((1, "one"), (2, "two"), (3, "three"))
    )
    priority = FindingFactory(inspection=inspection, kind=Finding.Kind.PRIORITY_ACTION, number=1)
    action.areas.set([second, first, priority])
    client.force_login(make_person(role=Person.Role.VIEWER).user)

    plan_page = client.get(reverse("actions:plan", args=[action.plan_id])).content.decode()
    action_page = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    for area in (priority, first, second):
        assert action.description in area_section(plan_page, area)
        assert "No actions answer this yet" not in area_section(plan_page, area)
    assert "No actions answer this yet" in area_section(plan_page, unanswered)
    assert "Actions that answer no finding" not in plan_page

    answers = action_page[action_page.index("Answers</dt>") :]
    answers = answers[: answers.index("</dd>")]
    named = re.findall(r"#area-(\d+)", answers)
    assert named == [str(priority.pk), str(first.pk), str(second.pk)]  # the plan page's order
    assert unanswered.text not in answers


def test_an_action_answering_no_area_is_listed_as_such(client, action, make_person):
    client.force_login(make_person(role=Person.Role.VIEWER).user)
    plan_page = client.get(reverse("actions:plan", args=[action.plan_id])).content.decode()
    assert "Actions that answer no finding" in plan_page and action.description in plan_page
    assert "Not linked to a finding" in client.get(reverse("actions:detail", args=[action.pk])).content.decode()


def test_in_the_demo_area_2_lists_action_2_1(client, demo):
    client.force_login(Person.objects.get(user__username="viewer").user)
    action = Action.objects.get(plan__inspection__partnership=demo, reference="2.1")
    area_2 = action.areas.get(number=2)
    page = client.get(reverse("actions:plan", args=[action.plan_id])).content.decode()
    section = area_section(page, area_2)
    assert escape(action.description) in section
    assert "No actions answer this yet" not in section
