"""Dates, one behaviour everywhere: every date in every form is a GOV.UK date input with a four-digit year,
one message naming the date, a sane range, and never a server error; summary links land in an input."""

import datetime
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.db import transaction
from django.test import Client
from django.test.utils import ContextList
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.forms import (
    CloseRoundForm,
    EndorseRoundForm,
    NotImplementedForm,
    ReplaceForm,
    RetestDueForm,
    RetestForm,
    UpdateForm,
)
from actions.models import Action, ActionPlan, ImpactValue, MonitoringRound, Update
from inspections.forms import ReopenForm as SignOffReopenForm
from inspections.forms import SignOffForm
from inspections.models import FindingSignOff, Inspection
from inspections.regimes import REGIMES
from jtai_tracker.forms import GovukDateField, error_anchor, error_links
from people.models import Person
from reports.forms import CommitteeReportForm
from reports.models import CommitteeReport
from setup.forms import ActionForm, ImpactValueForm, InspectionForm, RoundForm, WithdrawForm
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    FindingFactory,
    ImpactMeasureFactory,
    InspectionFactory,
    MonitoringRoundFactory,
    PersonFactory,
)
from yearly.forms import StartForm as YearlyStartForm
from yearly.models import YearlyReport

pytestmark = pytest.mark.django_db


def parts(name, day, month, year):
    return {f"{name}_0": day, f"{name}_1": month, f"{name}_2": year}


def typed(name, value):
    return parts(name, str(value.day), str(value.month), str(value.year))


# The field on its own --------------------------------------------------------


class TargetForm(forms.Form):
    target_date = GovukDateField(label="Target date", earliest=datetime.date(2010, 1, 1))
    meeting_on = GovukDateField(label="Date of the sub-group meeting (optional)", required=False, past_only=True)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the target date"),
        ("31", "3", "", "Target date must include a year"),
        ("", "3", "2021", "Target date must include a day"),
        ("", "", "2021", "Target date must include a day and month"),
        ("31", "", "", "Target date must include a month and year"),
        ("31", "2", "2021", "Target date must be a real date"),
        ("0", "3", "2021", "Target date must be a real date"),
        ("1", "13", "2021", "Target date must be a real date"),
        ("x", "3", "2021", "Target date must be a real date"),
        ("-1", "3", "2021", "Target date must be a real date"),
        ("001", "3", "2021", "Target date must be a real date"),
        ("٣", "3", "2021", "Target date must be a real date"),  # an Arabic-Indic three: digits are 0 to 9
        ("31", "3", "21", "Target date must include a year with 4 numbers"),
        ("31", "3", "02021", "Target date must include a year with 4 numbers"),
        ("1", "1", "9" * 20, "Target date must include a year with 4 numbers"),
        ("9" * 20, "9" * 20, "9" * 20, "Target date must be a real date"),
        ("1", "1", "2" * 5000, "Target date must include a year with 4 numbers"),
        ("31", "3", "0021", "Target date must be between 1 January 2010 and 31 December 2100"),
        ("1", "1", "0000", "Target date must be between 1 January 2010 and 31 December 2100"),
        ("1", "1", "2000", "Target date must be between 1 January 2010 and 31 December 2100"),
        ("1", "1", "2101", "Target date must be between 1 January 2010 and 31 December 2100"),
    ],
)
def test_each_wrong_date_gets_exactly_one_message_naming_it(day, month, year, message):
    form = TargetForm(parts("target_date", day, month, year))
    assert not form.is_valid()
    assert form.errors == {"target_date": [message]}


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("31", "3", "2021", datetime.date(2021, 3, 31)),
        (" 01 ", "03 ", " 2021", datetime.date(2021, 3, 1)),
        ("29", "2", "2024", datetime.date(2024, 2, 29)),
        ("1", "1", "2010", datetime.date(2010, 1, 1)),
        ("31", "12", "2100", datetime.date(2100, 12, 31)),
    ],
)
def test_real_dates_in_range_are_accepted(day, month, year, expected):
    form = TargetForm(parts("target_date", day, month, year))
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"target_date": expected, "meeting_on": None}


def test_a_date_that_must_have_happened_is_refused_in_the_future_and_before_2000():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    data = {**typed("target_date", datetime.date(2021, 3, 31))}
    form = TargetForm({**data, **typed("meeting_on", tomorrow)})
    assert form.errors == {"meeting_on": ["Date of the sub-group meeting must be today or in the past"]}
    form = TargetForm({**data, **parts("meeting_on", "1", "1", "1999")})
    assert form.errors == {"meeting_on": ["Date of the sub-group meeting must be between 1 January 2000 and today"]}
    assert TargetForm({**data, **typed("meeting_on", datetime.date.today())}).is_valid()


def test_every_date_in_every_form_is_the_shared_field_and_is_swept_below():
    """A date field of any other kind fails here; a new form with a date must join FORMS (the property test)."""
    import inspect

    import actions.forms
    import inspections.admin
    import inspections.forms
    import reports.forms
    import setup.forms
    import transfers.forms
    import yearly.forms

    dates = {}
    for module in (
        actions.forms,
        reports.forms,
        setup.forms,
        transfers.forms,
        inspections.admin,
        inspections.forms,
        yearly.forms,
    ):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                for name, field in getattr(cls, "base_fields", {}).items():
                    if isinstance(field, (forms.DateField, forms.DateTimeField, forms.MultiValueField)):
                        dates[cls, name] = type(field)
    assert set(dates.values()) == {GovukDateField}, dates
    assert {(cls, name) for cls, name in dates} == {(case.form, name) for case in FORMS for name in case.dates}


# Where the error summary's links land ----------------------------------------


class MixedForm(forms.Form):
    name = forms.CharField(label="Name")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    tags = forms.MultipleChoiceField(label="Tags", choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)
    agency = forms.ChoiceField(label="Agency", choices=[("", "Choose"), ("a", "A")])
    target_date = GovukDateField(label="Target date")

    def clean(self):
        raise forms.ValidationError("Something about the whole form")


@pytest.mark.parametrize(
    ("date", "anchor"),
    [
        (("", "", ""), "id_target_date_0"),
        (("31", "2", "2021"), "id_target_date_0"),
        (("1", "1", "1999"), "id_target_date_0"),
        (("31", "", "2021"), "id_target_date_1"),
        (("31", "3", "21"), "id_target_date_2"),
        (("", "3", ""), "id_target_date_0"),
    ],
)
def test_summary_links_point_at_the_first_input_of_each_field(date, anchor):
    form = MixedForm({**parts("target_date", *date), "tags": ["zz"], "agency": "zz"})
    assert not form.is_valid()
    assert [target for _, target in error_links(form)] == [
        "id_name",  # the whole form's message: the first field
        "id_name",
        "id_kind_1",  # crispy-forms-gds numbers radios and checkboxes from 1
        "id_tags_1",
        "id_agency",
        anchor,
    ]
    assert error_links(form)[0] == ("Something about the whole form", "id_name")
    assert error_anchor(form["target_date"]) == anchor


# Every form with a date, through its view, as the person who uses it -------

#: Every table a date form writes to: a refused form must leave them exactly as they were.
TABLES = (
    Inspection,
    ActionPlan,
    Action,
    MonitoringRound,
    Update,
    ImpactValue,
    CommitteeReport,
    FindingSignOff,
    YearlyReport,
)


@dataclass
class Scene:
    partnership: Any
    plan: Any
    inspection: Any
    action: Any
    measure: Any
    open_round: Any
    sense_round: Any
    agreed_round: Any
    people: dict
    finding: Any = None
    signed_off_finding: Any = None
    #: A completed action of the plan: the re-test forms' (the chair's).
    complete_action: Any = None
    #: Another action of the plan: what the "superseded or merged" form names.
    other_action: Any = None


@pytest.fixture
def scene(action):
    plan = action.plan
    partnership = plan.inspection.partnership
    people = {role: PersonFactory(partnership=partnership, role=role) for role in Person.Role.values}
    people[Person.Role.LEAD] = action.lead
    MonitoringRound.objects.filter(plan=plan).delete()
    open_round = MonitoringRoundFactory(
        plan=plan,
        state=MonitoringRound.State.OPEN,
        period_end=datetime.date(2030, 9, 30),
        update_deadline=datetime.date(2030, 9, 15),
    )
    # The chair's rounds belong to a plan with no actions, so closing one needs nothing else agreed first.
    quiet_plan = ActionPlanFactory(inspection=InspectionFactory(partnership=partnership))
    sense_round = MonitoringRoundFactory(plan=quiet_plan, state=MonitoringRound.State.SENSE_CHECK)
    agreed_round = MonitoringRoundFactory(plan=quiet_plan, state=MonitoringRound.State.AGREED)
    from inspections.services import finding_sign_off

    finding = FindingFactory(inspection=plan.inspection, number=41, text="Referral formats vary")
    signed_off_finding = FindingFactory(inspection=plan.inspection, number=42, text="Strategy meetings")
    finding_sign_off(
        finding=signed_off_finding,
        by=people[Person.Role.CHAIR],
        signed_off_on=datetime.date(2023, 9, 1),
        agreed_by_body="the sub-group",
        evidence="Audit",
    )
    complete_action = ActionFactory(
        plan=plan,
        lead=action.lead,
        lead_agency=action.lead_agency,
        completed_on=datetime.date(2021, 3, 31),
        sustainability_plan="Re-audited yearly.",
    )
    return Scene(
        complete_action=complete_action,
        other_action=complete_action,
        finding=finding,
        signed_off_finding=signed_off_finding,
        partnership=partnership,
        plan=plan,
        inspection=plan.inspection,
        action=action,
        measure=ImpactMeasureFactory(plan=plan),
        open_round=open_round,
        sense_round=sense_round,
        agreed_round=agreed_round,
        people=people,
    )


@dataclass(frozen=True)
class DateForm:
    form: type
    url: str  # a URL name
    role: str
    dates: tuple[str, ...]
    target: str = "plan"  # the Scene attribute whose pk the URL takes, or "" for none
    regime: str = ""  # an inspection or review of this regime (its events' dates), not the scene's JTAI

    def address(self, scene: Scene) -> str:
        return reverse(self.url, args=[getattr(scene, self.target).pk] if self.target else [])

    def data(self, scene: Scene) -> dict:
        if self.regime:
            own = {"kind": self.regime, "inspectorates": list(REGIMES[self.regime].inspectorates)}
            return {**BASE_DATA[self.url](scene), **own, **REGIME_EVENTS[self.regime]}
        return BASE_DATA[self.url](scene)


BASE_DATA = {
    "setup:inspection_add": lambda s: {
        "kind": Inspection.Kind.JTAI,
        "theme": "Neglect",
        "inspectorates": ["ofsted"],
        **typed("fieldwork_start", datetime.date(2023, 3, 6)),
        **typed("fieldwork_end", datetime.date(2023, 3, 10)),
        **typed("letter_published", datetime.date(2023, 5, 2)),
        **typed("plan_due", datetime.date(2023, 8, 1)),
        **typed("plan_submitted", datetime.date(2023, 7, 20)),
        **typed("plan_endorsed", datetime.date(2023, 9, 1)),
        "status": Inspection.Status.MONITORING,
        "plan_title": "",
    },
    "setup:action_add": lambda s: {
        "reference": "9.1",
        "description": "Relaunch the multi-agency referral form.",
        "lead": s.action.lead.pk,
        "lead_agency": s.action.lead_agency.pk,
        **typed("target_date", datetime.date(2021, 3, 31)),
        "measure_of_success": "",
        "sustainability_plan": "",
    },
    "setup:round_add": lambda s: {
        "label": "Q1 2031/32",
        **typed("period_end", datetime.date(2031, 6, 30)),
        **typed("update_deadline", datetime.date(2031, 7, 14)),
        "cadence": MonitoringRound.Cadence.QUARTERLY,
    },
    "setup:value_add": lambda s: {
        "period_label": "Q4 2022/23",
        **typed("period_end", datetime.date(2023, 3, 31)),
        "value": "42",
        "note": "",
    },
    # Both dates are asked only under an answer that reveals them: "complete", and "yes" to a new date.
    "actions:update": lambda s: {
        "version": "0",
        "intent": "draft",
        "narrative": "Progress this quarter.",
        "evidence": "Audit of 40 referrals.",
        "proposed_quadrant": "complete",
        "sustainability_plan": "Re-audited yearly.",
        "new_target_date": "yes",
        **typed("requested_target_date", datetime.date(2031, 3, 31)),
        "requested_target_reason": "Roadshows postponed.",
    },
    "actions:round_close": lambda s: typed("meeting_on", datetime.date(2020, 5, 27)),
    "setup:action_withdraw": lambda s: {
        **typed("withdrawn_on", datetime.date(2021, 3, 31)),
        "reason": "Superseded by action 4.3.",
    },
    "inspections:finding_sign_off": lambda s: {
        **typed("signed_off_on", datetime.date(2023, 9, 1)),
        "agreed_by_body": "the sub-group",
        "evidence": "Audit of 40 referrals",
        "note": "",
    },
    "inspections:finding_reopen": lambda s: {
        **typed("reopened_on", datetime.date(2024, 1, 10)),
        "reason": "The re-audit found the change had not lasted.",
    },
    "actions:not_implemented": lambda s: {
        "version": s.action.version,
        **typed("not_implemented_on", datetime.date(2021, 3, 31)),
        "not_implemented_reason": "The service was recommissioned.",
    },
    "actions:replace": lambda s: {
        "version": s.action.version,
        "replaced_how": "superseded",
        "replaced_by": s.other_action.pk,
        **typed("replaced_on", datetime.date(2021, 3, 31)),
        "replaced_reason": "Combined after the review.",
    },
    "actions:retest_due": lambda s: {
        "version": s.complete_action.version,
        **typed("retest_due", datetime.date(2021, 9, 30)),
    },
    "actions:retest": lambda s: {
        "version": s.complete_action.version,
        **typed("tested_on", datetime.date(2021, 9, 30)),
        "result": "sustained",
        "evidence": "Re-audit of 40 cases.",
    },
    "actions:round_endorse": lambda s: {**typed("endorsed_on", datetime.date(2020, 6, 2)), "meeting": "NSCC"},
    "yearly:start": lambda s: {
        **typed("starts_on", datetime.date(2025, 4, 1)),
        **typed("ends_on", datetime.date(2026, 3, 31)),
    },
    "reports:committee_report_edit": lambda s: {
        "title": "JTAI action plan – progress update",
        "report_of": "Cath McEvoy-Carr",
        **typed("meeting_date", datetime.date(2020, 7, 16)),
    },
}
BASE_DATA["setup:inspection_edit"] = lambda s: {**BASE_DATA["setup:inspection_add"](s), "version": s.inspection.version}
BASE_DATA["setup:action_edit"] = lambda s: {**BASE_DATA["setup:action_add"](s), "version": s.action.version}
_report_edit = BASE_DATA["reports:committee_report_edit"]
BASE_DATA["reports:committee_report_edit"] = lambda s: {**_report_edit(s), "version": 0}

INSPECTION_DATES = (
    "fieldwork_start",
    "fieldwork_end",
    "letter_published",
    "plan_due",
    "plan_submitted",
    "plan_endorsed",
)
#: The dates each regime keeps in ``Inspection.milestones``, typed in the order its clocks need them.
REGIME_EVENTS = {
    "rapid_review": {
        **typed("milestone_incident_known", datetime.date(2023, 3, 1)),
        **typed("milestone_notified", datetime.date(2023, 3, 3)),
        **typed("milestone_rapid_review_sent", datetime.date(2023, 3, 20)),
        **typed("milestone_review_decided", datetime.date(2023, 4, 3)),
        **typed("milestone_review_published", datetime.date(2023, 9, 29)),
    },
    "ilacs": typed("milestone_draft_submitted", datetime.date(2023, 5, 30)),
    "send": typed("milestone_monitoring_inspection", datetime.date(2024, 10, 7)),
    "hmicfrs": typed("milestone_response_published", datetime.date(2023, 6, 20)),
    "sar": typed("milestone_review_commissioned", datetime.date(2023, 1, 9)),
}
MANAGER, LEAD, CHAIR, OFFICER = Person.Role.MANAGER, Person.Role.LEAD, Person.Role.CHAIR, Person.Role.OFFICER
FORMS = [
    DateForm(InspectionForm, "setup:inspection_add", MANAGER, INSPECTION_DATES, target=""),
    DateForm(InspectionForm, "setup:inspection_edit", MANAGER, INSPECTION_DATES, target="inspection"),
    *(
        DateForm(
            InspectionForm, "setup:inspection_add", MANAGER, tuple(n[:-2] for n in events if n.endswith("_0")), "", code
        )
        for code, events in REGIME_EVENTS.items()
    ),
    DateForm(ActionForm, "setup:action_add", MANAGER, ("target_date",)),
    DateForm(ActionForm, "setup:action_edit", MANAGER, ("target_date",), target="action"),
    DateForm(RoundForm, "setup:round_add", MANAGER, ("period_end", "update_deadline")),
    DateForm(ImpactValueForm, "setup:value_add", MANAGER, ("period_end",), target="measure"),
    DateForm(UpdateForm, "actions:update", LEAD, ("requested_target_date", "achieved_on"), target="action"),
    DateForm(CloseRoundForm, "actions:round_close", CHAIR, ("meeting_on",), target="sense_round"),
    DateForm(EndorseRoundForm, "actions:round_endorse", CHAIR, ("endorsed_on",), target="agreed_round"),
    DateForm(CommitteeReportForm, "reports:committee_report_edit", OFFICER, ("meeting_date",), target="agreed_round"),
    DateForm(SignOffForm, "inspections:finding_sign_off", CHAIR, ("signed_off_on",), target="finding"),
    DateForm(WithdrawForm, "setup:action_withdraw", MANAGER, ("withdrawn_on",), target="action"),
    DateForm(SignOffReopenForm, "inspections:finding_reopen", CHAIR, ("reopened_on",), target="signed_off_finding"),
    DateForm(NotImplementedForm, "actions:not_implemented", CHAIR, ("not_implemented_on",), target="action"),
    DateForm(ReplaceForm, "actions:replace", CHAIR, ("replaced_on",), target="action"),
    DateForm(RetestDueForm, "actions:retest_due", CHAIR, ("retest_due",), target="complete_action"),
    DateForm(RetestForm, "actions:retest", CHAIR, ("tested_on",), target="complete_action"),
    DateForm(YearlyStartForm, "yearly:start", OFFICER, ("starts_on", "ends_on"), target=""),
]


def client_for(scene: Scene, role: str) -> Client:
    client = Client()
    client.force_login(scene.people[role].user)
    return client


def rows() -> list:
    return [list(model.objects.order_by("pk").values()) for model in TABLES]


def stored_dates(tables: list) -> list[datetime.date]:
    return [value for table in tables for row in table for value in row.values() if isinstance(value, datetime.date)]


def the_form(response, case: DateForm) -> forms.BaseForm:
    contexts = response.context if isinstance(response.context, ContextList) else [response.context]
    values = [value for context in contexts for value in context.flatten().values()]
    found = {id(v): v for v in values if isinstance(v, case.form) and v.is_bound}
    assert len(found) == 1, found
    return next(iter(found.values()))


INPUT_IDS = re.compile(r'<(?:input|textarea|select)\b[^>]*?\sid="([^"]+)"')
SUMMARY_LINKS = re.compile(r'<li><a href="#([^"]*)">')


def assert_summary_links_land_in_inputs(page: str) -> None:
    summary = page[page.index("govuk-error-summary") : page.index("</ul>", page.index("govuk-error-summary"))]
    targets = SUMMARY_LINKS.findall(summary)
    assert targets
    assert set(targets) <= set(INPUT_IDS.findall(page)), targets


def post_and_check(scene: Scene, case: DateForm, overrides: dict) -> tuple[int, list]:
    """Post the form; whatever comes back, check the promises. Rolled back, so every post starts afresh."""
    with transaction.atomic():
        before = rows()
        response = client_for(scene, case.role).post(case.address(scene), {**case.data(scene), **overrides})
        after = rows()
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            form = the_form(response, case)
            assert not form.is_valid()
            for name in case.dates:
                assert len(form.errors.get(name, [])) <= 1, form.errors
            assert after == before, "a refused form saved something"
            assert_summary_links_land_in_inputs(response.content.decode())
        else:
            assert after != before, "accepted but nothing saved"
            assert all(2000 <= value.year <= 2100 for value in stored_dates(after))
        transaction.set_rollback(True)
    return response.status_code, form.errors if response.status_code == 200 else {}


@pytest.mark.parametrize("case", FORMS, ids=lambda case: case.url)
def test_the_valid_data_saves(scene, case):
    status, errors = post_and_check(scene, case, {})
    assert (status, errors) == (302, {})


_awkward = st.sampled_from(
    [
        *("", " ", "\t", "0", "00", "01", "7", "12", "13", "29", "31", "32", "21", "99", "0021", "02021", "2000"),
        *("2009", "2010", "2021", "2100", "2101", "x", "1e3", "-0", "+5", "1.5", "3 ", "\u00a05", "9" * 20),
        *("\u00b2", "\u0663", "\uff12\uff10\uff12\uff11"),  # superscript two, Arabic-Indic three, fullwidth 2021
    ]
)
date_part = (
    _awkward
    | st.integers(min_value=-(10**25), max_value=10**25).map(str)
    | st.integers(min_value=1, max_value=31).map(str)
    | st.integers(min_value=1995, max_value=2105).map(str)
    | st.text(max_size=8)
)


@pytest.mark.parametrize("case", FORMS, ids=lambda case: case.url)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_typed_date_gets_a_page_with_one_message_or_saves_a_real_date(scene, case, data):
    name = data.draw(st.sampled_from(case.dates), label="field")
    day, month, year = (data.draw(date_part, label=part) for part in ("day", "month", "year"))
    status, _ = post_and_check(scene, case, parts(name, day, month, year))
    if status == 302 and (day + month + year).strip():
        assert re.fullmatch(r"\s*[0-9]{4}\s*", year) and 2000 <= int(year) <= 2100, (day, month, year)
    elif status == 302:  # left blank
        assert not case.form.base_fields[name].required


# The messages, through the pages that show them ------------------------------


def the_field(case: DateForm, name: str) -> forms.Field:
    """The field as the page's form has it: an inspection's dates are labelled in its regime's words."""
    if case.form is InspectionForm:
        return InspectionForm(regime_code=case.regime or Inspection.Kind.JTAI).fields[name]
    return case.form.base_fields[name]


def case_for(url: str) -> DateForm:
    return next(case for case in FORMS if case.url == url)


@pytest.mark.parametrize(
    ("typed_date", "message"),
    [
        (("31", "2", "2021"), "Target date must be a real date"),
        (("31", "3", ""), "Target date must include a year"),
        (("31", "3", "21"), "Target date must include a year with 4 numbers"),
        (("1", "1", "2000"), "Target date must be between 1 January 2010 and 31 December 2100"),
        (("1", "1", "9" * 20), "Target date must include a year with 4 numbers"),
    ],
)
def test_a_bad_target_date_is_refused_with_one_message_and_never_stored(scene, typed_date, message):
    case = case_for("setup:action_add")
    status, errors = post_and_check(scene, case, parts("target_date", *typed_date))
    assert (status, errors) == (200, {"target_date": [message]})


@pytest.mark.parametrize("case", FORMS, ids=lambda case: case.url)
def test_a_twenty_digit_year_is_a_message_in_every_date_field(scene, case):
    for name in case.dates:
        status, errors = post_and_check(scene, case, parts(name, "1", "1", "9" * 20))
        label = the_field(case, name).name
        assert (status, errors[name]) == (200, [f"{label} must include a year with 4 numbers"])


def test_meeting_and_endorsement_dates_cannot_be_in_the_future(scene):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    _, errors = post_and_check(scene, case_for("actions:round_close"), typed("meeting_on", tomorrow))
    assert errors == {"meeting_on": ["Date of the sub-group meeting must be today or in the past"]}
    _, errors = post_and_check(scene, case_for("actions:round_endorse"), typed("endorsed_on", tomorrow))
    assert errors == {"endorsed_on": ["Date the partnership board endorsed the round must be today or in the past"]}


def test_a_mistyped_date_shows_its_own_message_not_a_second_from_the_model(scene):
    """The inspection's rule compares the letter with the fieldwork; a mistyped letter date is not compared."""
    case = case_for("setup:inspection_edit")
    scene.inspection.letter_published = datetime.date(2019, 1, 1)  # before fieldwork: the model would object
    scene.inspection.save()
    _, errors = post_and_check(scene, case, parts("letter_published", "31", "2", "2023"))
    assert errors == {"letter_published": ["Letter published must be a real date"]}
