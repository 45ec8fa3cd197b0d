"""Signing in, in Chromium: through the partnership's own OpenID Connect provider (a real one, in a second
process), with an authenticator app and a recovery code, and a lockout behind a trusted proxy."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from accounts.services import sign_on_save
from people.models import Person
from tests import second_factor

pytestmark = pytest.mark.django_db(transaction=True)

IDP_PASSWORD = "the organisation's own password"


def test_a_lead_signs_in_through_the_local_provider(page, live_server, make_person, oidc_provider):
    lead = make_person(role=Person.Role.LEAD)
    lead.user.email = "lee.adams@northshire.gov.uk"
    lead.user.save()
    oidc_provider.add_user("lee.adams@northshire.gov.uk", IDP_PASSWORD, name="Lee Adams")
    provider = sign_on_save(
        partnership=lead.partnership,
        name="Northshire Council (Microsoft Entra ID)",
        issuer=oidc_provider.issuer,
        client_id=oidc_provider.client_id,
        client_secret=oidc_provider.client_secret,
        email_domains="northshire.gov.uk",
        by=None,
    )
    oidc_provider.set_redirect_uris([live_server.url + reverse("openid_connect_callback", args=[provider.provider_id])])

    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with your organisation's account").click()
    page.get_by_label("Your work email address").fill("lee.adams@northshire.gov.uk")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Continue to Northshire Council (Microsoft Entra ID)").wait_for()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(rf"^http://127\.0\.0\.1:{oidc_provider.port}/"))
    page.get_by_label("Email address").fill("lee.adams@northshire.gov.uk")
    page.get_by_label("Password").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")
    assert f"Signed in as {lead.name}" in page.content()


def enrol_in_the_browser(page) -> str:
    """On the set-up page: read the key, type the app's code, turn it on; the recovery codes shown."""
    secret = page.get_by_label("Key, to type in if you cannot scan the code").input_value()
    page.get_by_label("Code from the app").fill(second_factor.code(secret))
    page.get_by_role("button", name="Turn on").click()
    page.wait_for_url("**/recovery-codes/")
    assert "Your recovery codes" in page.content()
    return secret


def password_step(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")


def test_a_chair_enrols_an_authenticator_and_signs_in_with_a_code(
    page, settings, make_person, password, axe_violations
):
    settings.SECOND_FACTOR_REQUIRED = True
    chair = make_person(role=Person.Role.CHAIR)
    password_step(page, chair.user.username, password)
    # A chair must set one up before anything else.
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert "Set up an authenticator app" in page.content()
    assert axe_violations(page) == []
    page.goto("/")
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    secret = enrol_in_the_browser(page)
    codes = page.locator(".app-recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert axe_violations(page) == []
    page.goto("/")
    assert "Signed in as" in page.content()
    sign_out(page)

    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=60)
    with time_machine.travel(later, tick=True):
        password_step(page, chair.user.username, password)
        page.wait_for_url("**/accounts/2fa/authenticate/")
        assert axe_violations(page) == []
        page.get_by_label("Code from your authenticator app").fill("000000")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
        assert "Enter the code your authenticator app shows now" in page.content()
        page.get_by_label("Code from your authenticator app").fill(second_factor.code(secret))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(re.compile(r"^http://[^/]+/$"))
        assert f"Signed in as {chair.name}" in page.content()


def test_a_recovery_code_works_once(page, settings, make_person, password):
    settings.SECOND_FACTOR_REQUIRED = True
    officer = make_person(role=Person.Role.OFFICER)
    password_step(page, officer.user.username, password)
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    enrol_in_the_browser(page)
    recovery = page.locator(".app-recovery-codes code").all_inner_texts()[3]
    page.goto("/")
    sign_out(page)

    password_step(page, officer.user.username, password)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code from your authenticator app").fill(recovery)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r".*/$"))
    assert f"Signed in as {officer.name}" in page.content()
    page.goto("/accounts/2fa/recovery-codes/")
    assert "9 of 10 are unused" in page.content()
    assert recovery not in page.locator(".app-recovery-codes").inner_text()
    page.goto("/")
    sign_out(page)

    password_step(page, officer.user.username, password)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code from your authenticator app").fill(recovery)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert "Enter the code your authenticator app shows now, or an unused recovery code" in page.content()
    assert "/accounts/2fa/authenticate/" in page.url


def test_a_lockout_from_one_address_does_not_lock_the_person_out_from_another_behind_a_trusted_proxy(
    chromium, live_server, settings, make_person, password
):
    """The live server's peer is 127.0.0.1: here, the trusted proxy, which says who the client is."""
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    lead = make_person(role=Person.Role.LEAD)

    def browser_at(address):
        context = chromium.new_context(base_url=live_server.url, extra_http_headers={"X-Forwarded-For": address})
        return context, context.new_page()

    attacker_context, attacker = browser_at("198.51.100.7")
    for _ in range(10):
        password_step(attacker, lead.user.username, "wrong-guess-123")
        assert "Enter a correct username and password" in attacker.content()
    password_step(attacker, lead.user.username, password)
    assert "Too many failed attempts to sign in" in attacker.content()
    attacker_context.close()

    own_context, own = browser_at("203.0.113.20")
    password_step(own, lead.user.username, password)
    own.wait_for_url(live_server.url + "/")
    assert f"Signed in as {lead.name}" in own.content()
    own_context.close()
