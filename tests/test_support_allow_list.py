"""The support site (/support/) exists only for clients on SUPPORT_ADMIN_ALLOWED_NETWORKS: from anywhere else
every address under it, its sign-in page included, is not found, exactly as an unknown address is. The client's
address is jtai_tracker.client_ip's: X-Forwarded-For believed only from a trusted proxy."""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import get_resolver

from jtai_tracker import urls, urls_outside
from jtai_tracker.checks import addresses_parse, support_site_allow_list
from tests.second_factor import signed_in_with_second_factor
from tests.test_security import ROUTES

pytestmark = pytest.mark.django_db

SUPPORT_TEAM = "192.0.2.0/24"
INSIDE = "192.0.2.7"
OUTSIDE = "198.51.100.7"
PROXY = "10.0.0.5"

#: Every address of the support site in the URLconf, with ids filled in; and some it has not.
SUPPORT_URLS = [
    *sorted({url for url, _ in ROUTES if url.startswith("/support/")}),
    "/support",
    "/support/no-such-page/",
]


def _page(response) -> str:
    """The page, less the CSRF token of its sign-out form (masked afresh on every page)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


@pytest.fixture
def allow_list(settings):
    settings.SUPPORT_ADMIN_ALLOWED_NETWORKS = [SUPPORT_TEAM, "2001:db8::/32"]
    settings.TRUSTED_PROXIES = []
    return settings


def test_the_sweep_finds_the_support_site():
    assert len(SUPPORT_URLS) > 50 and "/support/login/" in SUPPORT_URLS


def test_inside_the_list_the_support_site_signs_in(allow_list, admin_user):
    browser = Client(REMOTE_ADDR=INSIDE)
    assert browser.get("/support/login/").status_code == 302
    signed_in_with_second_factor(browser, admin_user)
    assert browser.get("/support/").status_code == 200
    assert Client(REMOTE_ADDR="2001:db8::1").get("/support/login/").status_code == 302


def test_outside_the_list_every_support_address_is_not_found_like_any_unknown_address(allow_list, admin_user):
    browser = Client(REMOTE_ADDR=OUTSIDE)
    unknown = browser.get("/no-such-page/")
    assert unknown.status_code == 404
    for signed_in in (False, True):
        if signed_in:
            browser.force_login(admin_user)
            unknown = browser.get("/no-such-page/")
        for url in SUPPORT_URLS:
            response = browser.get(url)
            assert response.status_code == 404, url
            assert _page(response) == _page(unknown), url
        assert (
            browser.post("/support/login/", {"username": admin_user.username, "password": "password"}).status_code
            == 404
        )


def test_outside_the_list_the_rest_of_the_service_works(allow_list, client, make_person):
    browser = Client(REMOTE_ADDR=OUTSIDE)
    assert browser.get("/health").status_code == 200
    assert browser.get("/accounts/login/").status_code == 200
    browser.force_login(make_person().user)
    assert browser.get("/").status_code == 200


@pytest.mark.parametrize(
    ("forwarded", "found"),
    [
        (INSIDE, True),  # the proxy saw the support team's address
        (OUTSIDE, False),
        # A client that writes the support team's address into its own X-Forwarded-For is still itself.
        (f"{INSIDE}, {OUTSIDE}", False),
        (f"{OUTSIDE}, {INSIDE}", True),
        ("not-an-address", False),  # garbled: the proxy is the client, and it is not on the list
    ],
)
def test_behind_a_trusted_proxy_the_address_it_saw_is_the_clients(allow_list, forwarded, found):
    allow_list.TRUSTED_PROXIES = ["10.0.0.0/8"]
    response = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).get("/support/login/")
    assert response.status_code == (302 if found else 404)


def test_x_forwarded_for_from_an_untrusted_peer_is_not_believed(allow_list):
    allow_list.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert Client(REMOTE_ADDR=OUTSIDE, HTTP_X_FORWARDED_FOR=INSIDE).get("/support/login/").status_code == 404
    allow_list.TRUSTED_PROXIES = []
    assert Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=INSIDE).get("/support/login/").status_code == 404


def test_an_empty_list_is_anywhere_in_development_and_nowhere_in_production(settings):
    settings.SUPPORT_ADMIN_ALLOWED_NETWORKS = []
    assert Client(REMOTE_ADDR=OUTSIDE).get("/support/login/").status_code == 302
    settings.PRODUCTION = True
    assert Client(REMOTE_ADDR=OUTSIDE).get("/support/login/").status_code == 404
    assert Client(REMOTE_ADDR="127.0.0.1").get("/support/login/").status_code == 404


def test_check_deploy_warns_while_production_has_no_list(settings):
    settings.PRODUCTION, settings.SUPPORT_ADMIN_ALLOWED_NETWORKS = True, []
    assert [warning.id for warning in support_site_allow_list(None)] == ["jtai_tracker.W001"]
    settings.SUPPORT_ADMIN_ALLOWED_NETWORKS = [SUPPORT_TEAM]
    assert support_site_allow_list(None) == []
    settings.PRODUCTION, settings.SUPPORT_ADMIN_ALLOWED_NETWORKS = False, []
    assert support_site_allow_list(None) == []


def test_a_mistyped_entry_closes_the_support_site_and_the_check_names_it(settings):
    settings.SUPPORT_ADMIN_ALLOWED_NETWORKS = [SUPPORT_TEAM, "192.0.2.300"]
    assert Client(REMOTE_ADDR=INSIDE).get("/support/login/").status_code == 404
    assert Client(REMOTE_ADDR=INSIDE).get("/health").status_code == 200
    errors = addresses_parse(None)
    assert [error.id for error in errors] == ["jtai_tracker.E001"] and "192.0.2.300" in errors[0].msg
    settings.SUPPORT_ADMIN_ALLOWED_NETWORKS = [SUPPORT_TEAM]
    settings.TRUSTED_PROXIES = ["proxy.internal"]
    assert [error.id for error in addresses_parse(None)] == ["jtai_tracker.E001"]


def test_the_outside_urlconf_is_the_services_without_the_support_site():
    support = [pattern for pattern in urls.urlpatterns if pattern not in urls_outside.urlpatterns]
    assert [getattr(pattern, "namespace", None) for pattern in support] == [admin.site.name]
    for handler in ("handler400", "handler403", "handler404", "handler500"):
        assert getattr(urls_outside, handler, None) == getattr(urls, handler, None), handler
    assert get_resolver(urls_outside.__name__).resolve("/health").url_name == "health"
