"""A new partnership's manager sees what is left to set up (the GOV.UK task list) on their home page until
everything is done, and always on the set-up landing page; nobody else ever sees it. The statuses are decided
in one place (setup.tasks.setup_tasks), in a fixed number of queries."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from actions.models import MonitoringRound
from inspections import services as inspection_services
from inspections.models import Finding, Partnership
from people.models import Person
from setup.tasks import setup_tasks
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgencyFactory,
    FindingFactory,
    InspectionFactory,
    MonitoringRoundFactory,
    PartnershipFactory,
    PersonFactory,
)
from tests.second_factor import signed_in_just_now

pytestmark = pytest.mark.django_db

#: setup_tasks reads the partnership's agencies, its people and its inspections (with their plans), once each.
SETUP_TASKS_QUERIES = 3

NAMES = [
    "Partnership details",
    "Agencies",
    "People",
    "Inspection and findings",
    "Plan: import or add actions",
    "First monitoring round",
]


def _text(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def task_list(page):
    """Each task on the page as (name, status, link or None); None if the page has no task list."""
    if 'class="govuk-task-list"' not in page:
        return None
    items = re.findall(r'<li class="govuk-task-list__item[^"]*">(.*?)</li>', page, re.S)
    tasks = []
    for item in items:
        name_and_hint, status = re.search(
            r'<div class="govuk-task-list__name-and-hint">(.*?)</div>\s*<div class="govuk-task-list__status[^"]*"'
            r"[^>]*>(.*?)</div>",
            item,
            re.S,
        ).groups()
        link = re.search(r'<a class="govuk-link govuk-task-list__link" href="([^"]+)"', name_and_hint)
        name = re.search(r"<(?:a|div)[^>]*>(.*?)</(?:a|div)>", name_and_hint, re.S).group(1)
        tasks.append((_text(name), _text(status), link.group(1) if link else None))
    return tasks


def statuses(page):
    return {name: status for name, status, _ in task_list(page)}


def links(page):
    return {name: link for name, _, link in task_list(page)}


@pytest.fixture
def new_partnership():
    """A partnership as support creates it: a name and its council, and its first manager (and their agency)."""
    return PartnershipFactory(name="Tynedale Safeguarding Children Partnership", local_authority="Tynedale Council")


@pytest.fixture
def new_manager(new_partnership):
    return PersonFactory(partnership=new_partnership, role=Person.Role.MANAGER)


@pytest.fixture
def new_manager_client(client, new_manager):
    signed_in_just_now(client, new_manager.user)
    return client


def test_a_brand_new_partnership_shows_its_manager_nothing_done(new_manager_client, new_partnership):
    page = new_manager_client.get("/").content.decode()
    assert "Set up your partnership" in page
    assert "0 of 6 tasks completed" in page
    tasks = task_list(page)
    assert [name for name, _, _ in tasks] == NAMES
    assert statuses(page) == {
        "Partnership details": "Not started",
        "Agencies": "In progress",  # the manager's own agency
        "People": "Not started",
        "Inspection and findings": "Not started",
        "Plan: import or add actions": "Cannot start yet",
        "First monitoring round": "Cannot start yet",
    }
    assert links(page) == {
        "Partnership details": reverse("setup:partnership_edit"),
        "Agencies": reverse("setup:agencies"),
        "People": reverse("setup:people"),
        "Inspection and findings": reverse("setup:inspection_add"),
        "Plan: import or add actions": None,
        "First monitoring round": None,
    }
    # The component's own markup: a tag for what is to do, grey text for what cannot start yet.
    assert '<strong class="govuk-tag govuk-tag--blue">Not started</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--light-blue">In progress</strong>' in page
    assert "govuk-task-list__status--cannot-start-yet" in page
    # Each link is described by its hint and its status.
    assert 'aria-describedby="setup-task-1-hint setup-task-1-status"' in page
    # The set-up landing page shows the same list.
    landing = new_manager_client.get(reverse("setup:home")).content.decode()
    assert task_list(landing) == tasks and "0 of 6 tasks completed" in landing


def test_each_step_of_set_up_flips_its_status(new_manager_client, new_partnership, new_manager):
    client = new_manager_client

    # 1. Partnership details.
    response = client.post(
        reverse("setup:partnership_edit"),
        {"local_authority": "Tynedale Council", "board_name": "Tynedale Safeguarding Committee", "version": "1"},
    )
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert statuses(page)["Partnership details"] == "Completed"
    assert "1 of 6 tasks completed" in page

    # 2. Agencies: a second active agency.
    client.post(reverse("setup:agency_add"), {"name": "Northumbria Police", "short_name": "", "kind": "police"})
    page = client.get("/").content.decode()
    assert statuses(page)["Agencies"] == "Completed"

    # 3. People: invited is in progress; someone who can sign in completes it.
    police = new_partnership.agencies.get(name="Northumbria Police")
    client.post(
        reverse("setup:person_add"),
        {
            "first_name": "Priya",
            "last_name": "Shah",
            "email": "priya.shah@example.org",
            "username": "",
            "agency": police.pk,
            "role": Person.Role.CHAIR,
            "job_title": "Detective Superintendent",
        },
    )
    page = client.get("/").content.decode()
    assert statuses(page)["People"] == "In progress"
    chair = Person.objects.get(user__last_name="Shah")
    client.post(reverse("setup:person_password", args=[chair.pk]))
    page = client.get("/").content.decode()
    assert statuses(page)["People"] == "Completed"
    assert "3 of 6 tasks completed" in page

    # 4. An inspection without findings is in progress; an area for improvement completes it.
    inspection = InspectionFactory(partnership=new_partnership)
    page = client.get("/").content.decode()
    assert statuses(page)["Inspection and findings"] == "In progress"
    assert links(page)["Inspection and findings"] == reverse("setup:inspection", args=[inspection.pk])
    assert links(page)["Plan: import or add actions"] == reverse("setup:inspection_edit", args=[inspection.pk])
    FindingFactory(inspection=inspection, kind=Finding.Kind.STRENGTH)
    assert statuses(client.get("/").content.decode())["Inspection and findings"] == "In progress"
    client.post(
        reverse("setup:finding_add", args=[inspection.pk]),
        {"kind": "improvement", "number": "", "text": "Return home interviews are not timely.", "case_study": ""},
    )
    page = client.get("/").content.decode()
    assert statuses(page)["Inspection and findings"] == "Completed"

    # 5. The plan: not started while it has no actions, and the round cannot start yet.
    plan = ActionPlanFactory(inspection=inspection)
    page = client.get("/").content.decode()
    assert statuses(page)["Plan: import or add actions"] == "Not started"
    assert links(page)["Plan: import or add actions"] == reverse("setup:plan", args=[plan.pk])
    assert statuses(page)["First monitoring round"] == "Cannot start yet"
    plan_page = client.get(links(page)["Plan: import or add actions"]).content.decode()
    assert "Import actions" in plan_page
    ActionFactory(plan=plan, lead=chair, lead_agency=police)
    page = client.get("/").content.decode()
    assert statuses(page)["Plan: import or add actions"] == "Completed"
    assert statuses(page)["First monitoring round"] == "Not started"
    assert links(page)["First monitoring round"] == reverse("setup:round_add", args=[plan.pk])
    assert "5 of 6 tasks completed" in page

    # 6. The first round, through its page: set-up is done, and the home shows as it always has.
    client.post(
        reverse("setup:round_add", args=[plan.pk]),
        {
            "label": "Q1 2021/22",
            "period_end_0": "30",
            "period_end_1": "6",
            "period_end_2": "2021",
            "update_deadline_0": "14",
            "update_deadline_1": "7",
            "update_deadline_2": "2021",
            "cadence": MonitoringRound.Cadence.QUARTERLY,
        },
    )
    assert MonitoringRound.objects.filter(plan=plan).exists()
    page = client.get("/").content.decode()
    assert task_list(page) is None and "Set up your partnership" not in page
    assert plan.title in page  # the plan's summary, as before
    # The set-up landing page keeps the list, every task completed, so its pages stay a click away.
    landing = client.get(reverse("setup:home")).content.decode()
    assert "6 of 6 tasks completed" in landing
    assert set(statuses(landing).values()) == {"Completed"}


def test_a_second_inspection_does_not_undo_set_up(new_partnership):
    plan = ActionPlanFactory(inspection=InspectionFactory(partnership=new_partnership))
    FindingFactory(inspection=plan.inspection)
    ActionFactory(plan=plan)
    MonitoringRoundFactory(plan=plan)
    InspectionFactory(
        partnership=new_partnership, fieldwork_start=datetime.date(2024, 1, 8), fieldwork_end=datetime.date(2024, 1, 12)
    )
    tasks = {task.name: task for task in setup_tasks(new_partnership)}
    for name in NAMES[3:]:
        assert tasks[name].is_completed, name
    assert tasks["Inspection and findings"].url == reverse("setup:inspection", args=[plan.inspection.pk])


def test_a_withdrawn_action_alone_does_not_make_a_plan(new_partnership):
    plan = ActionPlanFactory(inspection=InspectionFactory(partnership=new_partnership))
    ActionFactory(plan=plan, withdrawn_on=datetime.date(2021, 1, 4), withdrawn_reason="Merged")
    tasks = {task.name: task for task in setup_tasks(new_partnership)}
    assert str(tasks["Plan: import or add actions"].status) == "Not started"
    assert str(tasks["First monitoring round"].status) == "Cannot start yet"


def test_others_never_see_the_task_list(client, new_partnership, new_manager):
    police = AgencyFactory(partnership=new_partnership, name="Police")
    for role in (Person.Role.LEAD, Person.Role.CHAIR, Person.Role.OFFICER, Person.Role.VIEWER):
        other = PersonFactory(partnership=new_partnership, agency=police, role=role)
        client.force_login(other.user)
        page = client.get("/").content.decode()
        assert task_list(page) is None and "Set up your partnership" not in page, role
        assert client.get(reverse("setup:home")).status_code == 403
        assert client.get(reverse("setup:partnership_edit")).status_code == 403


def test_the_demo_partnerships_are_set_up(client, demo):
    for partnership in Partnership.objects.all():
        assert setup_tasks(partnership).all_completed, partnership
    manager = Person.objects.get(partnership=demo, role=Person.Role.MANAGER)
    client.force_login(manager.user)
    page = client.get("/").content.decode()
    assert "Set up your partnership" not in page and reverse("setup:partnership_edit") not in page
    lead = Person.objects.filter(partnership=demo, role=Person.Role.LEAD).first()
    client.force_login(lead.user)
    assert "Set up your partnership" not in client.get("/").content.decode()


def _full(partnership, size):
    """A partnership with ``size`` of everything: agencies, people, inspections with findings, actions, rounds."""
    for _ in range(size):
        agency = AgencyFactory(partnership=partnership)
        PersonFactory(partnership=partnership, agency=agency)
        inspection = InspectionFactory(partnership=partnership)
        FindingFactory(inspection=inspection)
        plan = ActionPlanFactory(inspection=inspection)
        ActionFactory(plan=plan)
        MonitoringRoundFactory(plan=plan)


def test_setup_tasks_reads_a_fixed_number_of_queries(django_assert_num_queries, new_partnership, new_manager):
    with django_assert_num_queries(SETUP_TASKS_QUERIES):
        assert setup_tasks(new_partnership).completed == 0
    _full(new_partnership, 4)
    new_partnership.board_name = "Tynedale Safeguarding Committee"
    with django_assert_num_queries(SETUP_TASKS_QUERIES):
        assert setup_tasks(new_partnership).all_completed


def test_the_home_page_takes_the_same_queries_however_far_set_up_has_gone(
    new_manager_client, new_partnership, new_manager, sessions_written_once
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counted():
        with CaptureQueriesContext(connection) as captured:
            assert "Set up your partnership" in new_manager_client.get(reverse("setup:home")).content.decode()
        return len(captured.captured_queries)

    def setup_queries():
        with CaptureQueriesContext(connection) as captured:
            setup_tasks(Partnership.objects.get(pk=new_partnership.pk))
        return len(captured.captured_queries) - 1  # less the partnership's own row

    assert setup_queries() == SETUP_TASKS_QUERIES
    counted()  # the first request writes the session
    empty = counted()
    _full(new_partnership, 3)
    assert setup_queries() == SETUP_TASKS_QUERIES
    assert counted() == empty


# The partnership's details -------------------------------------------------------


def test_manager_edits_the_partnership_details_but_not_its_name(new_manager_client, new_partnership):
    page = new_manager_client.get(reverse("setup:partnership_edit")).content.decode()
    assert 'name="local_authority"' in page and 'name="board_name"' in page and 'name="name"' not in page
    response = new_manager_client.post(
        reverse("setup:partnership_edit"),
        {"local_authority": " Tynedale  Council ", "board_name": "", "name": "Renamed", "version": "1"},
    )
    assert "Enter the board name" in response.content.decode()
    response = new_manager_client.post(
        reverse("setup:partnership_edit"),
        {"local_authority": "Tynedale Council", "board_name": "Tynedale  Committee", "name": "Renamed", "version": "1"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("setup:home")
    new_partnership.refresh_from_db()
    assert (new_partnership.name, new_partnership.board_name) == (
        "Tynedale Safeguarding Children Partnership",
        "Tynedale Committee",
    )
    assert new_partnership.version == 2
    assert new_partnership.history.first().history_user == new_partnership.people.get().user


def test_a_stale_partnership_edit_is_refused_not_lost(new_manager_client, new_partnership):
    inspection_services.partnership_update(
        partnership=new_partnership, by=None, fields={"board_name": "Their committee"}, expected_version=1
    )
    response = new_manager_client.post(
        reverse("setup:partnership_edit"),
        {"local_authority": "Tynedale Council", "board_name": "My committee", "version": "1"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Their committee" in page and "My committee" in page
    new_partnership.refresh_from_db()
    assert new_partnership.board_name == "Their committee"
    # Saving again, against the version now saved, goes through.
    response = new_manager_client.post(
        reverse("setup:partnership_edit"),
        {"local_authority": "Tynedale Council", "board_name": "My committee", "version": str(new_partnership.version)},
    )
    assert response.status_code == 302
    new_partnership.refresh_from_db()
    assert new_partnership.board_name == "My committee"
