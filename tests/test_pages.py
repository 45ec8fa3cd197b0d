"""The pages a signed-in member sees, and what others cannot."""

import pytest
from django.urls import reverse

from actions.quadrants import Quadrant
from people.models import Person
from tests.factories import FindingFactory, MonitoringRoundFactory, UpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer_client(client, make_person):
    client.force_login(make_person(role=Person.Role.VIEWER).user)
    return client


def test_anonymous_user_is_sent_to_sign_in(client, action):
    for url in ["/", action.plan.get_absolute_url(), action.plan.inspection.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_sign_in_with_wrong_password_shows_error_summary(client, make_person):
    person = make_person()
    response = client.post(reverse("account_login"), {"login": person.user.username, "password": "wrong-password-123"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"govuk-error-summary" in response.content


def test_sign_in_then_home_lists_the_partnerships_inspection_and_plan(client, make_person, password, action):
    person = make_person()
    response = client.post(reverse("account_login"), {"login": person.user.username, "password": password}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert person.partnership.name in page
    assert action.plan.inspection.short_title in page
    assert action.plan.title in page


def test_home_quotes_no_figures_until_the_board_endorses_a_round(viewer_client, action):
    monitoring_round = MonitoringRoundFactory(plan=action.plan, label="May 2020", state="agreed")
    MonitoringRoundFactory(plan=action.plan, label="August 2020", state="open")
    UpdateFactory(
        action=action,
        round=monitoring_round,
        status="agreed",
        proposed_quadrant="amber",
        agreed_quadrant=Quadrant.AMBER,
    )
    page = viewer_client.get("/").content.decode()
    assert "August 2020</a>: open for updates" in page
    assert "No round endorsed yet" in page
    assert "% of actions complete" not in page  # an agreed round is quoted once the board endorses it


def test_home_never_lists_another_partnerships_plan(viewer_client, other_partnership_action):
    page = viewer_client.get("/").content.decode()
    assert other_partnership_action.plan.inspection.partnership.name not in page


def test_plan_page_groups_actions_under_their_area_with_agreed_quadrant(viewer_client, action):
    area = FindingFactory(inspection=action.plan.inspection, text="The MASH receives referrals in many formats")
    action.areas.add(area)
    monitoring_round = MonitoringRoundFactory(plan=action.plan, label="May 2020")
    UpdateFactory(
        action=action,
        round=monitoring_round,
        status="agreed",
        proposed_quadrant="green",
        agreed_quadrant=Quadrant.GREEN,
    )
    response = viewer_client.get(action.plan.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "The MASH receives referrals in many formats" in page
    assert action.description in page
    assert "● Green" not in page  # the symbol is hidden from screen readers, separate from the label
    assert 'aria-hidden="true">●</span> Green' in page


def test_inspection_page_lists_findings_by_kind(viewer_client, action):
    inspection = action.plan.inspection
    FindingFactory(inspection=inspection, kind="strength", text="Strong commitment to working together")
    FindingFactory(inspection=inspection, kind="improvement", text="Referral formats vary")
    page = viewer_client.get(inspection.get_absolute_url()).content.decode()
    assert "Strong commitment to working together" in page
    assert "Referral formats vary" in page
    assert page.index("Areas for improvement") < page.index("Strengths")


@pytest.mark.parametrize("page", ["plan", "inspection"])
def test_another_partnerships_pages_are_not_found(viewer_client, other_partnership_action, page):
    plan = other_partnership_action.plan
    url = plan.get_absolute_url() if page == "plan" else plan.inspection.get_absolute_url()
    response = viewer_client.get(url)
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_plan_page_query_count_does_not_grow_with_actions(viewer_client, action, sessions_written_once):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ActionFactory

    monitoring_round = MonitoringRoundFactory(plan=action.plan)
    UpdateFactory(action=action, round=monitoring_round)

    def queries_for_plan_page():
        with CaptureQueriesContext(connection) as captured:
            assert viewer_client.get(action.plan.get_absolute_url()).status_code == 200
        return len(captured)

    queries_for_plan_page()  # the first request writes the session
    one_action = queries_for_plan_page()
    for _ in range(30):
        extra = ActionFactory(plan=action.plan, lead=action.lead, lead_agency=action.lead_agency)
        UpdateFactory(action=extra, round=monitoring_round)
    assert queries_for_plan_page() == one_action <= 14  # 14 since each area shows its count of actions


def test_health_reports_database_ok_without_login(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_reports_database_failure(client, monkeypatch):
    from django.db import connection
    from django.db.utils import OperationalError

    def broken_cursor(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert b"server closed" not in response.content
