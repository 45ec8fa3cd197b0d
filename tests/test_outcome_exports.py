"""The plan's JSON export carries each action's outcome and re-tests, and its import brings them back."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from actions import services
from actions.models import Action, ActionPlan, Outcome, Retest
from inspections.models import Partnership
from people.models import Person
from tests.factories import ActionFactory, PartnershipFactory
from tests.jobs import job_file
from transfers.plan_json import PlanDocumentInvalid, plan_document, plan_import_document

pytestmark = pytest.mark.django_db

MEETING = datetime.date(2026, 5, 12)


@pytest.fixture
def plan_with_outcomes(action, make_person):
    chair = make_person(Person.Role.CHAIR)
    plan = action.plan
    Action.objects.filter(pk=action.pk).update(
        reference="1.1", completed_on=datetime.date(2026, 1, 15), sustainability_plan="Re-audited yearly."
    )
    action.refresh_from_db()
    services.retest_record(
        action=action, by=chair, tested_on=datetime.date(2026, 4, 1), result="sustained", evidence="Re-audit.",
        expected_version=None,
    )  # fmt: skip
    action.refresh_from_db()
    services.retest_due_set(action=action, by=chair, due=datetime.date(2026, 10, 1), expected_version=None)
    dropped = ActionFactory(plan=plan, reference="1.2", lead=action.lead, lead_agency=action.lead_agency)
    services.action_not_implemented(action=dropped, by=chair, on=MEETING, reason="No money.", expected_version=None)
    merged = ActionFactory(plan=plan, reference="1.3", lead=action.lead, lead_agency=action.lead_agency)
    services.action_replace(
        action=merged, by=chair, replaced_by=action, how="merged", on=MEETING, reason="Combined.",
        expected_version=None,
    )  # fmt: skip
    return plan


def test_the_json_export_holds_outcomes_and_re_tests(client, make_person, plan_with_outcomes):
    client.force_login(make_person(Person.Role.MANAGER).user)
    document = json.loads(job_file(client, reverse("transfers:export_json", args=[plan_with_outcomes.pk])).content)
    by_reference = {row["reference"]: row for row in document["actions"]}
    assert [by_reference[ref]["outcome"] for ref in ("1.1", "1.2", "1.3")] == ["complete", "not_implemented", "merged"]
    assert by_reference["1.2"]["not_implemented_reason"] == "No money."
    assert by_reference["1.3"]["replaced_by"] == {"plan": plan_with_outcomes.title, "reference": "1.1"}
    assert by_reference["1.1"]["retest_due"] == "2026-10-01"
    assert [(r["tested_on"], r["result"]) for r in by_reference["1.1"]["retests"]] == [("2026-04-01", "sustained")]


def test_outcomes_and_re_tests_round_trip_through_the_json_import(plan_with_outcomes):
    document = json.loads(json.dumps(plan_document(plan_with_outcomes)))
    for user in get_user_model().objects.exclude(email=""):
        user.email = f"moved.{user.email}"
        user.save(update_fields=["email"])
    result = plan_import_document(document=document, partnership=PartnershipFactory(name="Imported"))
    imported = {action.reference: action for action in Action.objects.filter(plan=result.plan)}
    assert {ref: action.outcome for ref, action in imported.items()} == {
        "1.1": Outcome.COMPLETE,
        "1.2": Outcome.NOT_IMPLEMENTED,
        "1.3": Outcome.MERGED,
    }
    assert imported["1.3"].replaced_by == imported["1.1"]
    assert imported["1.2"].not_implemented_agreed_by.partnership == Partnership.objects.get(name="Imported")
    assert Retest.objects.filter(action=imported["1.1"]).get().evidence == "Re-audit."
    again = plan_document(ActionPlan.objects.get(pk=result.plan.pk))
    assert [row["outcome"] for row in again["actions"]] == [row["outcome"] for row in document["actions"]]


def test_a_replacement_in_a_plan_not_imported_is_refused_in_words(plan_with_outcomes):
    document = json.loads(json.dumps(plan_document(plan_with_outcomes)))
    merged = next(row for row in document["actions"] if row["reference"] == "1.3")
    merged["replaced_by"] = {"plan": "Rapid review plan", "reference": "2.3"}
    for user in get_user_model().objects.exclude(email=""):
        user.email = f"moved.{user.email}"
        user.save(update_fields=["email"])
    with pytest.raises(PlanDocumentInvalid, match=r"replaced by 2\.3 in Rapid review plan, which is not in this"):
        plan_import_document(document=document, partnership=PartnershipFactory(name="Imported"))


def test_the_plan_spreadsheet_has_a_sheet_of_outcomes_and_re_tests(client, make_person, plan_with_outcomes):
    import io

    from openpyxl import load_workbook

    client.force_login(make_person(Person.Role.MANAGER).user)
    response = job_file(client, reverse("transfers:export_xlsx", args=[plan_with_outcomes.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Outcomes"].iter_rows(values_only=True))
    assert rows[0] == ("Action", "Outcome", "On", "Agreed by", "Replaced by", "Reasons", "Re-test due", "Re-tests")
    by_reference = {row[0]: row for row in rows[1:]}
    assert by_reference["1.1"][1] == "Complete" and by_reference["1.1"][7] == "1 April 2026: sustained (Re-audit.)"
    assert by_reference["1.2"][1:3] == ("Not implemented", datetime.datetime(2026, 5, 12))
    assert by_reference["1.2"][5] == "No money."
    assert by_reference["1.3"][1] == "Merged" and by_reference["1.3"][4] == "1.1"
    assert workbook.sheetnames[0] == "Actions"  # the sheet the import reads is unchanged
