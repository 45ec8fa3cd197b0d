"""The manager's set-up edit forms carry the row's version: a save from a stale form is refused, never lost.

Two managers edit one action: the second save, from a page read before the first, gets a 409 with their
version and the second manager's side by side and the second manager's text kept in the form; saving
again goes through. Every other edit page (agency, person, inspection, finding, impact measure) does the
same through the one generic page, ``setup.generic.SetupEditView``.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from actions import services as action_services
from actions.models import Action
from inspections.models import Agency
from people.models import Person
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    FindingFactory,
    ImpactMeasureFactory,
    InspectionFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def date_fields(name, value):
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


@pytest.fixture
def managers(partnership):
    """Two signed-in managers of the action's partnership: (person, client) each."""
    pairs = []
    for _ in range(2):
        manager = PersonFactory(partnership=partnership, role=Person.Role.MANAGER)
        client = Client()
        client.force_login(manager.user)
        pairs.append((manager, client))
    return pairs


def action_data(action, **overrides):
    return {
        "version": action.version,
        "reference": action.reference,
        "description": action.description,
        "areas": [area.pk for area in action.areas.all()],
        "lead": action.lead_id,
        "lead_agency": action.lead_agency_id,
        "supporting_agencies": [agency.pk for agency in action.supporting_agencies.all()],
        **date_fields("target_date", action.target_date),
        "measure_of_success": action.measure_of_success,
        "sustainability_plan": action.sustainability_plan,
        **overrides,
    }


def edit_url(action):
    return reverse("setup:action_edit", args=[action.pk])


def version_in(page):
    return int(re.search(r'name="version" value="(\d+)"', page).group(1))


def test_a_stale_action_edit_is_refused_with_both_versions_and_nothing_is_lost(managers, action):
    (first, first_client), (second, second_client) = managers
    assert version_in(first_client.get(edit_url(action)).content.decode()) == action.version
    stale = action_data(action)  # both managers opened the form now

    response = first_client.post(edit_url(action), {**stale, "description": "Relaunch the referral form."})
    assert response.status_code == 302

    response = second_client.post(
        edit_url(action), {**stale, "description": "Audit the MASH front door.", "measure_of_success": "90%"}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "<title>Error: Edit action" in page
    assert "Someone else saved this action while you were editing it" in page
    assert f"Their version (saved by {first.name})" in page and "Your version" in page
    # Side by side, under the form's own labels; their text saved, the second manager's kept in the form.
    assert re.search(r"Action</th>\s*<td[^>]*>Relaunch the referral form.</td>\s*<td[^>]*>Audit the MASH", page)
    assert "Measure of success</th>" in page
    assert "Audit the MASH front door.</textarea>" in page
    action.refresh_from_db()
    assert action.description == "Relaunch the referral form."
    assert action.measure_of_success == ""
    assert version_in(page) == action.version

    # The form now carries the version saved, so saving again replaces theirs deliberately.
    response = second_client.post(
        edit_url(action),
        {
            **stale,
            "version": version_in(page),
            "description": "Audit the MASH front door.",
            "measure_of_success": "90%",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.description, action.measure_of_success) == ("Audit the MASH front door.", "90%")
    assert [record.history_user for record in action.history.order_by("history_date")][-2:] == [
        first.user,
        second.user,
    ]


def test_an_unchanged_second_submit_of_the_same_version_is_fine(managers, action):
    (_, client), _ = managers
    data = action_data(action, description="Relaunch the referral form.")
    assert client.post(edit_url(action), data).status_code == 302
    # A second click on "Save action" sends the same form again: nothing anyone else wrote is lost by it.
    assert client.post(edit_url(action), data).status_code == 302
    action.refresh_from_db()
    assert action.description == "Relaunch the referral form."


def test_a_change_the_form_does_not_show_does_not_refuse_the_save(managers, action):
    (manager, client), _ = managers
    stale = action_data(action)
    ActionFactory(plan=action.plan)
    action_services.action_move(action=action, by=manager, direction="down")  # a new version, same fields
    response = client.post(edit_url(action), {**stale, "description": "Relaunch the referral form."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.description, action.position) == ("Relaunch the referral form.", 1)


def test_the_service_refuses_a_stale_version_and_says_what_differs(managers, action):
    from jtai_tracker.versions import EditConflict

    (manager, _), _ = managers
    version = action.version
    other = Action.objects.get(pk=action.pk)
    action_services.action_update(
        action=other,
        by=manager,
        fields={"description": "Theirs."},
        areas=[],
        supporting_agencies=[],
        expected_version=version,
    )
    with pytest.raises(EditConflict) as refused:
        action_services.action_update(
            action=action,
            by=manager,
            fields={"description": "Yours."},
            areas=[],
            supporting_agencies=[],
            expected_version=version,
        )
    assert [(c.field, c.theirs, c.yours) for c in refused.value.changes] == [("description", "Theirs.", "Yours.")]
    assert Action.objects.get(pk=action.pk).description == "Theirs."


# Every other edit page -----------------------------------------------------------


def agency_case(partnership):
    agency = AgencyFactory(partnership=partnership, name="Northumbria Police")
    return agency, "setup:agency_edit", {"name": "Northumbria Police", "short_name": "", "kind": "police"}, "name"


def person_case(partnership):
    person = PersonFactory(partnership=partnership, job_title="Head of service")
    data = {
        "agency": person.agency_id,
        "role": Person.Role.LEAD,
        "job_title": "Head of service",
        "email": "someone@example.org",
    }
    return person, "setup:person_edit", data, "job_title"


def inspection_case(partnership):
    inspection = InspectionFactory(partnership=partnership)
    data = {
        "kind": inspection.kind,
        "theme": inspection.theme,
        "inspectorates": inspection.inspectorates,
        **date_fields("fieldwork_start", inspection.fieldwork_start),
        **date_fields("fieldwork_end", inspection.fieldwork_end),
        **{f"{name}_{part}": "" for name in ("letter_published", "plan_due", "plan_submitted") for part in range(3)},
        **{f"plan_endorsed_{part}": "" for part in range(3)},
        "status": inspection.status,
        "plan_title": "",
    }
    return inspection, "setup:inspection_edit", data, "theme"


def finding_case(partnership):
    finding = FindingFactory(inspection__partnership=partnership, number=3)
    data = {"kind": finding.kind, "number": "3", "text": finding.text, "case_study": ""}
    return finding, "setup:finding_edit", data, "text"


def measure_case(partnership):
    measure = ImpactMeasureFactory(plan__inspection__partnership=partnership)
    data = {
        "name": measure.name,
        "description": "",
        "unit": measure.unit,
        "baseline": "30",
        "target": "90",
        "higher_is_better": "True",
    }
    return measure, "setup:measure_edit", data, "name"


@pytest.mark.parametrize(
    ("case", "what"),
    [
        (agency_case, "agency"),
        (person_case, "person"),
        (inspection_case, "inspection"),
        (finding_case, "finding"),
        (measure_case, "measure"),
    ],
)
def test_every_edit_page_refuses_a_stale_save_with_both_versions(managers, partnership, case, what):
    (_, client), _ = managers
    obj, url_name, data, field = case(partnership)
    url = reverse(url_name, args=[obj.pk])
    stale = {**data, "version": obj.version}
    assert version_in(client.get(url).content.decode()) == obj.version

    setattr(obj, field, "Saved by someone else")
    obj.save()  # every save counts: the version moves on
    response = client.post(url, {**stale, field: "Typed on a stale page"})
    page = response.content.decode()
    assert response.status_code == 409, page[:3000]
    assert f"Someone else saved this {what} while you were editing it" in page
    assert "Saved by someone else" in page and "Typed on a stale page" in page
    obj.refresh_from_db()
    assert getattr(obj, field) == "Saved by someone else"

    assert client.post(url, {**stale, field: "Typed on a stale page", "version": obj.version}).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == "Typed on a stale page"


def test_imports_and_commands_that_carry_no_version_are_not_refused(partnership):
    from inspections import services

    agency = AgencyFactory(partnership=partnership)
    stale = Agency.objects.get(pk=agency.pk)
    services.agency_update(agency=agency, by=None, fields={"name": "Renamed"})
    services.agency_update(agency=stale, by=None, fields={"short_name": "RC"})
    stale.refresh_from_db()
    assert (stale.name, stale.short_name, stale.version) == ("Renamed", "RC", 3)
