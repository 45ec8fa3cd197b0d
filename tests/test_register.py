"""The partnership's register: every finding and action of its inspections and reviews on one page, searched
(full text on PostgreSQL, every word on SQLite), filtered by theme, agency, status, source and type, each action's
status in words, a page at a time in a fixed number of queries, and never a row of another partnership."""

import datetime
import html as html_module
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action, ReplacedHow
from inspections.models import Finding, Inspection
from people.models import Person
from register.search import matching
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgencyFactory,
    FindingFactory,
    InspectionFactory,
    PartnershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

URL = "/register/"
TODAY = datetime.date.today()
LATER = TODAY + datetime.timedelta(days=100)
EARLIER = TODAY - datetime.timedelta(days=100)


@pytest.fixture
def partnership():
    return PartnershipFactory(name="Northumberland")


@pytest.fixture
def viewer(partnership):
    return PersonFactory(partnership=partnership, role=Person.Role.VIEWER)


@pytest.fixture
def jtai(partnership):
    return ActionPlanFactory(
        inspection=InspectionFactory(partnership=partnership, theme="Child sexual and criminal exploitation"),
        title="JTAI written statement of action",
    )


@pytest.fixture
def ilacs(partnership):
    return ActionPlanFactory(
        inspection=InspectionFactory(
            partnership=partnership,
            kind=Inspection.Kind.ILACS,
            theme="Children in need of help and protection",
            fieldwork_start=datetime.date(2022, 3, 7),
            fieldwork_end=datetime.date(2022, 3, 18),
        ),
        title="ILACS improvement plan",
    )


def _action(plan, finding=None, **fields):
    fields.setdefault("target_date", LATER)
    action = ActionFactory(plan=plan, **fields)
    if finding is not None:
        action.areas.add(finding)
    return action


def _page(client, person, **params):
    client.force_login(person.user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())


# The page -----------------------------------------------------------------------------------------------------


def test_every_member_sees_each_finding_with_the_actions_answering_it(client, partnership, jtai, viewer):
    strength = FindingFactory(inspection=jtai.inspection, kind=Finding.Kind.STRENGTH, text="Strong front door.")
    area = FindingFactory(inspection=jtai.inspection, text="Return home interviews are not timely.")
    police = AgencyFactory(partnership=partnership, name="Northumbria Police")
    lead = PersonFactory(partnership=partnership, agency=police, user__first_name="Sam", user__last_name="Reed")
    _action(
        jtai,
        area,
        reference="2.1",
        description="Audit return home interviews quarterly",
        lead=lead,
        lead_agency=police,
        target_date=datetime.date(2031, 3, 31),
    )
    _action(jtai, reference="9.9", description="Refresh the partnership's website")
    for role in Person.Role:
        person = viewer if role == Person.Role.VIEWER else PersonFactory(partnership=partnership, role=role)
        text = _text(_page(client, person))
        assert "JTAI: Child sexual and criminal exploitation (June 2019)" in text
        assert "Strength 1 Strong front door." in text.replace(f"Strength {strength.number}", "Strength 1")
        assert (
            f"Area for improvement {area.number} Return home interviews are not timely." in text
            and "2.1 Audit return home interviews quarterly" in text
            and "Northumbria Police Sam Reed 31 Mar 2031 Open" in text
        )
        assert ("Link to another action" in text) == (role == Person.Role.MANAGER)
        assert "Action not linked to a finding" in text and "9.9 Refresh the partnership's website" in text
        assert "2 findings and 1 action not linked to a finding" in text


def test_what_needs_action_comes_first_newest_source_first(client, jtai, ilacs, viewer):
    strength = FindingFactory(inspection=jtai.inspection, kind=Finding.Kind.STRENGTH, text="Kind strength.")
    area = FindingFactory(inspection=jtai.inspection, text="Kind area.")
    priority = FindingFactory(inspection=jtai.inspection, kind=Finding.Kind.PRIORITY_ACTION, text="Kind priority.")
    newer = FindingFactory(inspection=ilacs.inspection, text="Newer source.")
    text = _text(_page(client, viewer))
    positions = [text.index(finding.text) for finding in (newer, priority, area, strength)]
    assert positions == sorted(positions)


def test_the_register_is_in_the_menu_for_members(client, viewer):
    client.force_login(viewer.user)
    html = client.get("/").content.decode()
    assert f'href="{URL}"' in html and ">Register</a>" in html


def test_someone_without_a_partnership_is_refused(client, admin_user):
    client.force_login(admin_user)
    assert client.get(URL).status_code == 403


def test_another_partnerships_findings_and_actions_never_appear(client, jtai, viewer):
    FindingFactory(inspection=jtai.inspection, text="Missing children are found quickly.")
    other_plan = ActionPlanFactory(inspection=InspectionFactory(theme="Neglect, a secret theme"))
    other = FindingFactory(inspection=other_plan.inspection, text="Missing children secret finding.")
    _action(other_plan, other, reference="7.7", description="Missing children secret action")
    _action(other_plan, description="Missing children unlinked secret")
    for params in ({}, {"q": "missing children"}, {"q": "secret"}, {"source": other_plan.inspection.pk}):
        html = _page(client, viewer, **params)
        assert "secret" not in html.lower().replace(params.get("q", "") if params.get("q") == "secret" else "", "")
    assert "Neglect" not in _page(client, viewer)


# Status in words, and the status filter ------------------------------------------------------------------------


def _one_of_each_status(plan):
    replacement = _action(plan, reference="R.1", description="Replacement action")
    return {
        "open": _action(plan, reference="S.1", description="Open action"),
        "overdue": _action(plan, reference="S.2", description="Overdue action", target_date=EARLIER),
        "complete": _action(
            plan,
            reference="S.3",
            description="Complete action",
            target_date=EARLIER,
            completed_on=EARLIER,
            sustainability_plan="Audited yearly.",
        ),
        "withdrawn": _action(
            plan, reference="S.4", description="Withdrawn action", withdrawn_on=EARLIER, target_date=EARLIER
        ),
        "not_implemented": _action(
            plan,
            reference="S.5",
            description="Not implemented action",
            not_implemented_on=EARLIER,
            not_implemented_reason="The service was recommissioned.",
            not_implemented_agreed_by=plan.actions.first().lead,
        ),
        "superseded": _action(
            plan,
            reference="S.6",
            description="Superseded action",
            replaced_by=replacement,
            replaced_how=ReplacedHow.SUPERSEDED,
            replaced_on=EARLIER,
            replaced_reason="Combined after the review.",
        ),
        "merged": _action(
            plan,
            reference="S.7",
            description="Merged action",
            replaced_by=replacement,
            replaced_how=ReplacedHow.MERGED,
            replaced_on=EARLIER,
            replaced_reason="Combined after the review.",
            target_date=EARLIER,
        ),
    }


WORDS = {
    "open": "Open",
    "overdue": "Overdue",
    "complete": "Complete",
    "withdrawn": "Withdrawn",
    "not_implemented": "Not implemented",
    "superseded": "Superseded",
    "merged": "Merged",
}


def test_each_action_shows_its_status_in_words(client, jtai, viewer):
    actions = _one_of_each_status(jtai)
    text = _text(_page(client, viewer))
    for status, action in actions.items():
        assert re.search(rf"{re.escape(action.reference)} {action.description} .*? {WORDS[status]}\b", text), status


def test_the_status_filter_keeps_exactly_the_actions_in_that_status(client, jtai, viewer):
    actions = _one_of_each_status(jtai)
    for status, action in actions.items():
        text = _text(_page(client, viewer, status=status))
        shown = set(re.findall(r"\b(S\.\d|R\.1)\b", text))
        expected = {action.reference, "R.1"} if status == "open" else {action.reference}  # R.1 replaces two
        assert shown == expected, status


def test_a_withdrawn_action_past_its_date_is_withdrawn_not_overdue(client, jtai, viewer):
    _action(jtai, reference="W.1", description="Old withdrawn", withdrawn_on=EARLIER, target_date=EARLIER)
    assert "W.1" not in _page(client, viewer, status="overdue")
    assert "W.1" in _page(client, viewer, status="withdrawn")


# Filters ------------------------------------------------------------------------------------------------------


def test_filters_by_theme_source_and_type(client, jtai, ilacs, viewer):
    _action(jtai, FindingFactory(inspection=jtai.inspection, text="JTAI finding."), description="Exploitation work")
    _action(ilacs, FindingFactory(inspection=ilacs.inspection, text="ILACS finding."), description="Help work")
    for params in (
        {"theme": "Children in need of help and protection"},
        {"source": ilacs.inspection.pk},
        {"regime": Inspection.Kind.ILACS},
    ):
        html = _page(client, viewer, **params)
        assert "ILACS finding." in html and "Help work" in html, params
        assert "JTAI finding." not in html and "Exploitation work" not in html, params


def test_the_agency_filter_finds_actions_an_agency_leads_or_supports(client, partnership, jtai, viewer):
    health = AgencyFactory(partnership=partnership, name="Northumbria Healthcare")
    led = _action(jtai, FindingFactory(inspection=jtai.inspection, text="Led finding."), description="Led by health")
    led.lead_agency = health
    led.save()
    supported = _action(jtai, description="Supported by health")
    supported.supporting_agencies.add(health)
    _action(jtai, FindingFactory(inspection=jtai.inspection, text="Other finding."), description="Nothing to health")
    html = _page(client, viewer, agency=health.pk)
    assert "Led by health" in html and "Led finding." in html and "Supported by health" in html
    assert "Nothing to health" not in html and "Other finding." not in html


def test_a_choice_of_another_partnership_is_an_error_by_the_field_not_a_leak(client, jtai, viewer):
    other = ActionPlanFactory(inspection=InspectionFactory(theme="Secret theme"))
    agency = AgencyFactory(partnership=other.inspection.partnership)
    client.force_login(viewer.user)
    response = client.get(URL, {"source": other.inspection.pk, "agency": agency.pk, "status": "lost"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Register" in html and "Select a valid choice" in html
    assert "Secret theme" not in html


def test_the_filter_form_is_a_get_form_with_no_token(client, viewer):
    html = _page(client, viewer)
    form = html[html.index('role="search"') - 80 : html.index("Clear search and filters")]
    assert 'method="get"' in form and "csrfmiddlewaretoken" not in form


# Search -------------------------------------------------------------------------------------------------------


@pytest.fixture
def searchable(jtai, ilacs):
    exploitation = FindingFactory(
        inspection=jtai.inspection, text="Children at risk of exploitation are not always identified early."
    )
    _action(jtai, exploitation, reference="1.1", description="Train front door staff to spot grooming")
    neglect = FindingFactory(inspection=ilacs.inspection, text="Neglect is recognised late.")
    _action(
        ilacs, neglect, reference="4.2", description="Launch the neglect toolkit", measure_of_success="Audit scores"
    )
    _action(jtai, reference="8.1", description="Publish the missing children protocol")
    return {"exploitation": exploitation, "neglect": neglect}


def test_search_finds_a_findings_words_and_shows_its_actions(client, viewer, searchable):
    text = _text(_page(client, viewer, q="exploitation identified"))
    assert "Children at risk of exploitation" in text and "1.1 Train front door staff" in text
    assert "Neglect is recognised late." not in text and "8.1" not in text
    assert "1 finding match your search" in text or "1 finding matches your search" in text


def test_search_finds_a_finding_through_its_actions_and_an_unlinked_action(client, viewer, searchable):
    text = _text(_page(client, viewer, q="toolkit"))
    assert "Neglect is recognised late." in text and "4.2 Launch the neglect toolkit" in text
    assert "exploitation" not in text.lower().replace("sexual and criminal exploitation", "")
    text = _text(_page(client, viewer, q="protocol"))
    assert "8.1 Publish the missing children protocol" in text and "Neglect is recognised" not in text


def test_search_reads_the_reference_measure_of_success_and_theme(client, viewer, searchable):
    assert "Launch the neglect toolkit" in _page(client, viewer, q="audit scores")
    assert "Launch the neglect toolkit" in _page(client, viewer, q="4.2")
    text = _text(_page(client, viewer, q="help protection"))
    assert "Neglect is recognised late." in text and "Children at risk" not in text


def test_every_word_must_appear(client, viewer, searchable):
    assert "Nothing matches your search" in _page(client, viewer, q="neglect grooming")


def test_the_page_finds_other_forms_of_a_word_on_postgresql_only(client, viewer, searchable):
    text = _text(_page(client, viewer, q="exploited"))
    found = "Children at risk of exploitation are not always identified early." in text
    assert found == (connection.vendor == "postgresql")


def test_search_is_full_text_with_stems_on_postgresql_and_every_word_on_sqlite(searchable, partnership):
    findings = Finding.objects.for_partnership(partnership)
    stemmed = set(matching(findings, "exploited").values_list("pk", flat=True))
    if connection.vendor == "postgresql":
        assert stemmed == {searchable["exploitation"].pk}
        ranked = list(matching(findings, "neglect").order_by("-search_rank").values_list("pk", "search_rank"))
        assert ranked[0][0] == searchable["neglect"].pk and ranked[0][1] > 0
    else:
        # The plain search reads words as typed: "exploited" is not in "exploitation"; "exploit" is.
        assert stemmed == set()
        assert set(matching(findings, "EXPLOIT").values_list("pk", flat=True)) == {searchable["exploitation"].pk}


def test_search_on_postgresql_ranks_the_best_match_first(client, viewer, jtai):
    weak = FindingFactory(inspection=jtai.inspection, text="Some mention of neglect among many other words here.")
    strong = FindingFactory(inspection=jtai.inspection, text="Neglect, neglect and neglect: chronic neglect.")
    text = _text(_page(client, viewer, q="neglect"))
    if connection.vendor == "postgresql":
        assert text.index(strong.text) < text.index(weak.text)
    else:  # the plain search finds both and keeps the register's own order (by number)
        assert text.index(weak.text) < text.index(strong.text)


@pytest.mark.parametrize(
    "typed",
    ['"unclosed', "a & b | !c", "foo:* bar", "&|!:*()", "'; DROP TABLE x; --", "x" * 5000, "\x00", "%_%", "-", "  "],
)
def test_awkward_searches_answer_a_page(client, viewer, searchable, typed):
    client.force_login(viewer.user)
    assert client.get(URL, {"q": typed}).status_code == 200


def test_a_search_too_long_is_an_error_by_the_box(client, viewer, searchable):
    html = _page(client, viewer, q="neglect " * 40)
    assert "Error: Register" in html and "Search must be 200 characters or fewer" in html


# Pages and queries ---------------------------------------------------------------------------------------------


def _register_queries(client, person, **params) -> int:
    client.force_login(person.user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params).status_code == 200
    return len(captured)


def _fill(plan, actions: int, *, linked: bool):
    """``actions`` actions, two to a finding (``linked``) or answering none, some with supporting agencies and
    some linked to another action."""
    partnership = plan.inspection.partnership
    agencies = [AgencyFactory(partnership=partnership) for _ in range(3)]
    finding = None
    for n in range(actions):
        if linked and n % 2 == 0:
            finding = FindingFactory(inspection=plan.inspection, text=f"Finding {n} on neglect")
        action = _action(plan, finding if linked else None, description=f"Action {n} on neglect")
        action.supporting_agencies.add(*agencies[: n % 3])
        if n % 5 == 0 and n:
            action.related_actions.add(Action.objects.filter(plan=plan).first())


@pytest.mark.parametrize("linked", [True, False], ids=["findings", "unlinked actions"])
@pytest.mark.parametrize("params", [{}, {"q": "neglect"}, {"status": "open", "agency": "1"}])
def test_the_register_reads_the_same_number_of_queries_for_10_and_100_actions(client, params, linked):
    counts = []
    for size in (10, 100):
        plan = ActionPlanFactory()
        _fill(plan, size, linked=linked)
        viewer = PersonFactory(partnership=plan.inspection.partnership, role=Person.Role.VIEWER)
        counts.append(_register_queries(client, viewer, **params))
    assert counts[0] == counts[1], counts


def test_a_page_of_findings_and_unlinked_actions_stays_within_its_queries(client, django_assert_max_num_queries):
    plan = ActionPlanFactory()
    _fill(plan, 10, linked=True)
    _fill(plan, 10, linked=False)
    viewer = PersonFactory(partnership=plan.inspection.partnership, role=Person.Role.VIEWER)
    client.force_login(viewer.user)
    with django_assert_max_num_queries(REGISTER_QUERIES):
        assert "Action not linked to a finding" in client.get(URL, {"q": "neglect"}).content.decode()


#: The most a page of the register may take, however many findings and actions the partnership has.
REGISTER_QUERIES = 20


def test_the_register_is_paginated(client, jtai, viewer):
    for n in range(30):
        _action(jtai, reference=f"P.{n:02d}", description=f"Paged action {n:02d}")
    first, second = _page(client, viewer), _page(client, viewer, page=2)
    assert 'class="govuk-pagination"' in first and "Paged action 00" in first and "Paged action 29" not in first
    assert "Paged action 29" in second and "Paged action 00" not in second
    assert "(page 2 of 2)" in second
