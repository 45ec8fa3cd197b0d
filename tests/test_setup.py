"""The partnership manager sets plans up in the browser: agencies, people, inspections, findings, actions,
rounds, quadrant wording and impact measures. Nobody else may, and nobody needs the Django admin."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLResolver, get_resolver, reverse

from actions import services as action_services
from actions.models import Action, ActionPlan, ImpactMeasure, ImpactValue, MonitoringRound, QuadrantWording, Update
from actions.quadrants import DEFAULT_WORDING, Quadrant, scale_for
from inspections import services
from inspections.models import Agency, Finding, Inspection
from people import services as people_services
from people.models import Person
from tests.factories import (
    ActionFactory,
    AgencyFactory,
    FindingFactory,
    ImpactMeasureFactory,
    ImpactValueFactory,
    PersonFactory,
    UpdateFactory,
)
from tests.second_factor import signed_in_just_now

pytestmark = pytest.mark.django_db


def date_fields(name, value):
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def blank_date(name):
    return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}


@pytest.fixture
def manager(make_person):
    return make_person(role=Person.Role.MANAGER)


@pytest.fixture
def manager_client(client, manager):
    signed_in_just_now(client, manager.user)
    return client


@pytest.fixture
def plan(action):
    return action.plan


@pytest.fixture
def inspection(plan):
    return plan.inspection


# The landing page ------------------------------------------------------------


def test_set_up_appears_in_the_navigation_for_managers_only(client, manager_client, make_person, inspection):
    page = manager_client.get("/").content.decode()
    assert f'href="{reverse("setup:home")}">Set up</a>' in page
    landing = manager_client.get(reverse("setup:home")).content.decode()
    assert "<title>Set up " in landing
    assert inspection.short_title in landing
    for url in ("setup:agencies", "setup:people", "setup:quadrant_wording", "setup:inspection_add"):
        assert reverse(url) in landing

    client.force_login(make_person(role=Person.Role.CHAIR).user)
    assert ">Set up</a>" not in client.get("/").content.decode()


# Agencies --------------------------------------------------------------------


def test_manager_adds_and_edits_an_agency(manager_client, partnership):
    response = manager_client.post(
        reverse("setup:agency_add"), {"name": "  Northumbria   Police ", "short_name": "NP", "kind": "police"}
    )
    assert response.status_code == 302
    agency = Agency.objects.get(name="Northumbria Police")
    assert (agency.partnership, agency.kind, agency.active) == (partnership, "police", True)

    response = manager_client.post(
        reverse("setup:agency_edit", args=[agency.pk]),
        {"name": "Northumbria Police", "short_name": "NPol", "kind": "police", "version": agency.version},
        follow=True,
    )
    assert "Northumbria Police saved." in response.content.decode()
    agency.refresh_from_db()
    assert agency.short_name == "NPol"


def test_duplicate_agency_name_is_refused_clearly(manager_client, partnership, other_partnership_action):
    AgencyFactory(partnership=partnership, name="Northumbria Police")
    response = manager_client.post(reverse("setup:agency_add"), {"name": "northumbria police", "kind": "police"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Add an agency" in page
    assert "There is a problem" in page
    assert "Your partnership already has an agency called northumbria police" in page
    assert Agency.objects.filter(partnership=partnership, name__iexact="northumbria police").count() == 1

    # Another partnership's agency of the same name is no clash.
    other = other_partnership_action.lead_agency
    response = manager_client.post(reverse("setup:agency_add"), {"name": other.name, "kind": "council"})
    assert response.status_code == 302


def test_deactivated_agency_is_not_offered_for_new_people_and_can_be_reactivated(manager_client, partnership):
    agency = AgencyFactory(partnership=partnership, name="Closed Trust")
    response = manager_client.post(reverse("setup:agency_active", args=[agency.pk]), {"active": "0"}, follow=True)
    assert "Closed Trust deactivated" in response.content.decode()
    agency.refresh_from_db()
    assert not agency.active
    assert "Closed Trust" not in manager_client.get(reverse("setup:person_add")).content.decode()
    assert "Inactive" in manager_client.get(reverse("setup:agencies")).content.decode()

    manager_client.post(reverse("setup:agency_active", args=[agency.pk]), {"active": "1"})
    agency.refresh_from_db()
    assert agency.active


# People ----------------------------------------------------------------------


def person_data(agency, **overrides):
    data = {
        "first_name": "Priya",
        "last_name": "Shah",
        "email": "Priya.Shah@Example.org",
        "username": "",
        "agency": agency.pk,
        "role": Person.Role.LEAD,
        "job_title": "Head of Early Help",
    }
    data.update(overrides)
    return data


def test_new_person_is_invited_by_email_and_has_no_password_until_they_choose_one(manager_client, action):
    response = manager_client.post(reverse("setup:person_add"), person_data(action.lead_agency))
    assert response.status_code == 302
    person = Person.objects.get(user__last_name="Shah")
    assert response["Location"] == reverse("setup:person_added", args=[person.pk])
    assert person.user.username == "priya.shah@example.org"  # defaults from the email
    assert (person.agency, person.role, person.job_title) == (action.lead_agency, "lead", "Head of Early Help")
    assert not person.user.has_usable_password()

    page = manager_client.get(response["Location"]).content.decode()
    assert "Invitation sent to priya.shah@example.org" in " ".join(page.split())
    assert "Temporary password" not in page
    assert "Invited" in manager_client.get(reverse("setup:people")).content.decode()


def test_new_person_can_sign_in_with_the_temporary_password(client, partnership, manager):
    temporary = people_services.temporary_password()
    people_services.person_create(
        partnership=partnership,
        password=temporary,
        by=manager,
        first_name="Sam",
        last_name="Reid",
        email="sam.reid@example.org",
        username="sam.reid",
        agency=manager.agency,
        role=Person.Role.VIEWER,
    )
    response = client.post(reverse("account_login"), {"login": "sam.reid", "password": temporary})
    assert response.status_code == 302


def test_username_and_email_already_taken_are_refused_clearly(manager_client, action):
    taken = action.lead.user
    response = manager_client.post(
        reverse("setup:person_add"), person_data(action.lead_agency, username=taken.username.upper())
    )
    assert f"The username {taken.username.upper()} is already taken" in response.content.decode()
    response = manager_client.post(reverse("setup:person_add"), person_data(action.lead_agency, email=taken.email))
    assert "Someone already has an account with this email address" in response.content.decode()
    response = manager_client.post(reverse("setup:person_add"), person_data(action.lead_agency, email="not-an-email"))
    assert "Enter an email address in the correct format" in response.content.decode()
    assert not Person.objects.filter(user__last_name="Shah").exists()


def test_a_person_cannot_be_put_in_another_partnerships_agency(manager_client, action, other_partnership_action):
    response = manager_client.post(reverse("setup:person_add"), person_data(other_partnership_action.lead_agency))
    assert response.status_code == 200
    assert "Choose one of your partnership&#x27;s agencies" in response.content.decode()


def test_manager_edits_a_persons_agency_role_and_job_title(manager_client, action, partnership):
    new_agency = AgencyFactory(partnership=partnership)
    response = manager_client.post(
        reverse("setup:person_edit", args=[action.lead.pk]),
        {
            "agency": new_agency.pk,
            "role": Person.Role.CHAIR,
            "job_title": "Chair, S&CE sub-group",
            "email": "New.Address@example.org",
            "version": action.lead.version,
        },
    )
    assert response.status_code == 302
    action.lead.refresh_from_db()
    assert action.lead.user.email == "New.Address@example.org"
    assert (action.lead.agency, action.lead.role, action.lead.job_title) == (
        new_agency,
        "chair",
        "Chair, S&CE sub-group",
    )


def test_pages_about_someone_else_still_show_who_is_signed_in(manager_client, manager, action):
    for name in ("setup:person_edit", "setup:person_deactivate", "setup:person_added"):
        page = manager_client.get(reverse(name, args=[action.lead.pk])).content.decode()
        assert f"Signed in as {manager.name} (Partnership manager)" in page, name
        assert f"Signed in as {action.lead.name}" not in page, name


def test_manager_cannot_change_their_own_role_or_deactivate_themself(manager_client, manager):
    manager_client.post(
        reverse("setup:person_edit", args=[manager.pk]),
        {"agency": manager.agency.pk, "role": Person.Role.VIEWER, "job_title": "", "version": manager.version},
    )
    manager.refresh_from_db()
    assert manager.role == Person.Role.MANAGER

    response = manager_client.post(reverse("setup:person_deactivate", args=[manager.pk]), follow=True)
    assert "You cannot deactivate yourself" in response.content.decode()
    manager.user.refresh_from_db()
    assert manager.user.is_active


def test_deactivating_a_leaver_reassigns_their_actions_and_keeps_their_updates(
    manager_client, client, action, make_person, partnership, password
):
    from django.test import Client

    leaver = action.lead
    second = ActionFactory(plan=action.plan, lead=leaver, lead_agency=leaver.agency)
    update = UpdateFactory(
        action=action, status=Update.Status.SUBMITTED, proposed_quadrant="green", submitted_by=leaver
    )
    taker = make_person(role=Person.Role.LEAD)
    leaver_session = Client()
    leaver_session.force_login(leaver.user)

    page = manager_client.get(reverse("setup:person_deactivate", args=[leaver.pk])).content.decode()
    assert "Reassign their 2 actions to" in page

    response = manager_client.post(
        reverse("setup:person_deactivate", args=[leaver.pk]), {"reassign_to": taker.pk}, follow=True
    )
    assert f"{taker.name} now leads their 2 actions" in response.content.decode()
    assert set(Action.objects.filter(lead=taker)) == {action, second}
    update.refresh_from_db()
    assert update.submitted_by == leaver  # their past update keeps their name
    leaver.refresh_from_db()
    assert not leaver.user.is_active
    assert Person.objects.filter(pk=leaver.pk).exists()

    # They cannot sign in, and the session they had is over.
    leaver_again = Client()
    response = leaver_again.post(reverse("account_login"), {"login": leaver.user.username, "password": password})
    assert response.status_code == 302 and response["Location"] == reverse("account_inactive")
    assert "deactivated" in leaver_again.get(response["Location"]).content.decode()
    assert leaver_again.get("/").status_code == 302
    assert leaver_session.get("/").status_code == 302


def test_deactivating_someone_with_actions_needs_someone_to_take_them_over(manager_client, action):
    response = manager_client.post(reverse("setup:person_deactivate", args=[action.lead.pk]), {"reassign_to": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Deactivate" in page
    assert "Choose who takes over their actions" in page
    action.lead.user.refresh_from_db()
    assert action.lead.user.is_active


def test_actions_cannot_be_handed_to_someone_in_another_partnership(manager_client, action, other_partnership_action):
    response = manager_client.post(
        reverse("setup:person_deactivate", args=[action.lead.pk]),
        {"reassign_to": other_partnership_action.lead.pk},
    )
    assert "Choose an active person in your partnership" in response.content.decode()
    action.refresh_from_db()
    assert action.lead.user.is_active


def test_someone_without_actions_is_deactivated_and_can_be_reactivated(manager_client, make_person):
    viewer = make_person(role=Person.Role.VIEWER)
    page = manager_client.get(reverse("setup:person_deactivate", args=[viewer.pk])).content.decode()
    assert "They lead no actions" in page
    assert manager_client.post(reverse("setup:person_deactivate", args=[viewer.pk]), {}).status_code == 302
    viewer.user.refresh_from_db()
    assert not viewer.user.is_active
    manager_client.post(reverse("setup:person_reactivate", args=[viewer.pk]))
    viewer.user.refresh_from_db()
    assert viewer.user.is_active


# Inspections -----------------------------------------------------------------


def inspection_data(**overrides):
    data = {
        "kind": Inspection.Kind.JTAI,
        "theme": "Neglect",
        "inspectorates": ["ofsted", "cqc"],
        **date_fields("fieldwork_start", datetime.date(2023, 3, 6)),
        **date_fields("fieldwork_end", datetime.date(2023, 3, 10)),
        **date_fields("letter_published", datetime.date(2023, 5, 2)),
        **date_fields("plan_due", datetime.date(2023, 8, 1)),
        **blank_date("plan_submitted"),
        **blank_date("plan_endorsed"),
        "status": Inspection.Status.PLAN_IN_PREPARATION,
        "plan_title": "",
    }
    data.update(overrides)
    return data


def test_creating_an_inspection_creates_its_action_plan(manager_client, partnership):
    response = manager_client.post(reverse("setup:inspection_add"), inspection_data())
    inspection = Inspection.objects.get(theme="Neglect")
    assert response["Location"] == reverse("setup:inspection", args=[inspection.pk])
    assert inspection.partnership == partnership
    assert inspection.inspectorates == ["ofsted", "cqc"]
    assert inspection.letter_published == datetime.date(2023, 5, 2)
    assert inspection.plan.title == "Neglect written statement of action"  # the regime's name for its plan

    manager_client.post(
        reverse("setup:inspection_add"),
        inspection_data(theme="Domestic abuse", plan_title="Written statement of action: domestic abuse"),
    )
    assert ActionPlan.objects.get(inspection__theme="Domestic abuse").title == (
        "Written statement of action: domestic abuse"
    )


def test_manager_edits_an_inspection_and_its_plan_title(manager_client, inspection, plan):
    data = inspection_data(
        theme=inspection.theme,
        status=Inspection.Status.MONITORING,
        plan_title="Exploitation plan 2019",
        **date_fields("fieldwork_start", inspection.fieldwork_start),
        **date_fields("fieldwork_end", inspection.fieldwork_end),
        **date_fields("letter_published", datetime.date(2019, 8, 2)),
        **date_fields("plan_due", datetime.date(2019, 11, 11)),
        **date_fields("plan_submitted", datetime.date(2019, 11, 8)),
        **date_fields("plan_endorsed", datetime.date(2019, 12, 16)),
        version=inspection.version,
    )
    assert manager_client.post(reverse("setup:inspection_edit", args=[inspection.pk]), data).status_code == 302
    inspection.refresh_from_db()
    plan.refresh_from_db()
    assert inspection.plan_endorsed == datetime.date(2019, 12, 16)
    assert inspection.status == "monitoring"
    assert plan.title == "Exploitation plan 2019"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            date_fields("fieldwork_end", datetime.date(2023, 3, 1)),
            "Fieldwork end date must be the same as or after the fieldwork start date",
        ),
        (
            {"fieldwork_start_0": "31", "fieldwork_start_1": "2", "fieldwork_start_2": "2023"},
            "Fieldwork start date must be a real date",
        ),
        (
            {"fieldwork_start_0": "6", "fieldwork_start_1": "3", "fieldwork_start_2": "23"},
            "Fieldwork start date must include a year with 4 numbers",
        ),
        (
            {"fieldwork_start_0": "6", "fieldwork_start_1": "3", "fieldwork_start_2": "1999"},
            "Fieldwork start date must be between 1 January 2000 and 31 December 2100",
        ),
        (
            {"fieldwork_end_0": "x", "fieldwork_end_1": "3", "fieldwork_end_2": "2023"},
            "Fieldwork end date must be a real date",
        ),
        (blank_date("fieldwork_start"), "Enter the fieldwork start date"),
        (
            date_fields("letter_published", datetime.date(2023, 1, 1)),
            "This date cannot be before the fieldwork start date",
        ),
        (
            {
                **date_fields("plan_submitted", datetime.date(2023, 7, 1)),
                **date_fields("plan_endorsed", datetime.date(2023, 6, 1)),
            },
            "The plan cannot be endorsed before it was submitted",
        ),
        (date_fields("plan_due", datetime.date(2023, 4, 1)), "The plan cannot be due before the letter was published"),
        ({"theme": ""}, "Enter the theme of the inspection"),
        ({"inspectorates": ["ofsted", "fbi"]}, "Select inspectorates from the list"),
    ],
)
def test_bad_inspection_dates_and_fields_are_refused_clearly(manager_client, overrides, message):
    response = manager_client.post(reverse("setup:inspection_add"), inspection_data(**overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Add an inspection" in page
    assert "govuk-error-summary" in page
    assert message in page
    assert not Inspection.objects.filter(theme="Neglect").exists()


# Findings --------------------------------------------------------------------


def test_a_finding_is_numbered_after_the_last_of_its_kind(manager_client, inspection):
    FindingFactory(inspection=inspection, kind=Finding.Kind.AREA_FOR_IMPROVEMENT, number=4)
    FindingFactory(inspection=inspection, kind=Finding.Kind.STRENGTH, number=9)
    page = manager_client.get(reverse("setup:finding_add", args=[inspection.pk])).content.decode()
    assert "area for improvement 5" in page and "strength 10" in page
    assert "---------" not in page  # a kind must be chosen: no blank radio
    response = manager_client.post(
        reverse("setup:finding_add", args=[inspection.pk]),
        {"kind": "improvement", "number": "", "text": "Return home interviews are not timely.", "case_study": ""},
    )
    assert response.status_code == 302
    assert Finding.objects.get(text__startswith="Return home").number == 5


def test_a_finding_number_already_used_is_refused(manager_client, inspection):
    FindingFactory(inspection=inspection, kind=Finding.Kind.AREA_FOR_IMPROVEMENT, number=4)
    response = manager_client.post(
        reverse("setup:finding_add", args=[inspection.pk]),
        {"kind": "improvement", "number": "4", "text": "Duplicate", "case_study": ""},
    )
    assert "Area for improvement 4 already exists" in response.content.decode()
    response = manager_client.post(
        reverse("setup:finding_add", args=[inspection.pk]),
        {"kind": "improvement", "number": "four", "text": "Words", "case_study": ""},
    )
    assert "The number must be a whole number, like 3" in response.content.decode()


def test_manager_edits_a_finding(manager_client, inspection):
    finding = FindingFactory(inspection=inspection, number=2)
    response = manager_client.post(
        reverse("setup:finding_edit", args=[finding.pk]),
        {
            "kind": "priority",
            "number": "1",
            "text": "The front door",
            "case_study": "Child A",
            "version": finding.version,
        },
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.kind, finding.number, finding.text, finding.case_study) == (
        "priority",
        1,
        "The front door",
        "Child A",
    )


LETTER = """
• Strategic leaders should ensure that the
  quality of return home interviews is consistently good.
• The MASH should receive referrals in one format.
•Health partners should share information promptly.
"""


def paste(client, inspection, step, text=LETTER, kind="improvement", **extra):
    return client.post(
        reverse("setup:findings_paste", args=[inspection.pk]), {"step": step, "kind": kind, "text": text, **extra}
    )


def test_paste_preview_creates_nothing_until_confirmed(manager_client, inspection):
    FindingFactory(inspection=inspection, kind=Finding.Kind.AREA_FOR_IMPROVEMENT, number=14)
    response = paste(manager_client, inspection, "preview")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Check the 3 findings to add" in page
    assert "3 areas for improvement will be added, numbered 15 to 17" in page
    assert "Strategic leaders should ensure that the quality of return home interviews is consistently good." in page
    assert "Confirm and add" in page and ">Change<" in page
    assert Finding.objects.filter(inspection=inspection).count() == 1

    response = paste(manager_client, inspection, "confirm", first_number="15")
    assert response.status_code == 302
    added = list(Finding.objects.filter(inspection=inspection, number__gte=15).order_by("number"))
    assert [f.number for f in added] == [15, 16, 17]
    assert (
        added[0].text
        == "Strategic leaders should ensure that the quality of return home interviews is consistently good."
    )
    assert added[2].text == "Health partners should share information promptly."
    assert {f.kind for f in added} == {"improvement"}
    message = manager_client.get(response["Location"]).content.decode()
    assert "3 areas for improvement added, numbered 15 to 17." in message


def test_change_goes_back_to_the_pasted_text(manager_client, inspection):
    response = paste(manager_client, inspection, "change")
    page = response.content.decode()
    assert "<title>Paste findings from the letter" in page
    assert "The MASH should receive referrals in one format." in page
    assert "There is a problem" not in page
    assert not Finding.objects.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- One\n- Two\n- Three", ["One", "Two", "Three"]),
        ("* One\n* Two", ["One", "Two"]),
        ("1. One\n2. Two\n10. Ten", ["One", "Two", "Ten"]),
        ("1) One\n2) Two", ["One", "Two"]),
        ("One line\n\nAnother line\n", ["One line", "Another line"]),
        (
            "• Leaders should\nmake sure that\n\n  plans last.\n• Second",
            ["Leaders should make sure that plans last.", "Second"],
        ),
        ("Areas for improvement:\n1. First\n2. Second", ["Areas for improvement:", "First", "Second"]),
        ("1.\nText on the next line\n2. Two", ["Text on the next line", "Two"]),
        ("3.2 million children\n", ["3.2 million children"]),
        ("-\n•\n", []),
    ],
)
def test_pasted_lists_split_on_bullets_and_numbers_and_join_continuations(text, expected):
    assert services.findings_parse(text) == expected


def test_paste_with_nothing_in_it_is_refused(manager_client, inspection):
    response = paste(manager_client, inspection, "preview", text="  \n - \n")
    page = response.content.decode()
    assert "<title>Error: Paste findings" in page
    assert "Paste the findings from the letter" in page


def test_confirming_a_stale_preview_adds_nothing_and_shows_the_new_numbers(manager_client, inspection, manager):
    paste(manager_client, inspection, "preview")
    FindingFactory(inspection=inspection, kind=Finding.Kind.AREA_FOR_IMPROVEMENT, number=1)  # someone else
    response = paste(manager_client, inspection, "confirm", first_number="1")
    page = response.content.decode()
    assert "Someone added findings while you were checking" in page
    assert "numbered 2 to 4" in page
    assert Finding.objects.filter(inspection=inspection).count() == 1


def test_paste_is_all_or_nothing(manager_client, inspection, monkeypatch):
    real_save = Finding.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Finding, "save", failing_save)
    with pytest.raises(RuntimeError):
        services.findings_paste(
            inspection=inspection,
            by=PersonFactory(partnership=inspection.partnership),
            kind="strength",
            texts=["a", "b"],
        )
    monkeypatch.undo()
    assert not Finding.objects.exists()


# Actions ---------------------------------------------------------------------


def action_data(lead, **overrides):
    data = {
        "reference": "2.1",
        "description": "Relaunch the multi-agency referral form.",
        "areas": [],
        "lead": lead.pk,
        "lead_agency": lead.agency.pk,
        "supporting_agencies": [],
        **date_fields("target_date", datetime.date(2020, 3, 31)),
        "measure_of_success": "Audit shows 90% of referrals use the form.",
        "sustainability_plan": "",
    }
    data.update(overrides)
    return data


def test_manager_adds_an_action_with_areas_lead_and_supporting_agencies(manager_client, plan, inspection, partnership):
    area = FindingFactory(inspection=inspection, number=2, text="Referrals arrive in many formats")
    FindingFactory(inspection=inspection, kind=Finding.Kind.STRENGTH, number=1, text="Strong partnership")
    lead = PersonFactory(partnership=partnership)
    police = AgencyFactory(partnership=partnership, name="Northumbria Police")
    page = manager_client.get(reverse("setup:action_add", args=[plan.pk])).content.decode()
    assert "Area for improvement 2: Referrals arrive in many formats" in page
    assert "Strong partnership" not in page  # strengths need no action

    response = manager_client.post(
        reverse("setup:action_add", args=[plan.pk]),
        action_data(lead, areas=[area.pk], supporting_agencies=[police.pk]),
    )
    assert response.status_code == 302
    added = Action.objects.get(reference="2.1")
    assert list(added.areas.all()) == [area]
    assert list(added.supporting_agencies.all()) == [police]
    assert added.lead == lead and added.target_date == datetime.date(2020, 3, 31)
    assert added.position > Action.objects.exclude(pk=added.pk).get().position  # placed last


def test_action_form_refuses_duplicates_and_other_partnerships_people(
    manager_client, action, plan, other_partnership_action
):
    response = manager_client.post(
        reverse("setup:action_add", args=[plan.pk]), action_data(action.lead, reference=action.reference)
    )
    assert f"This plan already has an action {action.reference}" in response.content.decode()
    outsider = other_partnership_action.lead
    response = manager_client.post(reverse("setup:action_add", args=[plan.pk]), action_data(outsider))
    page = response.content.decode()
    assert "Choose an active person in your partnership" in page
    assert "Choose one of your partnership&#x27;s agencies" in page
    response = manager_client.post(
        reverse("setup:action_add", args=[plan.pk]), action_data(action.lead, **blank_date("target_date"))
    )
    assert "Enter the target date" in response.content.decode()
    assert Action.objects.filter(plan=plan).count() == 1


def test_inactive_people_are_not_offered_as_leads(manager_client, plan, partnership):
    gone = PersonFactory(partnership=partnership)
    gone.user.is_active = False
    gone.user.save()
    page = manager_client.get(reverse("setup:action_add", args=[plan.pk])).content.decode()
    assert gone.name not in page


def test_manager_edits_an_action(manager_client, action):
    response = manager_client.post(
        reverse("setup:action_edit", args=[action.pk]),
        action_data(action.lead, reference="4.1", description="Review the MASH front door.", version=action.version),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.reference, action.description) == ("4.1", "Review the MASH front door.")


@pytest.fixture
def three_actions(action):
    second = ActionFactory(plan=action.plan, reference="B", position=0)
    third = ActionFactory(plan=action.plan, reference="C", position=0)
    action.reference, action.position = "A", 0
    action.save()
    return [action, second, third]


def plan_order(plan):
    return list(Action.objects.filter(plan=plan).order_by("position", "id").values_list("reference", flat=True))


def test_actions_move_up_and_down(manager_client, three_actions, plan):
    first, _, third = three_actions
    assert plan_order(plan) == ["A", "B", "C"]
    response = manager_client.post(reverse("setup:action_move", args=[third.pk]), {"direction": "up"})
    assert response["Location"].endswith(f"#action-{third.pk}")
    assert plan_order(plan) == ["A", "C", "B"]
    manager_client.post(reverse("setup:action_move", args=[first.pk]), {"direction": "down"})
    assert plan_order(plan) == ["C", "A", "B"]
    manager_client.post(reverse("setup:action_move", args=[third.pk]), {"direction": "up"})  # already first
    manager_client.post(reverse("setup:action_move", args=[first.pk]), {"direction": "sideways"})
    assert plan_order(plan) == ["C", "A", "B"]

    page = manager_client.get(reverse("setup:plan", args=[plan.pk])).content.decode()
    assert page.count(">Move up<") == 2 and page.count(">Move down<") == 2


def test_renumber_sets_references_from_areas_and_order(manager_client, three_actions, plan, inspection):
    first, _, third = three_actions
    area3 = FindingFactory(inspection=inspection, number=3)
    priority1 = FindingFactory(inspection=inspection, kind=Finding.Kind.PRIORITY_ACTION, number=1)
    fourth = ActionFactory(plan=plan, reference="D", position=5)
    ActionFactory(plan=plan, reference="E", position=6)
    first.areas.add(area3)
    third.areas.add(area3)
    fourth.areas.add(priority1)
    # the second and the fifth answer no area
    response = manager_client.post(reverse("setup:actions_renumber", args=[plan.pk]), follow=True)
    assert "5 references changed" in response.content.decode()
    assert plan_order(plan) == ["3.1", "0.1", "3.2", "P1.1", "0.2"]

    # Swapping two actions and renumbering swaps their references without a clash.
    manager_client.post(reverse("setup:action_move", args=[third.pk]), {"direction": "up"})
    manager_client.post(reverse("setup:action_move", args=[third.pk]), {"direction": "up"})
    manager_client.post(reverse("setup:actions_renumber", args=[plan.pk]))
    assert plan_order(plan) == ["3.1", "3.2", "0.1", "P1.1", "0.2"]
    first.refresh_from_db()
    assert first.reference == "3.2"
    assert [h.reference for h in first.history.all()[:2]] == ["3.2", "3.1"]  # no placeholder left in history


def test_renumber_is_all_or_nothing(three_actions, plan, manager, monkeypatch):
    calls = []
    real_save = Action.save

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Action, "save", failing_save)
    with pytest.raises(RuntimeError):
        action_services.actions_renumber(plan=plan, by=manager)
    monkeypatch.undo()
    assert plan_order(plan) == ["A", "B", "C"]


# Monitoring rounds -----------------------------------------------------------


def round_data(**overrides):
    data = {
        "label": "Q1 2021/22",
        **date_fields("period_end", datetime.date(2021, 6, 30)),
        **date_fields("update_deadline", datetime.date(2021, 7, 14)),
        "cadence": MonitoringRound.Cadence.QUARTERLY,
    }
    data.update(overrides)
    return data


def test_manager_creates_a_draft_round_then_sees_how_to_open_it(manager_client, plan):
    response = manager_client.post(reverse("setup:round_add", args=[plan.pk]), round_data())
    monitoring_round = MonitoringRound.objects.get(label="Q1 2021/22")
    assert response["Location"] == reverse("actions:round", args=[monitoring_round.pk])
    assert monitoring_round.state == MonitoringRound.State.DRAFT
    assert monitoring_round.plan == plan
    page = manager_client.get(response["Location"]).content.decode()
    assert "Open the round for updates" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            date_fields("update_deadline", datetime.date(2021, 8, 30)),
            "The update deadline must be no more than 60 days after the period ends",
        ),
        ({"label": ""}, "Enter a name for the round"),
        ({"label": "may 2020"}, "This plan already has a round called may 2020"),
        (date_fields("period_end", datetime.date(2020, 5, 31)), "already has a round for a period ending on this date"),
        (blank_date("update_deadline"), "Enter the update deadline"),
    ],
)
def test_bad_round_is_refused_clearly(manager_client, plan, overrides, message):
    from tests.factories import MonitoringRoundFactory

    MonitoringRoundFactory(plan=plan, label="May 2020", period_end=datetime.date(2020, 5, 31))
    response = manager_client.post(reverse("setup:round_add", args=[plan.pk]), round_data(**overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Add a monitoring round" in page
    assert message in page
    assert MonitoringRound.objects.filter(plan=plan).count() == 1


def test_deadline_sixty_days_after_the_period_is_allowed(manager_client, plan):
    data = round_data(**date_fields("update_deadline", datetime.date(2021, 8, 29)))
    assert manager_client.post(reverse("setup:round_add", args=[plan.pk]), data).status_code == 302


# Quadrant wording ------------------------------------------------------------


def test_quadrant_wording_is_prefilled_and_saved_for_all_five(manager_client, partnership, other_partnership_action):
    page = manager_client.get(reverse("setup:quadrant_wording")).content.decode()
    assert DEFAULT_WORDING[Quadrant.AMBER][1] in page
    data = {}
    for quadrant in Quadrant.values:
        label, description = DEFAULT_WORDING[quadrant]
        data[f"{quadrant}_label"] = label
        data[f"{quadrant}_description"] = description
    data["complete_label"] = "Blue"
    data["red_description"] = "Off track"
    response = manager_client.post(reverse("setup:quadrant_wording"), data)
    assert response.status_code == 302
    assert QuadrantWording.objects.for_partnership(partnership).count() == 5
    scale = scale_for(partnership.pk)
    assert scale["complete"].label == "Blue"
    assert scale["red"].description == "Off track"
    other = other_partnership_action.plan.inspection.partnership_id
    assert scale_for(other)["complete"].label == DEFAULT_WORDING[Quadrant.COMPLETE][0]


def test_quadrant_wording_needs_every_label(manager_client):
    response = manager_client.post(reverse("setup:quadrant_wording"), {"green_label": ""})
    page = response.content.decode()
    assert "<title>Error: Quadrant wording" in page
    assert "Enter a label for the green quadrant" in page
    assert not QuadrantWording.objects.exists()


# Impact measures -------------------------------------------------------------


def measure_data(**overrides):
    data = {
        "name": "Cases audited with a safeguarding risk assessment",
        "description": "",
        "unit": "percent",
        "baseline": "30",
        "target": "90",
        "higher_is_better": "True",
    }
    data.update(overrides)
    return data


def test_manager_adds_and_edits_an_impact_measure(manager_client, plan):
    response = manager_client.post(reverse("setup:measure_add", args=[plan.pk]), measure_data())
    assert response.status_code == 302
    measure = ImpactMeasure.objects.get()
    assert (measure.plan, measure.baseline, measure.target, measure.higher_is_better) == (plan, 30, 90, True)
    manager_client.post(
        reverse("setup:measure_edit", args=[measure.pk]),
        measure_data(unit="count", baseline="12", target="3", higher_is_better="False", version=measure.version),
    )
    measure.refresh_from_db()
    assert (measure.unit, measure.higher_is_better) == ("count", False)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"target": "101"}, "A percentage must be between 0 and 100"),
        ({"baseline": "-5"}, "A percentage must be between 0 and 100"),
        ({"baseline": "lots"}, "Baseline must be a number, like 42 or 42.5"),
        ({"name": ""}, "Enter the measure&#x27;s name"),
    ],
)
def test_bad_impact_measure_is_refused_clearly(manager_client, plan, overrides, message):
    response = manager_client.post(reverse("setup:measure_add", args=[plan.pk]), measure_data(**overrides))
    page = response.content.decode()
    assert "<title>Error: Add an impact measure" in page
    assert message in page
    assert not ImpactMeasure.objects.exists()


def test_manager_records_impact_values_percentages_within_0_and_100(manager_client, plan):
    measure = ImpactMeasureFactory(plan=plan)
    url = reverse("setup:value_add", args=[measure.pk])
    data = {"period_label": "Q4 2022/23", **date_fields("period_end", datetime.date(2023, 3, 31)), "note": ""}
    response = manager_client.post(url, {**data, "value": "120"})
    assert "A percentage must be between 0 and 100" in response.content.decode()
    response = manager_client.post(url, {**data, "value": ""})
    assert "Enter the value" in response.content.decode()
    assert manager_client.post(url, {**data, "value": "90"}).status_code == 302
    assert ImpactValue.objects.get().value == 90
    response = manager_client.post(url, {**data, "value": "91"})
    assert "A value for a period ending on this date is already recorded" in response.content.decode()

    count = ImpactMeasureFactory(plan=plan, unit="count", baseline=None, target=None)
    response = manager_client.post(reverse("setup:value_add", args=[count.pk]), {**data, "value": "150"})
    assert response.status_code == 302


def test_a_measure_with_values_over_100_cannot_become_a_percentage(manager_client, plan):
    measure = ImpactMeasureFactory(plan=plan, unit="count", baseline=None, target=None)
    ImpactValueFactory(measure=measure, value=150)
    response = manager_client.post(
        reverse("setup:measure_edit", args=[measure.pk]), measure_data(baseline="", target="", version=measure.version)
    )
    assert "Some recorded values are not between 0 and 100" in response.content.decode()
    measure.refresh_from_db()
    assert measure.unit == "count"


# Permissions -----------------------------------------------------------------

#: Every set-up URL and the object (if any) it is for.
SETUP_URLS = [
    ("setup:home", None),
    ("setup:partnership_edit", None),
    ("setup:agencies", None),
    ("setup:agency_add", None),
    ("setup:agency_edit", "agency"),
    ("setup:agency_active", "agency"),
    ("setup:people", None),
    ("setup:person_add", None),
    ("setup:person_added", "person"),
    ("setup:person_edit", "person"),
    ("setup:person_deactivate", "person"),
    ("setup:person_reactivate", "person"),
    ("setup:person_password", "person"),
    ("setup:person_second_factor_reset", "person"),
    ("setup:person_sign_out", "person"),
    ("setup:person_invite", "person"),
    ("setup:person_invitation_revoke", "person"),
    ("setup:inspection_add", None),
    ("setup:inspection", "inspection"),
    ("setup:inspection_edit", "inspection"),
    ("setup:finding_add", "inspection"),
    ("setup:findings_paste", "inspection"),
    ("setup:finding_edit", "finding"),
    ("setup:plan", "plan"),
    ("setup:action_add", "plan"),
    ("setup:actions_renumber", "plan"),
    ("setup:round_add", "plan"),
    ("setup:measure_add", "plan"),
    ("setup:action_edit", "action"),
    ("setup:action_move", "action"),
    ("setup:action_withdraw", "action"),
    ("setup:measure_edit", "measure"),
    ("setup:value_add", "measure"),
    ("setup:quadrant_wording", None),
]
OBJECT_URLS = [(name, kind) for name, kind in SETUP_URLS if kind]


def test_every_setup_url_is_in_the_permission_checks():
    setup = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "setup")
    assert {f"setup:{p.name}" for p in setup.url_patterns} == {name for name, _ in SETUP_URLS}


@pytest.fixture
def setup_objects(action):
    plan = action.plan
    return {
        "agency": action.lead_agency,
        "person": action.lead,
        "inspection": plan.inspection,
        "finding": FindingFactory(inspection=plan.inspection),
        "plan": plan,
        "action": action,
        "measure": ImpactMeasureFactory(plan=plan),
    }


def setup_url(name, kind, objects):
    return reverse(name, args=[objects[kind].pk]) if kind else reverse(name)


@pytest.mark.parametrize(("name", "kind"), SETUP_URLS)
def test_only_the_manager_may_set_up(client, make_person, setup_objects, name, kind):
    url = setup_url(name, kind, setup_objects)
    for role in (Person.Role.LEAD, Person.Role.CHAIR, Person.Role.OFFICER, Person.Role.VIEWER):
        client.force_login(make_person(role=role).user)
        assert client.get(url).status_code == 403, role
        sneaky = {"name": "Sneaky", "active": "0", "direction": "up", "step": "confirm", "reassign_to": ""}
        assert client.post(url, sneaky).status_code == 403, role
    setup_objects["agency"].refresh_from_db()
    assert setup_objects["agency"].active
    assert setup_objects["person"].user.is_active


@pytest.mark.parametrize(("name", "kind"), OBJECT_URLS)
def test_another_partnerships_manager_gets_not_found(client, setup_objects, other_partnership_action, name, kind):
    url = setup_url(name, kind, setup_objects)
    # Another partnership's rows are a 404 for everyone there, managers or not: never a 403 that confirms they exist.
    for role in (Person.Role.MANAGER, Person.Role.LEAD):
        outsider = PersonFactory(partnership=other_partnership_action.plan.inspection.partnership, role=role)
        client.force_login(outsider.user)
        assert client.get(url).status_code == 404, role
        assert client.post(url, {"active": "0", "direction": "up"}).status_code == 404, role
    setup_objects["agency"].refresh_from_db()
    assert setup_objects["agency"].active


@pytest.mark.parametrize(("name", "kind"), SETUP_URLS)
def test_nonsense_input_never_breaks_a_setup_page(manager_client, setup_objects, name, kind):
    url = setup_url(name, kind, setup_objects)
    junk = {
        "name": "x" * 500,
        "kind": "<script>",
        "number": "-1",
        "fieldwork_start_0": "99",
        "fieldwork_start_1": "99",
        "fieldwork_start_2": "99999",
        "target_date_0": "",
        "target_date_1": "2",
        "target_date_2": "2020",
        "lead": "999999",
        "areas": ["abc"],
        "value": "1e400",
        "baseline": "NaN",
        "reassign_to": "x",
        "step": "confirm",
        "first_number": "x",
        "text": "- a",
        "direction": "up",
        "active": "2",
        "higher_is_better": "maybe",
    }
    response = manager_client.post(url, junk)
    assert response.status_code in (200, 302)
    if response.status_code == 200 and "<form" in response.content.decode():
        assert response.content.decode().count("Error: ") <= 2  # in the title and nowhere as a server error


# History and query counts ----------------------------------------------------


def test_changes_through_setup_forms_record_the_manager(manager_client, manager, action):
    agency = action.lead_agency
    manager_client.post(
        reverse("setup:agency_edit", args=[agency.pk]),
        {"name": "Renamed Council", "short_name": "", "kind": "council", "version": agency.version},
    )
    latest = agency.history.first()
    assert latest.name == "Renamed Council"
    assert latest.history_user == manager.user

    manager_client.post(reverse("setup:person_deactivate", args=[action.lead.pk]), {"reassign_to": manager.pk})
    assert action.history.first().history_user == manager.user
    assert action.history.first().lead_id == manager.pk


def test_plan_and_people_pages_take_the_same_queries_however_many_rows(
    manager_client, action, plan, partnership, sessions_written_once
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(url).status_code == 200
        return len(captured)

    urls = [reverse("setup:plan", args=[plan.pk]), reverse("setup:people"), reverse("setup:agencies")]
    manager_client.get(urls[0])
    few = [count(url) for url in urls]
    for _ in range(10):
        extra = ActionFactory(plan=plan)
        extra.areas.add(FindingFactory(inspection=plan.inspection))
        AgencyFactory(partnership=partnership)
    assert [count(url) for url in urls] == few


def test_no_setup_page_is_open_to_people_without_a_partnership(client):
    user = get_user_model().objects.create_user("support", password="Long-enough-password-1")
    client.force_login(user)
    assert client.get(reverse("setup:home")).status_code == 403


def test_manager_gives_a_forgetful_person_a_new_temporary_password(manager_client, manager, make_person, client):
    from django.test import Client

    member = make_person(role=Person.Role.LEAD)
    their_browser = Client()
    their_browser.force_login(member.user)
    response = manager_client.post(reverse("setup:person_password", args=[member.pk]))
    assert response.status_code == 302
    page = manager_client.get(response["Location"]).content.decode()
    assert f"New temporary password for {member.name}" in page
    password = re.search(r"([A-Za-z0-9]{4}-){3}[A-Za-z0-9]{4}", page).group(0)
    member.user.refresh_from_db()
    assert member.user.check_password(password)
    assert their_browser.get("/").status_code == 302  # signed out everywhere
    assert password not in manager_client.get(response["Location"]).content.decode()  # shown once
    assert member.history.first().history_user == manager.user


def test_manager_cannot_reset_their_own_password_here(manager_client, manager):
    response = manager_client.post(reverse("setup:person_password", args=[manager.pk]), follow=True)
    assert "Change your own password from the navigation bar" in response.content.decode()


def test_an_email_address_taken_by_someone_else_is_refused_on_the_edit_page(manager_client, action, manager):
    manager.user.email = "manager@example.org"
    manager.user.save()
    lead = action.lead
    data = {"agency": lead.agency_id, "role": lead.role, "job_title": "", "version": lead.version}
    response = manager_client.post(
        reverse("setup:person_edit", args=[lead.pk]), {**data, "email": "MANAGER@example.org"}
    )
    assert "Someone already has an account with this email address" in response.content.decode()
    lead.user.refresh_from_db()
    assert lead.user.email != "MANAGER@example.org"
