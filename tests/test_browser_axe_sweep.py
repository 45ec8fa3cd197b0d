"""Every page a demo user of each role can reach passes an axe-core scan and carries the security headers.

A crawler (tests/crawl.py) signs in as each role, follows every same-site link it finds (GET only, never a
download or sign-out), and scans each distinct page once. New pages are swept automatically as soon as they
are linked from anywhere a user can reach.
"""

import pytest

from tests.crawl import reachable_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["manager", "chair", "lead", "officer", "viewer", "support", "monitor"]


@pytest.mark.parametrize("role", ROLES)
def test_every_reachable_page_passes_axe(page, live_server, demo, sign_in_demo, axe_violations, role, record_property):
    sign_in_demo(role)

    scanned: dict[str, list] = {}
    for url, response in reachable_pages(page, live_server.url):
        headers = response.headers
        csp = headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, f"{url}: weak or missing CSP"
        assert headers.get("x-frame-options") == "DENY" and headers.get("x-content-type-options") == "nosniff", url
        scanned[url] = axe_violations(page)
    failing = {url: found for url, found in scanned.items() if found}
    record_property("pages_scanned", len(scanned))
    print(f"{role}: {len(scanned)} pages scanned")
    assert len(scanned) >= 5
    assert failing == {}


def test_the_pages_before_sign_in_pass_axe(page, live_server, axe_violations):
    """Sign in, forgotten password (empty and sent), and a spent invitation link: what someone sees first."""
    found = {}
    for path in ("/accounts/login/", "/accounts/organisation/", "/accounts/invitation/set-password/"):
        page.goto(live_server.url + path)
        found[path] = axe_violations(page)
    page.goto(live_server.url + "/accounts/password/reset/")
    page.get_by_role("button", name="Send the link").click()  # empty: the error summary
    found["forgotten, empty"] = axe_violations(page)
    page.get_by_label("Email address").fill("someone@example.org")
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_load_state()
    assert "Check your email" in page.content()
    found["sent"] = axe_violations(page)
    page.goto(live_server.url + "/accounts/organisation/")
    page.get_by_label("Your work email address").fill("someone@nowhere.example")
    page.get_by_role("button", name="Continue").click()  # no single sign-on for that domain: the error summary
    assert "Single sign-on is not set up" in page.content()
    found["organisation, no sign-on"] = axe_violations(page)
    assert {where: violations for where, violations in found.items() if violations} == {}
