"""A manager imports the sheet the partnership already keeps: areas by their words, leads by job title within
their agency, and the RAG column as the plan's opening round, so the board shows the plan's state on day one."""

import datetime
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, MonitoringRound, Update
from actions.quadrants import Quadrant
from inspections.models import Finding
from people.models import Person
from tests import partnership_sheet
from tests.factories import (
    ActionPlanFactory,
    AgencyFactory,
    FindingFactory,
    MonitoringRoundFactory,
    PersonFactory,
    UserFactory,
)
from tests.test_plan_import import choose_columns, confirm, preview_url, start, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path


@pytest.fixture
def plan(db):
    return ActionPlanFactory(title="Northumberland JTAI action plan")


@pytest.fixture
def findings(plan):
    return [
        FindingFactory(inspection=plan.inspection, number=n, text=text, kind=Finding.Kind.AREA_FOR_IMPROVEMENT)
        for n, text in enumerate(partnership_sheet.FINDINGS, start=1)
    ]


@pytest.fixture
def agencies(plan):
    partnership = plan.inspection.partnership
    made = {}
    for name, short, titles in partnership_sheet.AGENCIES:
        agency = made[short] = AgencyFactory(partnership=partnership, name=name, short_name=short)
        for n, title in enumerate(titles):
            user = UserFactory(first_name=f"{short.title()}{n}", last_name="Lead", email=f"{short}{n}@example.invalid")
            PersonFactory(user=user, partnership=partnership, agency=agency, role=Person.Role.LEAD, job_title=title)
    return made


@pytest.fixture
def manager_client(client, plan, agencies):
    manager = PersonFactory(partnership=plan.inspection.partnership, agency=agencies["NCC"], role=Person.Role.MANAGER)
    client.force_login(manager.user)
    return client


def test_the_partnerships_own_sheet_imports_and_the_board_shows_its_quadrants(
    manager_client, plan, findings, agencies, django_assert_max_num_queries
):
    upload(manager_client, plan, partnership_sheet.sheet_bytes())
    columns = manager_client.get(reverse("transfers:import_columns", args=[plan.pk])).context["form"].initial
    assert {key: int(index) for key, index in columns.items()} == {
        "reference": 0,
        "areas": 1,
        "description": 2,
        "lead": 3,
        "lead_agency": 4,
        "target_date": 5,
        "status": 6,
        "completed_on": 7,
        "latest_update": 8,
        "sustainability_plan": 9,
    }
    assert choose_columns(manager_client, plan).status_code == 302
    with django_assert_max_num_queries(30):
        response = manager_client.get(preview_url(plan))
    preview = response.context["preview"]
    expected = partnership_sheet.actions()
    assert [[area.number for area in row.areas] for row in preview.rows] == [[a.finding] for a in expected]

    # Named nurses in two trusts are two people; the ICB's designated doctor is offered as a new person.
    nurses = {row.lead for row in preview.rows if row.cells["lead"].text.startswith("Named Nurse")}
    assert {(nurse.agency.short_name, nurse.job_title) for nurse in nurses} == {
        ("NHCFT", "Named Nurse for Safeguarding Children"),
        ("CNTW", "Named Nurse for Safeguarding Children"),
    }
    (new_lead,) = preview.unknown_leads
    assert (new_lead.name, new_lead.agency_name, new_lead.job_title) == (*partnership_sheet.NEW_LEAD, True)
    page = response.content.decode()
    assert "Create lead &#x27;Designated Doctor for Safeguarding Children&#x27; (job title, ICB)" in page
    assert "Nhcft0 Lead, NHCFT" in page  # who the cell matched, not an email
    assert "@example.invalid" not in page
    assert response.context["fixable"]

    response = confirm(manager_client, plan, create_leads=[new_lead.key])
    assert response.status_code == 302, [row.problems for row in response.context["preview"].problem_rows]

    doctor = Person.objects.get(job_title="Designated Doctor for Safeguarding Children")
    assert (doctor.agency, doctor.name, doctor.user.get_full_name()) == (agencies["ICB"], doctor.job_title, "")
    opening = MonitoringRound.objects.get(plan=plan)
    today = timezone.localdate()
    assert (opening.label, opening.period_end, opening.imported, opening.is_agreed) == (
        f"Imported position, {today:%B %Y}",
        today,
        True,
        True,
    )
    quadrants = dict(Update.objects.filter(round=opening).values_list("action__reference", "agreed_quadrant"))
    assert quadrants == {a.reference: a.quadrant for a in expected}
    for sheet_action in expected:
        action = Action.objects.get(plan=plan, reference=sheet_action.reference)
        assert action.completed_on == sheet_action.completed_on

    board = manager_client.get(reverse("reports:board", args=[plan.pk]))
    figures = board.context["board"].figures
    assert {key: count for key, count in figures.counts.items() if count} == dict(Counter(a.quadrant for a in expected))
    assert figures.complete == sum(a.quadrant == Quadrant.COMPLETE for a in expected)
    text = board.content.decode()
    assert "Imported from the plan's spreadsheet" in text
    round_page = manager_client.get(reverse("actions:round", args=[opening.pk])).content.decode()
    assert "Imported" in round_page


def _rows(*cells):
    """Rows of the import's own columns plus a quadrant, completion date and latest update."""
    return [list(row) for row in cells]


HEADER = ["Reference", "Action", "Areas", "Lead", "Lead agency", "Target date", "RAG", "Completion date", "Update"]


def test_uncertain_areas_are_asked_about_and_the_answer_is_kept(manager_client, plan, findings, agencies):
    FindingFactory(
        inspection=plan.inspection,
        number=1,
        kind=Finding.Kind.PRIORITY_ACTION,
        text="The quality of return home interviews is variable. Leaders do not know why.",
    )
    rows = _rows(
        [
            "1.1",
            "Audit",
            "the quality of return home interviews is variable",
            "NCC0 Lead",
            "NCC",
            "31/03/2022",
            "Green",
        ],
        ["1.2", "Audit", "Priority area for action 1", "NCC0 Lead", "NCC", "31/03/2022", "On track"],
        ["1.3", "Audit", "data on exploitation profiles partnership", "NCC0 Lead", "NCC", "31/03/2022", "Red"],
    )
    response = start(manager_client, plan, xlsx_bytes(rows, header=HEADER[:7]))
    preview = response.context["preview"]
    assert [(q.text, [f.reference for f in q.candidates]) for q in preview.area_questions] == [
        ("the quality of return home interviews is variable", ["1", "P1"]),
        ("data on exploitation profiles partnership", ["4"]),
    ]
    assert preview.rows[0].cells["areas"].errors == [
        "Choose which finding 'the quality of return home interviews is variable' means, below the table"
    ]
    assert preview.rows[1].cells["areas"].matched == "P1"
    assert response.context["fixable"]
    first, second = preview.area_questions
    answers = {first.field_name: str(findings[0].pk), second.field_name: str(findings[3].pk)}
    assert manager_client.post(preview_url(plan), {"intent": "check", **answers}).status_code == 302
    preview = manager_client.get(preview_url(plan)).context["preview"]
    assert preview.is_valid
    assert confirm(manager_client, plan, **answers).status_code == 302
    assert [f.reference for f in Action.objects.get(plan=plan, reference="1.3").areas.all()] == ["4"]


def test_findings_are_created_from_the_sheet_when_the_inspection_has_none(manager_client, plan, agencies):
    rows = _rows(
        ["1", "Audit", "P1: The front door is not timely.", "NCC0 Lead", "NCC", "31/03/2022"],
        ["2", "Train", "P2: Strategy meetings lack health.", "NCC0 Lead", "NCC", "31/03/2022"],
        ["3", "Review", "p1: the front door is NOT timely", "NCC0 Lead", "NCC", "31/03/2022"],
    )
    response = start(manager_client, plan, xlsx_bytes(rows, header=HEADER[:6]))
    preview = response.context["preview"]
    assert preview.rows[0].cells["areas"].errors[0].startswith("'P1: The front door is not timely.' is not one of")
    assert preview.creatable_findings == ["P1: The front door is not timely.", "P2: Strategy meetings lack health."]
    assert response.context["form"].initial["create_findings"] == Finding.Kind.PRIORITY_ACTION
    assert confirm(manager_client, plan, create_findings=Finding.Kind.PRIORITY_ACTION).status_code == 302
    assert [(f.kind, f.number, f.text) for f in plan.inspection.findings.order_by("number")] == [
        (Finding.Kind.PRIORITY_ACTION, 1, "P1: The front door is not timely."),
        (Finding.Kind.PRIORITY_ACTION, 2, "P2: Strategy meetings lack health."),
    ]
    assert [a.areas.get().number for a in Action.objects.filter(plan=plan).order_by("position")] == [1, 2, 1]


def test_bad_cells_are_shown_where_they_are_and_nothing_is_saved(manager_client, plan, findings, agencies):
    partnership = plan.inspection.partnership
    for _n in range(2):
        PersonFactory(partnership=partnership, agency=agencies["Police"], job_title="Detective Inspector")
    rows = _rows(
        ["1.1", "Audit", "Nothing like any finding", "NCC0 Lead", "NCC", "31/03/2022", "Green"],
        ["1.2", "Audit", "1", "Detective Inspector", "Police", "31/03/2022", "Green"],
        ["1.3", "Audit", "1", "NCC0 Lead", "NCC", "31/03/2022", "Complete", "31/02/2021"],
        ["1.4", "Audit", "1", "NCC0 Lead", "NCC", "31/03/2022", "Purple"],
        ["1.5", "Audit", "1", "NCC0 Lead", "NCC", "31/03/2022", "Green", datetime.datetime(2021, 5, 1)],
    )
    response = start(manager_client, plan, xlsx_bytes(rows, header=HEADER[:8]))
    by_row = {
        row.number: [(cell.coordinate, message) for cell, message in row.problems]
        for row in response.context["preview"].rows
    }
    assert by_row == {
        2: [
            (
                "C2",
                "'Nothing like any finding' does not match any of this inspection's areas for improvement"
                " or priority areas for action",
            )
        ],
        3: [
            (
                "D3",
                "2 people in Police have the job title Detective Inspector:"
                " give the lead's name or email address instead",
            )
        ],
        4: [
            ("G4", "A complete action needs a sustainability plan: write it in the sustainability plan column"),
            ("H4", "Completion date '31/02/2021' must be a real date"),
        ],
        5: [("G5", "'Purple' is not a quadrant: write Green, Yellow, Amber, Red or Complete (Blue)")],
        6: [("H6", "Completion date is only for a complete action: say the action is complete, or remove the date")],
    }
    assert not response.context["fixable"]
    assert confirm(manager_client, plan).status_code == 200
    assert not Action.objects.filter(plan=plan).exists()
    assert not MonitoringRound.objects.filter(plan=plan).exists()


def test_a_complete_column_alone_says_which_actions_are_done(manager_client, plan, findings, agencies):
    header = ["Reference", "Action", "Areas", "Lead", "Lead agency", "Target date", "Complete?", "Sustainability plan"]
    rows = _rows(
        ["1.1", "Audit", "1", "NCC0 Lead", "NCC", "31/03/2022", "Yes", "Audited yearly"],
        ["1.2", "Audit", "2", "NCC0 Lead", "NCC", "31/03/2022", "No", ""],
    )
    response = start(manager_client, plan, xlsx_bytes(rows, header=header))
    (problem,) = response.context["preview"].problem_rows
    assert [(cell.coordinate, message) for cell, message in problem.problems] == [
        ("G3", "Enter where the action stands: Green, Yellow, Amber, Red or Complete")
    ]

    rows[1][6] = ""
    header.append("RAG")
    rows[0].append("")
    rows[1].append("Amber")
    start(manager_client, plan, xlsx_bytes(rows, header=header))
    assert confirm(manager_client, plan).status_code == 302
    done, amber = Action.objects.filter(plan=plan).order_by("position")
    assert (done.completed_on, done.updates.get().agreed_quadrant) == (timezone.localdate(), Quadrant.COMPLETE)
    assert (amber.completed_on, amber.updates.get().agreed_quadrant) == (None, Quadrant.AMBER)


def test_a_plan_with_rounds_takes_actions_but_not_an_opening_position(manager_client, plan, findings, agencies):
    MonitoringRoundFactory(plan=plan)
    rows = _rows(["1.1", "Audit", "1", "NCC0 Lead", "NCC", "31/03/2022", "Green"])
    response = start(manager_client, plan, xlsx_bytes(rows, header=HEADER[:7]))
    assert response.context["preview"].file_errors == [
        "This plan already has actions or monitoring rounds, so where each action stands cannot be imported as its "
        "opening round: leave the quadrant, complete, completion date and latest update unmatched"
    ]
    assert confirm(manager_client, plan).status_code == 200
    assert not Action.objects.filter(plan=plan).exists()
