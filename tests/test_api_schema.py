"""The API fuzzed against its own OpenAPI schema (schemathesis, over WSGI, with a token of the demo partnership):
no request it can make from the schema gets a server error, and every answer matches what the schema says."""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from api.docs import api_schema
from api.services import token_create

pytestmark = pytest.mark.django_db

#: Requests the schema allows (positive mode): each must answer as the schema says. (Negative mode's "a request the
#: schema forbids was accepted" is not a promise this API makes: it ignores, say, a header it does not read.)
schema = schemathesis.openapi.from_dict(
    api_schema(), config=schemathesis.config.SchemathesisConfig.from_dict({"generation": {"mode": "positive"}})
)
schema.app = get_wsgi_application()


@pytest.fixture
def same_connection():
    """Requests over WSGI keep the test's database connection, as Django's own test client does (its signals
    would close a connection left inside a transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(demo, same_connection):
    _, secret = token_create(
        partnership=demo,
        name="Schemathesis",
        scopes=["plans", "reports"],
        expires_on=datetime.date.today() + datetime.timedelta(days=1),
    )
    return secret


def test_the_schema_is_openapi_3_1_and_documents_every_endpoint():
    described = api_schema()
    assert described["openapi"].startswith("3.1")
    assert {
        "/api/plans",
        "/api/actions",
        "/api/findings",
        "/api/rounds",
        "/api/rounds/{id}/figures",
        "/api/updates",
        "/api/evidence",
        "/api/reports",
        "/api/reports/{id}/pdf",
        "/api/facts",
    } <= set(described["paths"])


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_and_every_answer_matches_the_schema(case, token, settings):
    settings.API_RATE_LIMIT = "100000/minute"
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})


def test_the_schema_generates_without_a_warning_and_validates(tmp_path):
    """drf-spectacular's warnings are system-check warnings: `check --deploy --fail-level WARNING` fails on one."""
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3.1")
