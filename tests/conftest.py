import os

import pytest

from people.models import Person
from tests.factories import PASSWORD, ActionFactory, PersonFactory

# On CI a skipped test is a test that did not run: make it fail instead, so a
# missing browser or database can never turn the build green by skipping.
STRICT_SKIPS = os.environ.get("CI", "").lower() == "true" or os.environ.get("JTAI_STRICT_SKIPS") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if STRICT_SKIPS and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"Skipped on CI, where nothing may skip: {reason}"


@pytest.fixture
def password():
    return PASSWORD


def _client_for(client, person):
    client.force_login(person.user)
    return client


@pytest.fixture
def action(db):
    return ActionFactory()


@pytest.fixture
def partnership(action):
    return action.plan.inspection.partnership


@pytest.fixture
def make_person(db, partnership):
    def make(role=Person.Role.VIEWER, **kwargs):
        return PersonFactory(partnership=partnership, role=role, **kwargs)

    return make


@pytest.fixture
def other_partnership_action(db):
    """An action in a second partnership, which the first must never see."""
    return ActionFactory()
