import itertools
import os
import re
from pathlib import Path

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
    setattr(item, f"report_{report.when}", report)  # lets fixtures see whether the test failed
    if STRICT_SKIPS and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"Skipped on CI, where nothing may skip: {reason}"


@pytest.fixture
def password():
    return PASSWORD


# Passwords -------------------------------------------------------------------
#: The suite hashes every password with MD5. The production hasher (Django's PBKDF2, a million rounds) costs
#: about half a second per password and the factories make hundreds of users. test_security.py checks that the
#: app itself still stores passwords with the production hasher.
TEST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


from tests.oidc import oidc_provider  # noqa: E402, F401 - a real OpenID Connect provider, for any test that asks


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher():
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=TEST_PASSWORD_HASHERS):
        yield


# Rate limits -----------------------------------------------------------------
@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with no failed sign-ins counted: the rate limits live in the cache."""
    from django.core.cache import cache

    cache.clear()
    yield


# Background jobs ---------------------------------------------------------------
@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings, tmp_path_factory):
    """Jobs run as soon as they are asked for (django-tasks' immediate backend), their files in a folder of the
    test's own; tests/test_jobs_rq.py runs them through RQ instead."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def admin_client(db, admin_user, client):
    """pytest-django's admin client, signed in as the support site asks: with a second factor."""
    from tests.second_factor import signed_in_with_second_factor

    signed_in_with_second_factor(client, admin_user)
    return client


# The test database ----------------------------------------------------------
# SQLite's test database is a file, as in use, not Django's default shared in-memory one: connections to an
# in-memory database share one cache, whose table locks fail at once instead of waiting out the busy timeout,
# so tests whose threads save at once (test_report_first_saves.py) would see errors no real user can.


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


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


# Browser tests -------------------------------------------------------------
# Debian's Chromium driven by Playwright; never a downloaded browser.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"No Chromium at {CHROMIUM}: apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _once_parsed(browser_page, read):
    def read_once_parsed():
        browser_page.wait_for_load_state("domcontentloaded")
        return read()

    return read_once_parsed


@pytest.fixture
def page(chromium, live_server, request):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    browser_page = context.new_page()
    # A click that navigates waits for the new document to arrive, not to be parsed: read its title or
    # content straight after and, on a busy machine (two test workers, a browser each), it can still be
    # empty. These two wait for the document in hand to be parsed first (at once if it already is).
    for name in ("title", "content"):
        setattr(browser_page, name, _once_parsed(browser_page, getattr(browser_page, name)))
    yield browser_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        browser_page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def sign_in(page, password):
    def sign_in_as(user):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_url(re.compile(r".*/$|.*/[^l][^/]*/$"))
        return page

    return sign_in_as


@pytest.fixture
def axe_violations():
    """Run axe-core on the page; return its violations (id, help, nodes) for a readable failure."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def scan(browser_page):
        results = axe.run(browser_page)
        found = []
        for violation in results.response["violations"]:
            nodes = [node for node in violation["nodes"] if not _govuk_radio_reveal(violation, node)]
            if nodes:
                found.append((violation["id"], violation["help"], [node["target"] for node in nodes][:5]))
        return found

    return scan


def _govuk_radio_reveal(violation: dict, node: dict) -> bool:
    """GOV.UK Frontend's one known axe finding, kept on purpose: a radio that reveals questions carries
    aria-expanded, which ARIA does not list for radios but screen readers announce (alphagov/govuk-frontend#979,
    "known issue" in #1280). Only that attribute on a radio is let through; any other finding on it still fails."""
    summary = node.get("failureSummary", "")
    return (
        violation["id"] == "aria-allowed-attr"
        and 'type="radio"' in node.get("html", "")
        and summary.count("not allowed:") == summary.count("not allowed: aria-expanded=")
    )


# The demo --------------------------------------------------------------------
# Loading the demo takes most of a second and about fifty tests use it. A test that runs inside a transaction
# rolled back at its end (pytest-django's default, Django's TestCase) shares one load per module and worker:
# the demo is loaded inside an outer transaction, each test's own transaction is a savepoint within it and is
# rolled back, so every test starts from the demo exactly as loaded; the outer transaction is rolled back as
# soon as a test that does not share it comes next, and at the end of the module. Tests whose data must be
# committed (live_server, transaction=True) load the demo themselves, as before.


def _db_kind(item: pytest.Item) -> str | None:
    """How pytest-django runs the test (as its _django_db_helper decides): "rolled back", "committed" or None."""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    transaction, reset_sequences, *_ = validate_django_db(marker) if marker else (False, False)
    if (
        transaction
        or reset_sequences
        or {"transactional_db", "live_server", "django_db_reset_sequences"} & set(item.fixturenames)
    ):
        return "committed"
    return "rolled back" if marker or "db" in item.fixturenames else None


def _shares_demo(item: pytest.Item) -> bool:
    return "demo" in item.fixturenames and _db_kind(item) == "rolled back"


class _SharedDemo:
    """The outer transaction the shared demo lives in, while it is open."""

    atomics = None
    blocker = None
    item = None  # the test being set up

    def close(self):
        if self.atomics is not None:
            from django.test import TestCase

            with self.blocker.unblock():
                TestCase._rollback_atomics(self.atomics)
            self.atomics = None


_shared_demo = _SharedDemo()


def pytest_collection_modifyitems(items):
    """In each module's run of tests, those sharing the demo go last: one load serves them all.

    Runs after pytest-django's own ordering (rolled-back tests, then transactional ones, then the rest)
    and keeps it: only tests next to each other in the same module change places.
    """
    ordered = []
    for _, run in itertools.groupby(items, key=lambda item: (item.path, _db_kind(item))):
        run = list(run)
        ordered += [item for item in run if not _shares_demo(item)] + [item for item in run if _shares_demo(item)]
    items[:] = ordered


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before any fixture of the next test: a test that does not share the demo never sees it.
    _shared_demo.item = item
    if not _shares_demo(item):
        _shared_demo.close()


@pytest.fixture(scope="module")
def _demo_for_the_module(django_db_setup, django_db_blocker):
    """Set up before any function-scoped fixture, so before the test's own transaction begins."""
    if _shared_demo.item is not None and _shares_demo(_shared_demo.item):
        from django.test import TestCase

        from demo.loader import load_demo

        with django_db_blocker.unblock():
            atomics = TestCase._enter_atomics()
            try:
                load_demo()
            except BaseException:
                TestCase._rollback_atomics(atomics)
                raise
        _shared_demo.atomics, _shared_demo.blocker = atomics, django_db_blocker
    yield
    _shared_demo.close()


@pytest.fixture
def demo(_demo_for_the_module, db):
    """The demo partnerships as `make demo` loads them; returns Northumberland's partnership."""
    from demo.loader import load_demo
    from inspections.models import Partnership

    if _shared_demo.atomics is None:
        load_demo()
    return Partnership.objects.get(name="Northumberland Safeguarding Children Partnership")


@pytest.fixture
def sign_in_demo(page):
    """Sign a demo user in through the login form, as a person would."""
    from demo.loader import PASSWORD

    def sign_in(username):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_url("**/")
        return page

    return sign_in


@pytest.fixture
def sessions_written_once(settings):
    """For counting a page's queries: the session is written by the first request and never again, however long the
    test takes (in use it is written at most once a minute, tests/test_sessions.py). Make one request first."""
    settings.SESSION_REFRESH_SECONDS = 10**9
