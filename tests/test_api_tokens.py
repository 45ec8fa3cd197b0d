"""The partnership manager's API token pages: the list with each token's last use, making one (its secret shown
once), revoking one with a confirmation; nobody else may."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import token_create
from audit.models import AuditEvent
from people.models import Person

pytestmark = pytest.mark.django_db


def typed(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def manager(demo):
    return Person.objects.get(partnership=demo, role=Person.Role.MANAGER, user__username="manager")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager.user)
    return client


def test_the_manager_makes_a_token_and_sees_it_once(manager_client, manager):
    assert 'href="/api-tokens/"' in manager_client.get(reverse("setup:home")).content.decode()
    expires = timezone.localdate() + datetime.timedelta(days=90)
    response = manager_client.post(
        reverse("api_tokens:create"),
        {"name": "Power BI dashboard", "scopes": ["plans"], **typed("expires_on", expires)},
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    token = ApiToken.objects.get(name="Power BI dashboard")
    assert secret in response.content.decode()
    assert token.scopes == ["plans"] and token.created_by == manager and token.partnership_id == manager.partnership_id
    assert timezone.localtime(token.expires_at).date() == expires + datetime.timedelta(days=1)
    # The list shows it without its secret, and when it was last used.
    listing = manager_client.get(reverse("api_tokens:list")).content.decode()
    assert "Power BI dashboard" in listing and token.prefix in listing and secret not in listing
    assert "Never" in listing
    manager_client.get("/api/plans", headers={"Authorization": f"Bearer {secret}"})
    assert "Never" not in manager_client.get(reverse("api_tokens:list")).content.decode()
    created = AuditEvent.objects.get(event=AuditEvent.Event.API_TOKEN_CREATED)
    assert created.user == manager.user and created.partnership_id == manager.partnership_id


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "scopes": ["plans"]}, "name", "Enter a name for the token"),
        ({"name": "Excel", "scopes": []}, "scopes", "Select what the token may read"),
        ({"name": "Excel", "scopes": ["everything"]}, "scopes", None),
    ],
)
def test_a_token_needs_a_name_and_a_scope(manager_client, data, field, message):
    expires = timezone.localdate() + datetime.timedelta(days=30)
    response = manager_client.post(reverse("api_tokens:create"), {**data, **typed("expires_on", expires)})
    form = response.context["form"]
    assert field in form.errors and (message is None or form.errors[field] == [message])
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("days", [0, -3, 367])
def test_a_token_expires_tomorrow_at_the_soonest_and_within_a_year(manager_client, days):
    expires = timezone.localdate() + datetime.timedelta(days=days)
    response = manager_client.post(
        reverse("api_tokens:create"), {"name": "Excel", "scopes": ["plans"], **typed("expires_on", expires)}
    )
    assert "expires_on" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_an_active_tokens_name_is_not_used_twice(manager_client, demo):
    token_create(
        partnership=demo, name="Excel", scopes=["plans"], expires_on=timezone.localdate() + datetime.timedelta(1)
    )
    expires = timezone.localdate() + datetime.timedelta(days=30)
    response = manager_client.post(
        reverse("api_tokens:create"), {"name": "excel", "scopes": ["plans"], **typed("expires_on", expires)}
    )
    assert response.context["form"].errors["name"] == [
        "An active token already has this name: choose another, or revoke that one first"
    ]


def test_the_manager_revokes_a_token_after_confirming(manager_client, manager, demo):
    token, secret = token_create(
        partnership=demo, name="Excel", scopes=["plans"], expires_on=timezone.localdate() + datetime.timedelta(1)
    )
    url = reverse("api_tokens:revoke", args=[token.pk])
    page = manager_client.get(url)
    assert page.status_code == 200 and "Revoke Excel" in page.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert manager_client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == manager
    assert manager_client.get("/api/plans", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    listing = manager_client.get(reverse("api_tokens:list")).content.decode()
    assert "Revoked by" in listing
    assert AuditEvent.objects.filter(event=AuditEvent.Event.API_TOKEN_REVOKED, user=manager.user).count() == 1
    # Revoking it again changes nothing.
    manager_client.post(url)
    assert AuditEvent.objects.filter(event=AuditEvent.Event.API_TOKEN_REVOKED).count() == 1


@pytest.mark.parametrize("role", ["chair", "lead", "officer", "viewer"])
def test_no_one_but_the_manager_reaches_the_token_pages(client, demo, role):
    token, _ = token_create(
        partnership=demo, name="Excel", scopes=["plans"], expires_on=timezone.localdate() + datetime.timedelta(1)
    )
    client.force_login(Person.objects.filter(partnership=demo, role=role).first().user)
    for url in [
        reverse("api_tokens:list"),
        reverse("api_tokens:create"),
        reverse("api_tokens:revoke", args=[token.pk]),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url


def test_the_token_list_reads_in_the_same_queries_however_many_tokens(manager_client, demo, sessions_written_once):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(reverse("api_tokens:list")).status_code == 200
        return len(captured)

    for number in range(2):
        token_create(
            partnership=demo,
            name=f"T{number}",
            scopes=["plans"],
            expires_on=timezone.localdate() + datetime.timedelta(1),
        )
    queries()  # the first request writes the session
    few = queries()
    for number in range(2, 12):
        token_create(
            partnership=demo,
            name=f"T{number}",
            scopes=["plans"],
            expires_on=timezone.localdate() + datetime.timedelta(1),
        )
    assert queries() == few


def test_the_documentation_page_is_built_from_the_schema(client, demo):
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    text = page.content.decode()
    for path in ["/api/facts", "/api/rounds/{id}/figures", "/api/reports/{id}/pdf", "Authorization: Bearer"]:
        assert path in text
    assert client.get("/api/").url == reverse("api:docs")
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.1")
