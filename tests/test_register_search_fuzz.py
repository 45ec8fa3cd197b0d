"""Random searches and filter choices on the register (every kind of text: punctuation, quotes, search operators,
NUL characters, very long text, any filter value): always a page, never a server error, and never another
partnership's rows, on SQLite and PostgreSQL alike."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from people.models import Person
from tests.factories import ActionFactory, FindingFactory, PersonFactory

operators = st.text(alphabet="&|!:*()<>\"'-+~^%_\\ ", max_size=30)
words = st.sampled_from(["neglect", "exploited", "missing", "OR", "AND", "NOT", "the", "1.2", "P1", "toolkit"])
searches = (
    st.text(max_size=400)
    | operators
    | st.lists(words | operators, max_size=12).map(" ".join)
    | st.sampled_from(["", " ", "\x00", "a\x00b", "x" * 5000, '"neglect', "neglect:*", "!!!", "<script>", "%"])
)
choices = st.text(max_size=12) | st.integers(min_value=-5, max_value=10**20).map(str)


@pytest.fixture
def register_world(action, other_partnership_action):
    area = FindingFactory(inspection=action.plan.inspection, text="Neglect is recognised late by the toolkit.")
    action.areas.add(area)
    secret = FindingFactory(inspection=other_partnership_action.plan.inspection, text="Zebrasecret neglect finding.")
    other_partnership_action.areas.add(secret)
    ActionFactory(plan=other_partnership_action.plan, description="Zebrasecret unlinked neglect toolkit")
    return PersonFactory(partnership=action.plan.inspection.partnership, role=Person.Role.VIEWER)


@pytest.mark.django_db
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    q=searches,
    theme=choices | st.sampled_from(["Child sexual and criminal exploitation"]),
    agency=choices,
    status=choices | st.sampled_from(["open", "overdue", "complete", "withdrawn", "merged"]),
    source=choices,
    regime=choices | st.sampled_from(["jtai", "ilacs"]),
    page=choices,
)
def test_random_searches_and_filters_always_answer_a_page_of_the_partnerships_own_rows(
    register_world, q, theme, agency, status, source, regime, page
):
    client = Client(raise_request_exception=False)
    client.force_login(register_world.user)
    response = client.get(
        "/register/",
        {"q": q, "theme": theme, "agency": agency, "status": status, "source": source, "regime": regime, "page": page},
    )
    assert response.status_code == 200
    assert "zebrasecret" not in response.content.decode().lower().replace(q.lower(), "")
