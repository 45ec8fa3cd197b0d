"""Managers and report officers take a plan out as JSON (the archive) or XLSX (to edit and bring back)."""

import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actions.models import (
    Action,
    ActionPlan,
    EvidenceFile,
    MonitoringRound,
    QuadrantWording,
    Update,
)
from actions.quadrants import Quadrant
from actions.services import round_snapshot
from inspections.models import Agency, Finding, FindingSignOff, Inspection, Partnership
from people.models import Person
from reports.frozen import frozen_record_save
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgencyFactory,
    FindingFactory,
    ImpactMeasureFactory,
    ImpactValueFactory,
    MonitoringRoundFactory,
    PartnershipFactory,
    PersonFactory,
    UpdateFactory,
    UserFactory,
)
from tests.jobs import job_file
from transfers.columns import guess_mapping
from transfers.plan_import import plan_import_commit, preview_build
from transfers.plan_json import PlanDocumentInvalid, plan_document, plan_import_document
from transfers.spreadsheets import read_bytes

pytestmark = pytest.mark.django_db


def person(partnership, agency, first, last, role=Person.Role.LEAD, **user):
    user.setdefault("email", f"{first}.{last}@example.invalid".lower())
    user = UserFactory(first_name=first, last_name=last, **user)
    return PersonFactory(user=user, partnership=partnership, agency=agency, role=role, job_title=f"{first}'s job")


@pytest.fixture
def plan(db):
    """A plan with something in every corner: the round trip must carry all of it."""
    plan = ActionPlanFactory(
        title="Northumberland JTAI action plan",
        inspection__letter_published=datetime.date(2019, 8, 2),
        inspection__plan_due=datetime.date(2019, 11, 11),
    )
    partnership = plan.inspection.partnership
    QuadrantWording.objects.create(
        partnership=partnership, quadrant=Quadrant.GREEN, label="On track", description="All actions taken"
    )
    police = AgencyFactory(partnership=partnership, name="Northumbria Police", short_name="Police", kind="police")
    ncc = AgencyFactory(partnership=partnership, name="Northumberland County Council", short_name="NCC")
    cntw = AgencyFactory(
        partnership=partnership, name="Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust", kind="health"
    )
    AgencyFactory(partnership=partnership, name="Unused agency")
    steven = person(partnership, police, "Steven", "Armstrong")
    rachel = person(partnership, ncc, "Rachel", "Forster")
    leaver = person(partnership, ncc, "Lee", "Leaver", is_active=False)
    chair = person(partnership, police, "Mark", "Tait", Person.Role.CHAIR)
    inspection = plan.inspection
    afi = {n: FindingFactory(inspection=inspection, number=n, text=f"Area {n}") for n in (1, 2, 3)}
    priority = FindingFactory(
        inspection=inspection, number=1, kind=Finding.Kind.PRIORITY_ACTION, case_study="Child A's case."
    )
    FindingFactory(inspection=inspection, number=1, kind=Finding.Kind.STRENGTH, text="Strong commitment")

    first = ActionFactory(
        plan=plan,
        reference="1.1",
        position=1,
        description="Produce a partnership profile regarding criminal exploitation",
        lead=steven,
        lead_agency=police,
        target_date=datetime.date(2020, 6, 30),
        revised_target_date=datetime.date(2020, 9, 30),
        revised_target_reason="Lockdown",
        revised_target_agreed_by=chair,
        measure_of_success="Profiles signed off",
    )
    first.areas.set([afi[1], priority])
    first.supporting_agencies.set([ncc, cntw])
    second = ActionFactory(
        plan=plan,
        reference="2.1",
        position=2,
        description="Update the strategy",
        lead=rachel,
        lead_agency=ncc,
        completed_on=datetime.date(2020, 5, 20),
        sustainability_plan="Reviewed every year",
    )
    second.areas.set([afi[2]])
    third = ActionFactory(plan=plan, reference="3.1", position=3, lead=leaver, lead_agency=ncc)
    third.areas.set([afi[3]])

    may = MonitoringRoundFactory(
        plan=plan,
        label="May 2020",
        period_end=datetime.date(2020, 5, 31),
        update_deadline=datetime.date(2020, 5, 20),
        cadence=MonitoringRound.Cadence.BI_MONTHLY,
        subgroup_meeting_on=datetime.date(2020, 5, 27),
    )
    moment = timezone.make_aware(datetime.datetime(2020, 5, 19, 14, 30))
    for action, quadrant in ((first, Quadrant.AMBER), (second, Quadrant.COMPLETE), (third, Quadrant.RED)):
        UpdateFactory(
            action=action,
            round=may,
            status=Update.Status.AGREED,
            narrative=f"Progress on {action.reference}",
            evidence="Audit",
            barriers="COVID-19 lockdown has prevented the roadshows",
            next_steps="Re-audit",
            proposed_quadrant=quadrant,
            requested_target_date=datetime.date(2020, 9, 30) if action == first else None,
            requested_target_reason="Lockdown" if action == first else "",
            sustainability_plan="Reviewed every year" if action == second else "",
            submitted_by=action.lead,
            submitted_at=moment,
            agreed_quadrant=quadrant,
            agreed_reason="",
            date_decision="accepted" if action == first else "",
            agreed_by=chair,
            agreed_at=moment + datetime.timedelta(days=8),
            version=3,
        )
    may.state = MonitoringRound.State.ENDORSED
    may.endorsed_on = datetime.date(2020, 6, 2)
    may.endorsement_meeting = "NSCC, 2 June 2020"
    frozen_record_save(monitoring_round=may, snapshot=round_snapshot(may))
    may.save()
    q2 = MonitoringRoundFactory(
        plan=plan, label="Q2 2020/21", period_end=datetime.date(2020, 9, 30), state=MonitoringRound.State.OPEN
    )
    UpdateFactory(action=first, round=q2, narrative="Draft so far", proposed_quadrant=Quadrant.YELLOW)

    measure = ImpactMeasureFactory(plan=plan, description="From the audit", position=1)
    ImpactValueFactory(measure=measure, period_label="Q1 2022/23", period_end=datetime.date(2022, 6, 30), value=30)
    ImpactValueFactory(
        measure=measure, period_label="Q4 2022/23", period_end=datetime.date(2023, 3, 31), value=Decimal("90.5")
    )
    ImpactMeasureFactory(plan=plan, name="Children missing education", unit="count", baseline=None, target=None)

    # The priority area signed off, reopened and signed off again; area 2 signed off by the board.
    FindingSignOff.objects.create(
        finding=priority,
        signed_off_on=datetime.date(2020, 5, 27),
        agreed_by_body="the S&CE sub-group",
        evidence="An audit of 20 front-door cases",
        note="Agreed with the NSCC's chair",
        recorded_by=chair,
        recorded_at=moment + datetime.timedelta(days=9),
        reopened_on=datetime.date(2020, 7, 29),
        reopened_reason="A re-audit found strategy meetings without health",
        reopened_by=chair,
        reopened_at=moment + datetime.timedelta(days=72),
    )
    FindingSignOff.objects.create(
        finding=priority,
        signed_off_on=datetime.date(2020, 9, 30),
        agreed_by_body="the S&CE sub-group",
        evidence="A second re-audit",
        recorded_by=chair,
        recorded_at=moment + datetime.timedelta(days=140),
    )
    FindingSignOff.objects.create(
        finding=afi[2],
        signed_off_on=datetime.date(2020, 6, 2),
        agreed_by_body="the NSCC",
        evidence="Action 2.1 complete; the strategy is published",
        recorded_by=chair,
        recorded_at=moment + datetime.timedelta(days=14),
    )
    return plan


@pytest.fixture
def partnership(plan):
    return plan.inspection.partnership


def client_for(client, partnership, role):
    agency = Agency.objects.for_partnership(partnership).first()
    client.force_login(person(partnership, agency, "Sam", role.title(), role).user)
    return client


@pytest.fixture
def manager_client(client, partnership):
    return client_for(client, partnership, Person.Role.MANAGER)


def _without_ids(value):
    if isinstance(value, dict):
        return {
            key: _without_ids(item)
            for key, item in value.items()
            if key not in ("id", "action_id", "lead_id", "lead_agency_id", "area_ids")
        }
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value


def comparable(document):
    document = _without_ids(document)
    document["partnership"].pop("name")
    return document


# JSON ------------------------------------------------------------------------------------------------


def as_if_from_another_service(partnership):
    """An email address is one account on the service: free the exported people's addresses."""
    for user in get_user_model().objects.filter(person__partnership=partnership).exclude(email=""):
        user.email = f"moved.{user.email}"
        user.save(update_fields=["email"])


def test_the_json_export_holds_the_whole_plan(manager_client, plan):
    response = job_file(manager_client, reverse("transfers:export_json", args=[plan.pk]))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="northumberland-jtai-action-plan-')
    document = json.loads(response.content)
    assert document["format"] == "jtai-tracker-plan"
    assert [a["reference"] for a in document["actions"]] == ["1.1", "2.1", "3.1"]
    first = document["actions"][0]
    assert first["areas"] == [{"kind": "improvement", "number": 1}, {"kind": "priority", "number": 1}]
    assert first["supporting_agencies"] == [
        "Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust",
        "Northumberland County Council",
    ]
    assert first["revised_target_date"] == "2020-09-30"
    assert {p["name"] for p in document["people"]} == {"Steven Armstrong", "Rachel Forster", "Lee Leaver", "Mark Tait"}
    lead = next(p for p in document["people"] if p["ref"] == first["lead"])
    assert (lead["name"], lead["email"], lead["agency"], lead["role"]) == (
        "Steven Armstrong",
        "steven.armstrong@example.invalid",
        "Northumbria Police",
        "lead",
    )
    assert "Unused agency" not in {a["name"] for a in document["agencies"]}
    may, q2 = document["rounds"]
    assert may["state"] == "endorsed" and len(may["updates"]) == 3
    assert may["updates"][0]["barriers"] == "COVID-19 lockdown has prevented the roadshows"
    assert may["endorsed_snapshot"]["actions"][0]["agreed_quadrant"] == "amber"
    assert q2["updates"][0]["status"] == "draft"
    audited = next(m for m in document["impact_measures"] if m["name"].startswith("Cases audited"))
    assert [v["value"] for v in audited["values"]] == ["30.00", "90.50"]
    assert document["quadrant_wording"][1] == {
        "quadrant": "green",
        "label": "On track",
        "description": "All actions taken",
    }
    assert len(document["inspection"]["findings"]) == 5
    priority = next(f for f in document["inspection"]["findings"] if f["kind"] == "priority")
    reopened, standing = priority["sign_offs"]
    assert (reopened["signed_off_on"], reopened["reopened_on"]) == ("2020-05-27", "2020-07-29")
    assert reopened["reopened_reason"] == "A re-audit found strategy meetings without health"
    assert (
        reopened["recorded_by"]
        == reopened["reopened_by"]
        == next(p["ref"] for p in document["people"] if p["name"] == "Mark Tait")
    )
    assert (standing["signed_off_on"], standing["reopened_on"], standing["agreed_by_body"]) == (
        "2020-09-30",
        None,
        "the S&CE sub-group",
    )


def test_a_json_round_trip_into_an_empty_partnership_loses_nothing(manager_client, plan, partnership, tmp_path):
    exported = json.loads(job_file(manager_client, reverse("transfers:export_json", args=[plan.pk])).content)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    as_if_from_another_service(partnership)
    counts_before = (Action.objects.for_partnership(partnership).count(), Person.objects.count())
    out = io.StringIO()

    call_command("import_plan_json", str(path), partnership="Imported partnership", stdout=out)

    imported = Partnership.objects.get(name="Imported partnership")
    assert imported.local_authority == partnership.local_authority
    new_plan = ActionPlan.objects.get(inspection__partnership=imported)
    again = plan_document(new_plan)
    assert comparable(again) == comparable(exported)
    assert "Imported Northumberland JTAI action plan: 3 actions, 2 rounds." in out.getvalue()

    # New rows in the new partnership, none touched in the old one.
    assert Action.objects.for_partnership(partnership).count() == counts_before[0]
    assert Person.objects.count() == counts_before[1] + 4
    people = Person.objects.for_partnership(imported).select_related("user")
    assert all(not p.user.has_usable_password() for p in people)
    assert not people.get(user__last_name="Leaver").user.is_active
    assert Agency.objects.for_partnership(imported).count() == 3
    assert FindingSignOff.objects.for_partnership(imported).count() == 3
    snapshot = new_plan.rounds.get(label="May 2020").endorsed_snapshot
    assert {row["action_id"] for row in snapshot["actions"]} == set(new_plan.actions.values_list("pk", flat=True))
    new_findings = set(new_plan.inspection.findings.values_list("pk", flat=True))
    assert snapshot["areas"] and {row["id"] for row in snapshot["areas"]} <= new_findings


def test_the_json_import_refuses_an_email_that_is_already_an_account_here(plan, partnership):
    document = plan_document(plan)
    before = Person.objects.count()
    with pytest.raises(PlanDocumentInvalid, match="Someone already has an account with this email address"):
        plan_import_document(document=document, partnership=PartnershipFactory(name="Elsewhere"))
    assert Person.objects.count() == before


def test_the_json_import_says_evidence_files_are_not_carried(manager_client, plan, partnership, tmp_path):
    update = Update.objects.filter(round__label="May 2020").first()
    EvidenceFile.objects.create(
        update=update,
        file="1/abc",
        original_name="audit.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=update.submitted_by,
    )
    document = plan_document(plan)
    as_if_from_another_service(partnership)
    listed = [f for r in document["rounds"] for u in r["updates"] for f in u["evidence_files"]]
    assert [(f["original_name"], f["size"]) for f in listed] == [("audit.pdf", 10)]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    out = io.StringIO()
    call_command("import_plan_json", str(path), partnership="Elsewhere", stdout=out)
    assert "1 evidence file(s) are listed in the export but their contents are not in it" in out.getvalue()


def test_the_json_import_refuses_a_partnership_that_has_a_plan(plan, partnership):
    with pytest.raises(PlanDocumentInvalid, match="already has inspections"):
        plan_import_document(document=plan_document(plan), partnership=partnership)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "is not a JSON file"),
        ('{"format": "something else"}', "not a plan exported from the JTAI action plan tracker"),
        ('{"format": "jtai-tracker-plan", "version": 99}', "this tracker reads 1"),
    ],
)
def test_the_json_import_command_refuses_what_it_cannot_read(tmp_path, content, message, db):
    path = tmp_path / "plan.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_plan_json", str(path), partnership="New")
    assert not Partnership.objects.filter(name="New").exists()


def test_a_damaged_document_imports_nothing(plan, partnership, tmp_path):
    document = plan_document(plan)
    as_if_from_another_service(partnership)
    document["actions"][-1]["lead"] = "person-99"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    inspections_before = Inspection.objects.count()
    with pytest.raises(
        CommandError, match=re.escape("In action 3.1: person 'person-99' is not in the document's people")
    ):
        call_command("import_plan_json", str(path), partnership="New")
    assert Inspection.objects.count() == inspections_before
    assert not Partnership.objects.filter(name="New").exists()


def test_the_json_export_takes_the_same_queries_however_big_the_plan(manager_client, plan, django_assert_num_queries):
    url = reverse("transfers:export_json", args=[plan.pk])
    manager_client.get(url)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        manager_client.get(url)
    lead = Action.objects.filter(plan=plan).first().lead
    for n in range(5):
        action = ActionFactory(plan=plan, reference=f"9.{n}", lead=lead, lead_agency=lead.agency)
        action.supporting_agencies.set(Agency.objects.for_partnership(plan.inspection.partnership)[:2])
    with django_assert_num_queries(len(small.captured_queries)):
        manager_client.get(url)


def _document_of(plan, actions: int, stamp: str) -> dict:
    """The plan's document grown to ``actions`` actions, each with an update in every round, for a new partnership."""
    document = json.loads(json.dumps(plan_document(plan)))
    model, *_ = document["actions"]
    document["actions"] = [{**model, "reference": f"{n + 1}.1", "position": n} for n in range(actions)]
    for monitoring_round in document["rounds"]:
        update, *_ = monitoring_round["updates"]
        monitoring_round["updates"] = [{**update, "action": row["reference"]} for row in document["actions"]]
    for row in document["people"]:  # other people, as if from another service: other addresses and usernames
        row["email"] = f"{stamp}.{row['email']}"
        row["last_name"] = f"{row['last_name']}-{stamp}"
    return document


def test_the_json_import_takes_the_same_queries_however_many_actions(plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for actions in (10, 100):
        document = _document_of(plan, actions, f"copy{actions}")
        partnership = PartnershipFactory(name=f"Copy with {actions} actions")
        with CaptureQueriesContext(connection) as queries:
            result = plan_import_document(document=document, partnership=partnership)
        assert result.plan.actions.count() == actions
        assert Update.objects.filter(action__plan=result.plan).count() == actions * len(document["rounds"])
        counts[actions] = len(queries.captured_queries)
    assert counts[10] == counts[100]


def test_every_row_the_json_import_writes_has_one_record_of_its_creation_naming_who_imported_it(plan):
    document = _document_of(plan, 3, "history")
    partnership = PartnershipFactory(name="Imported by a manager")
    manager = PersonFactory(partnership=partnership, role=Person.Role.MANAGER, agency__partnership=partnership)

    result = plan_import_document(document=document, partnership=partnership, by=manager)

    actions = list(result.plan.actions.order_by("position"))
    for action in actions:
        (record,) = action.history.all()
        assert (record.history_type, record.history_user) == ("+", manager.user)
        assert record.description == action.description
        # The links the action was imported with are in that one record, as a save and a set would leave them.
        assert {row.finding_id for row in record.areas.all()} == set(action.areas.values_list("pk", flat=True))
        assert {row.agency_id for row in record.supporting_agencies.all()} == set(
            action.supporting_agencies.values_list("pk", flat=True)
        )
        assert record.areas.exists() and record.supporting_agencies.exists()
    for update in Update.objects.filter(action__in=actions):
        (record,) = update.history.all()
        assert (record.history_type, record.history_user, record.narrative) == ("+", manager.user, update.narrative)
    for monitoring_round in result.plan.rounds.all():
        assert [r.history_user for r in monitoring_round.history.all()] == [manager.user]
    finding = result.plan.inspection.findings.first()
    assert [r.history_type for r in finding.history.all()] == ["+"]


def test_an_action_replaced_by_another_of_the_document_is_linked_to_the_new_row(plan):
    document = _document_of(plan, 3, "replaced")
    document["actions"][0].update(
        completed_on=None,
        replaced_by={"plan": document["plan"]["title"], "reference": "3.1"},
        replaced_how="merged",
        replaced_on="2020-07-01",
        replaced_reason="One action now",
    )

    result = plan_import_document(document=document, partnership=PartnershipFactory(name="Merged"))

    first, third = result.plan.actions.get(reference="1.1"), result.plan.actions.get(reference="3.1")
    assert (first.replaced_by, first.replaced_how, first.outcome) == (third, "merged", "merged")
    (record,) = first.history.all()
    assert record.replaced_by_id == third.pk


# XLSX ------------------------------------------------------------------------------------------------


def _export_rows(client, plan):
    response = job_file(client, reverse("transfers:export_xlsx", args=[plan.pk]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return response.content, list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_xlsx_export_uses_the_import_columns(manager_client, plan):
    _, rows = _export_rows(manager_client, plan)
    assert rows[0][:7] == (
        "Reference",
        "Action",
        "Areas for improvement",
        "Lead",
        "Lead agency",
        "Supporting agencies",
        "Target date",
    )
    assert rows[1][:7] == (
        "1.1",
        "Produce a partnership profile regarding criminal exploitation",
        "P1, 1",
        "Steven Armstrong",
        "Northumbria Police",
        "Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust; Northumberland County Council",
        datetime.datetime(2020, 6, 30),
    )


def test_the_xlsx_export_lists_every_sign_off_on_a_sheet_of_its_own(manager_client, plan):
    content, _ = _export_rows(manager_client, plan)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Actions", "Sign-offs"]
    rows = list(workbook["Sign-offs"].iter_rows(values_only=True))
    assert rows[0] == ("Area", "Signed off on", "Agreed by", "Evidence", "Note", "Reopened on", "Why it was reopened")
    assert [(row[0], row[1].date(), row[2], row[5] and row[5].date()) for row in rows[1:]] == [
        ("P1", datetime.date(2020, 5, 27), "the S&CE sub-group", datetime.date(2020, 7, 29)),
        ("P1", datetime.date(2020, 9, 30), "the S&CE sub-group", None),
        ("2", datetime.date(2020, 6, 2), "the NSCC", None),
    ]


def test_the_xlsx_export_imports_cleanly_into_another_partnerships_plan(manager_client, plan):
    content, _ = _export_rows(manager_client, plan)
    other_plan = ActionPlanFactory()
    other = other_plan.inspection.partnership
    for finding in plan.inspection.findings.all():
        FindingFactory(inspection=other_plan.inspection, kind=finding.kind, number=finding.number)
    for agency in Agency.objects.for_partnership(plan.inspection.partnership):
        AgencyFactory(partnership=other, name=agency.name)
    for source in Person.objects.for_partnership(plan.inspection.partnership).select_related("user", "agency"):
        agency = Agency.objects.get(partnership=other, name=source.agency.name)
        person(other, agency, source.user.first_name, source.user.last_name)
    manager = PersonFactory(partnership=other, role=Person.Role.MANAGER)

    sheet = read_bytes(content, "export.xlsx")
    mapping = guess_mapping(sheet.headers)
    preview = preview_build(plan=other_plan, sheet=sheet, mapping=mapping)
    assert preview.is_valid, [(r.number, r.problems) for r in preview.problem_rows]
    plan_import_commit(plan=other_plan, sheet=sheet, mapping=mapping, by=manager)

    def summary(p):
        return [
            (
                a.reference,
                a.description,
                a.lead.name,
                a.lead_agency.name,
                sorted(s.name for s in a.supporting_agencies.all()),
                sorted((f.kind, f.number) for f in a.areas.all()),
                a.target_date,
                a.measure_of_success,
                a.sustainability_plan,
            )
            for a in Action.objects.filter(plan=p).order_by("position")
        ]

    assert summary(other_plan) == summary(plan)


def test_two_leads_with_one_name_are_exported_by_email(manager_client, plan, partnership):
    namesake_agency = Agency.objects.get(partnership=partnership, name="Northumberland County Council")
    person(
        partnership, namesake_agency, "Steven", "Armstrong", username="steven2", email="other.steven@example.invalid"
    )
    _, rows = _export_rows(manager_client, plan)
    assert rows[1][3] == "steven.armstrong@example.invalid"


DANGEROUS = ['=HYPERLINK("http://evil.example","Click")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def test_every_spreadsheet_cell_that_could_run_is_quoted(manager_client, plan, partnership):
    agency = AgencyFactory(partnership=partnership, name="=Evil agency")
    lead = Action.objects.get(plan=plan, reference="1.1").lead
    for n, text in enumerate(DANGEROUS):
        ActionFactory(
            plan=plan,
            reference=f"-{n}" if n % 2 else f"9.{n}",
            description=text,
            measure_of_success=text,
            sustainability_plan=text,
            lead=lead,
            lead_agency=agency,
            position=10 + n,
        )
    content, _ = _export_rows(manager_client, plan)
    worksheet = load_workbook(io.BytesIO(content)).active  # not data_only: formulas would show as formulas
    assert not [cell.coordinate for row in worksheet.iter_rows() for cell in row if cell.data_type == "f"]
    for row in range(5, 5 + len(DANGEROUS)):
        for column in "BEHI":  # action, lead agency, measure of success, sustainability plan
            assert worksheet[f"{column}{row}"].value.startswith("'"), f"{column}{row}"
    assert [worksheet[f"A{row}"].value for row in range(5, 11)] == ["9.0", "'-1", "9.2", "'-3", "9.4", "'-5"]
    assert worksheet["B2"].value == "Produce a partnership profile regarding criminal exploitation"  # safe text as is


def test_quoted_cells_come_back_as_they_were(manager_client, plan, partnership):
    lead = Action.objects.get(plan=plan, reference="1.1").lead
    ActionFactory(plan=plan, reference="9.1", description=DANGEROUS[0], lead=lead, lead_agency=lead.agency)
    content, _ = _export_rows(manager_client, plan)
    sheet = read_bytes(content, "export.xlsx")
    row = next(r for r in sheet.rows if r.values[0] == "9.1")
    assert row.values[1] == DANGEROUS[0]


def test_the_template_is_quoted_too(manager_client):
    response = manager_client.get(reverse("transfers:import_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert not [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]


# Who may export --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Person.Role.MANAGER, 302),  # to the job's page
        (Person.Role.OFFICER, 302),
        (Person.Role.CHAIR, 403),
        (Person.Role.LEAD, 403),
        (Person.Role.VIEWER, 403),
    ],
)
def test_only_managers_and_officers_may_export(client, plan, partnership, role, status):
    client_for(client, partnership, role)
    for name in ("transfers:export_json", "transfers:export_xlsx"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == status


def test_another_partnership_gets_not_found_for_exports(client, plan):
    stranger = PersonFactory(role=Person.Role.MANAGER, partnership=PartnershipFactory())
    client.force_login(stranger.user)
    for name in ("transfers:export_json", "transfers:export_xlsx"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (Person.Role.MANAGER, ["Import actions", "Download XLSX", "Download JSON"]),
        (Person.Role.OFFICER, ["Download XLSX", "Download JSON"]),
        (Person.Role.VIEWER, []),
    ],
)
def test_the_plan_page_links_to_what_the_user_may_do(client, plan, partnership, role, shown):
    client_for(client, partnership, role)
    page = client.get(reverse("actions:plan", args=[plan.pk])).content.decode()
    for label in ["Import actions", "Download XLSX", "Download JSON"]:
        assert (label in page) == (label in shown), label
