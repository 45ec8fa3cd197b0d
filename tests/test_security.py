"""Security gates: login everywhere, bounded sessions, headers, and no leaks on failure."""

import re

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jtai_tracker.downloads import attachment_response
from people.models import Person

pytestmark = pytest.mark.django_db

#: Pages anyone may open without signing in.
PUBLIC = {
    "account_login",
    "account_logout",
    "account_inactive",
    "health",
    "accessibility",
    # Reached from an email, before the person can sign in (accounts/): they show nothing of a partnership's
    # data but the invited person's own name, and only to the holder of the link.
    "invitation",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    # Signing in through one's organisation: finding its sign-in, going there and coming back.
    "organisation_sign_in",
    "openid_connect_login",
    "openid_connect_callback",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    # The second step of signing in, between the password and being signed in.
    "mfa_authenticate",
    # The API's description and its documentation page (api/docs.py): they hold no partnership's data.
    "api:index",
    "api:schema",
    "api:docs",
}
#: The read-only API signs no one in: without a token it answers 401 (``WWW-Authenticate: Bearer``), never a page.
API_PREFIX = "/api/"


def _walk(resolver, prefix="", namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}" if pattern.name else None


def _concrete(route: str) -> str:
    """A URL for a route: every converter filled with 1, every regex group with a plausible value."""
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    url = re.sub(r"<(?:\w+:)?\w+>", "1", url)
    return "/" + url.replace("^", "").replace("$", "").replace("\\", "")


ROUTES = sorted({(_concrete(route), name) for route, name in _walk(get_resolver())})


def test_the_sweep_finds_the_urls():
    assert len(ROUTES) > 20


@pytest.mark.parametrize(("url", "name"), ROUTES, ids=[url for url, _ in ROUTES])
def test_every_non_public_url_sends_anonymous_users_to_sign_in(client, url, name):
    if name and (name in PUBLIC or name.split(":")[-1] in PUBLIC):
        return
    response = client.get(url)
    if url.startswith(API_PREFIX):
        assert response.status_code == 401, f"{url} answered {response.status_code} to a request with no token"
        assert response["WWW-Authenticate"].startswith("Bearer")
    elif response.status_code == 302:
        location = response["Location"]
        assert location.startswith(("/accounts/login/", "/support/login/")), location
    else:
        assert response.status_code in (403, 404), f"{url} answered {response.status_code} to an anonymous user"


def _sign_in(client, person, password):
    assert (
        client.post(reverse("account_login"), {"login": person.user.username, "password": password}).status_code == 302
    )


def test_idle_session_expires_after_30_minutes(client, make_person, password):
    person = make_person()
    with time_machine.travel("2030-01-01 09:00", tick=False):
        _sign_in(client, person, password)
    with time_machine.travel("2030-01-01 09:29", tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel("2030-01-01 10:00", tick=False):
        assert client.get("/").status_code == 302


def test_busy_session_ends_12_hours_after_sign_in(client, make_person, password):
    person = make_person()
    with time_machine.travel("2030-01-01 08:00", tick=False):
        _sign_in(client, person, password)
    for hour in range(8, 20):
        for minute in (0, 20, 40):
            with time_machine.travel(f"2030-01-01 {hour:02d}:{minute:02d}", tick=False):
                assert client.get("/").status_code == 200
    with time_machine.travel("2030-01-01 20:01", tick=False):
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_sign_out_ends_the_session(client, make_person, password):
    person = make_person()
    _sign_in(client, person, password)
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_password_rules_refuse_short_and_common_passwords():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["short-pw-1", "password123456", "123456789012"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Quarterly-sense-check-77")


def test_the_app_stores_passwords_with_its_own_slow_hasher_not_the_suites_fast_one(
    client, settings, make_person, password
):
    """The suite hashes with MD5 for speed (tests/conftest.py); the app's own setting must still be a slow hasher."""
    from django.conf import global_settings
    from django.contrib.auth.hashers import identify_hasher, make_password

    from jtai_tracker import settings as project_settings

    assert identify_hasher(make_password(password)).algorithm == "md5"  # the suite's fast hasher is in force
    settings.PASSWORD_HASHERS = getattr(project_settings, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    person = make_person()

    assert identify_hasher(person.user.password).algorithm == "pbkdf2_sha256"
    assert identify_hasher(person.user.password).decode(person.user.password)["iterations"] >= 1_000_000
    _sign_in(client, person, password)


HTML_PAGES = ["home", "actions:mine", "account_login"]


@pytest.mark.parametrize("name", HTML_PAGES)
def test_security_headers_on_html_pages(client, make_person, name):
    if name != "account_login":
        client.force_login(make_person(role=Person.Role.MANAGER).user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'self'" in script_src
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_carry_no_inline_script(client, make_person):
    client.force_login(make_person(role=Person.Role.MANAGER).user)
    page = client.get("/").content.decode()
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag, f"inline script found: {tag}"


def test_database_failure_shows_a_plain_page_and_saves_nothing(client, action, monkeypatch):
    """A write that hits a database error mid-way leaves nothing behind and shows no traceback."""
    import datetime

    from django.db.backends.utils import CursorWrapper
    from django.test import Client

    from actions.models import MonitoringRound, Update
    from tests.factories import MonitoringRoundFactory

    MonitoringRoundFactory(
        plan=action.plan,
        state=MonitoringRound.State.OPEN,
        period_end=datetime.date(2030, 9, 30),
        update_deadline=datetime.date(2030, 9, 15),
    )
    browser = Client(raise_request_exception=False)
    browser.force_login(action.lead.user)
    real_execute = CursorWrapper.execute

    def failing_execute(self, sql, params=None):
        if "historical" in sql.lower() and sql.lstrip().upper().startswith("INSERT"):
            from django.db import OperationalError

            raise OperationalError("disk I/O error")
        return real_execute(self, sql, params)

    monkeypatch.setattr(CursorWrapper, "execute", failing_execute)
    response = browser.post(
        reverse("actions:update", args=[action.pk]),
        {"version": 0, "intent": "submit", "narrative": "Done", "proposed_quadrant": "green"},
    )
    monkeypatch.undo()
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "Traceback" not in page and "disk I/O error" not in page
    assert not Update.objects.exists()  # the update row was written before the history insert failed: rolled back


def test_user_changes_a_temporary_password(client, make_person, password):
    person = make_person()
    client.force_login(person.user)
    url = reverse("account_change_password")
    response = client.post(url, {"oldpassword": password, "password1": "short", "password2": "short"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    new = "Sense-check-meeting-2031"
    response = client.post(url, {"oldpassword": password, "password1": new, "password2": new})
    assert response.status_code == 302
    person.user.refresh_from_db()
    assert person.user.check_password(new)
    assert client.get("/").status_code == 200  # still signed in after the change


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("../../etc/passwd", 'attachment; filename="passwd"'),
        ("C:\\Users\\lead\\minutes.docx", 'attachment; filename="minutes.docx"'),
        ('minutes "final".pdf', "attachment; filename=\"minutes 'final'.pdf\""),
        ("minutes\r\nSet-Cookie: x=1.pdf", 'attachment; filename="minutesSet-Cookie: x=1.pdf"'),
        ("invoice\u202efdp.exe", 'attachment; filename="invoicefdp.exe"'),
        (".htaccess", 'attachment; filename="htaccess"'),
        ("/", 'attachment; filename="download"'),
    ],
)
def test_a_download_name_carries_no_folder_line_break_quote_or_hidden_character(name, header):
    response = attachment_response(b"x", name, "application/octet-stream")
    assert response["Content-Disposition"] == header
    assert response["X-Content-Type-Options"] == "nosniff"


def test_signing_in_gives_a_new_session_key_so_a_planted_one_is_useless(make_person, password):
    """Session fixation: a key an attacker planted before sign-in is not the signed-in session."""
    from django.test import Client

    person = make_person()
    client = Client()
    client.get(reverse("account_login"))
    planted = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    client.post(reverse("account_login"), {"login": person.user.username, "password": password})
    signed_in = client.cookies["sessionid"].value
    assert signed_in != planted and len(signed_in) == 32
    attacker = Client()
    if planted:
        attacker.cookies["sessionid"] = planted
    assert attacker.get("/").status_code == 302


def test_the_old_session_cookie_is_refused_after_signing_out(client, make_person, password):
    from django.test import Client

    person = make_person()
    _sign_in(client, person, password)
    cookie = client.cookies["sessionid"].value
    client.post(reverse("account_logout"))
    replay = Client()
    replay.cookies["sessionid"] = cookie
    assert replay.get("/").status_code == 302


def test_the_password_boxes_are_password_inputs_that_password_managers_can_fill(client):
    """ASVS 6.2.6 and 6.2.7: typed as passwords, with the autocomplete hints, and nothing that stops pasting."""
    page = client.get(reverse("account_login")).content.decode()
    assert re.search(r'<input[^>]*name="password"[^>]*type="password"[^>]*autocomplete="current-password"', page)
    assert re.search(r'<input[^>]*name="login"[^>]*autocomplete="username"', page)
    assert "onpaste" not in page and "paste" not in page.lower()


def test_a_password_is_checked_exactly_as_typed(make_person, password):
    """ASVS 6.2.8: no trimming, no change of case, no truncation."""
    from django.test import Client

    person = make_person()
    long_password = "a long and unusual passphrase " * 4  # 120 characters
    person.user.set_password(long_password)
    person.user.save()
    for wrong in (long_password.upper(), long_password[:72], long_password + " ", " " + long_password):
        response = Client().post(reverse("account_login"), {"login": person.user.username, "password": wrong})
        assert response.status_code == 200, repr(wrong[:10])
    assert Client().post(reverse("account_login"), {"login": person.user.username, "password": long_password})[
        "Location"
    ] == reverse("home")


def test_changing_a_password_needs_the_right_current_one(client, make_person, password):
    """ASVS 6.2.3."""
    person = make_person()
    client.force_login(person.user)
    new = "Sense-check-meeting-2031"
    response = client.post(
        reverse("account_change_password"), {"oldpassword": "not-the-password-1", "password1": new, "password2": new}
    )
    assert response.status_code == 200 and "Your current password is not right" in response.content.decode()
    person.user.refresh_from_db()
    assert person.user.check_password(password)
