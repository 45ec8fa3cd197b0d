"""Every response the app makes is kept by no cache (``Cache-Control: private, no-store``) and turns off the
browser features no page uses (``Permissions-Policy``), passkeys excepted: jtai_tracker.middleware."""

import re

import pytest
from django.conf import settings as project_settings
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import get_resolver, reverse

from jtai_tracker.middleware import ResponseHeadersMiddleware
from people.models import Person
from tests.jobs import file_of
from tests.test_security import _concrete, _walk
from tests.test_tenancy_matrix import NORTHUMBERLAND, OBJECT_ARGS, _objects_of

pytestmark = pytest.mark.django_db

DENIED = ["camera", "microphone", "geolocation", "payment", "usb", "serial", "hid", "midi", "display-capture"]


def assert_not_kept_and_features_off(response, what=""):
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, f"{what}: Cache-Control {response.get('Cache-Control')!r}"
    assert "public" not in directives, what
    assert response.get("Permissions-Policy") == project_settings.PERMISSIONS_POLICY, what


def test_the_policy_turns_off_what_the_service_never_uses_and_allows_its_own_passkeys():
    policy = dict(part.strip().split("=", 1) for part in project_settings.PERMISSIONS_POLICY.split(","))
    for feature in [*DENIED, "browsing-topics", "interest-cohort"]:
        assert policy[feature] == "()", feature
    assert policy["publickey-credentials-get"] == "(self)"
    assert policy["publickey-credentials-create"] == "(self)"


@pytest.fixture
def manager_client(client, make_person):
    client.force_login(make_person(role=Person.Role.MANAGER).user)
    return client


def test_a_signed_in_page(manager_client):
    response = manager_client.get(reverse("home"))
    assert response.status_code == 200
    assert_not_kept_and_features_off(response)


@pytest.mark.parametrize("url", [resolve_url(project_settings.LOGIN_URL), reverse("account_reset_password")])
def test_the_pages_before_sign_in_which_carry_a_csrf_token(client, url):
    response = client.get(url)
    assert response.status_code == 200 and "csrfmiddlewaretoken" in response.content.decode()
    assert_not_kept_and_features_off(response)


@pytest.mark.parametrize("url", ["/health", "/accessibility/", "/no-such-page/"])
def test_public_pages_and_not_found(client, url):
    assert_not_kept_and_features_off(client.get(url), url)


def test_a_server_error_page_to_a_signed_in_user(make_person, monkeypatch):
    from inspections import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "render", broken)
    browser = Client(raise_request_exception=False)
    browser.force_login(make_person(role=Person.Role.MANAGER).user)
    response = browser.get(reverse("home"))
    assert response.status_code == 500
    assert_not_kept_and_features_off(response)


@pytest.fixture
def northumberland(demo, settings, tmp_path):
    """The demo with one evidence file, a measure and a published report; its manager signed in."""
    return _objects_of(NORTHUMBERLAND, settings, tmp_path)


@pytest.fixture
def demo_manager(client, demo):
    client.force_login(Person.objects.get(user__username="manager").user)
    return client


@pytest.mark.parametrize(
    ("name", "argument"),
    [
        ("actions:evidence", "evidence"),
        ("transfers:export_xlsx", "plan"),
        ("transfers:export_json", "plan"),
        ("reports:round_csv", "round"),
        ("reports:published_pdf", "published"),
        ("reports:published_docx", "published"),
    ],
)
def test_downloads_keep_private_no_store(demo_manager, northumberland, name, argument):
    response = demo_manager.get(reverse(name, args=[northumberland[argument].pk]))
    if response.status_code == 302:  # built by a job: its file
        response = file_of(demo_manager, response)
    assert response.status_code == 200, name
    assert response["Content-Disposition"].startswith(("attachment;", "inline;")), name
    assert response["Cache-Control"] == "private, no-store", name  # as downloads.attachment_response says
    assert response["X-Content-Type-Options"] == "nosniff"
    assert_not_kept_and_features_off(response, name)


def test_every_page_a_manager_can_open_is_kept_by_no_cache(demo_manager, northumberland):
    answered = {}
    for route, name in _walk(get_resolver()):
        url = reverse(name, args=OBJECT_ARGS[name](northumberland)) if name in OBJECT_ARGS else _concrete(route)
        response = demo_manager.get(url)
        assert_not_kept_and_features_off(response, url)
        assert_get_forms_carry_no_token(response, url)
        answered[url] = response.status_code
    assert sum(status == 200 for status in answered.values()) >= 40, answered


def assert_get_forms_carry_no_token(response, url) -> None:
    """A GET form's fields end up in the address (history, logs, Referer): never the CSRF token."""
    if "text/html" not in response.get("Content-Type", ""):
        return
    page = response.content.decode()
    for form in re.findall(r'<form[^>]*method="get"[^>]*>.*?</form>', page, re.S | re.I):
        assert "csrfmiddlewaretoken" not in form, url


def test_a_page_that_asks_to_be_cached_publicly_is_not():
    def cacheable(request):
        response = HttpResponse("figures")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    response = ResponseHeadersMiddleware(cacheable)(None)
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "public" not in directives and {"private", "no-store"} <= directives


def test_static_files_keep_their_caching_and_carry_the_policy(client):
    response = client.get("/static/css/quadrants.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert response["Permissions-Policy"] == project_settings.PERMISSIONS_POLICY
    response.close()


@pytest.mark.browser
def test_chromium_reads_the_policy_without_complaint(page):
    complaints = []
    page.on("console", lambda message: complaints.append(message.text))
    page.goto(resolve_url(project_settings.LOGIN_URL))
    assert [text for text in complaints if "Permissions-Policy" in text] == []
    for feature in DENIED:
        assert page.evaluate("feature => document.featurePolicy.allowsFeature(feature)", feature) is False, feature
    assert page.evaluate("document.featurePolicy.allowsFeature('publickey-credentials-get')") is True
