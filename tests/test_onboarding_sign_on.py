"""Support staff set up a partnership's single sign-on (onboarding views, accounts.services.sign_on_*): the
form's rules, the redirect URI to register, keeping the secret, passwords off, and the security log."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import SignOnProvider
from audit.models import AuditEvent
from inspections.models import Partnership
from onboarding.services import support_user_create
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Northshire Council (Microsoft Entra ID)",
    "issuer": "https://login.microsoftonline.com/tenant-id/v2.0/",
    "client_id": "client-id",
    "client_secret": "the-secret",
    "email_domains": "@Northshire.gov.uk, nhs.net, northshire.gov.uk",
}


@pytest.fixture
def support(db):
    client = Client()
    client.force_login(support_user_create(username="helpdesk", email="helpdesk@service.example.org"))
    return client


@pytest.fixture
def northshire(db):
    return PartnershipFactory(name="Northshire Safeguarding Children Partnership")


def test_support_adds_a_provider_and_sees_the_redirect_uri_to_register(support, northshire, settings):
    settings.SITE_URL = "https://tracker.example.gov.uk"
    response = support.post(reverse("onboarding:sign_on_new", args=[northshire.pk]), FORM, follow=True)
    provider = SignOnProvider.objects.get(partnership=northshire)
    assert (provider.issuer, provider.email_domains) == (
        "https://login.microsoftonline.com/tenant-id/v2.0",
        "northshire.gov.uk, nhs.net",
    )
    callback = f"https://tracker.example.gov.uk/accounts/oidc/{provider.provider_id}/login/callback/"
    assert callback in response.content.decode()
    event = AuditEvent.objects.get(event=AuditEvent.Event.SIGN_IN_SETTINGS_CHANGED)
    assert (event.partnership, event.subject) == (northshire, provider.name)
    assert "Single sign-on added" in event.detail


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter the name people see"),
        ("issuer", "not a url", "Enter the issuer address in the correct format"),
        ("issuer", "https://login.example.org/v2.0?x=1", "without anything after a ? or #"),
        ("client_secret", "", "Enter the client secret"),
        ("email_domains", "not a domain", "Enter domains like northshire.gov.uk"),
    ],
)
def test_a_bad_field_is_refused_beside_it_and_nothing_is_saved(support, northshire, field, value, message):
    response = support.post(reverse("onboarding:sign_on_new", args=[northshire.pk]), {**FORM, field: value})
    assert response.status_code == 200 and message in response.content.decode()
    assert not SignOnProvider.objects.exists()


def test_a_live_service_takes_only_an_https_issuer(support, northshire, settings):
    settings.PRODUCTION = True
    data = {**FORM, "issuer": "http://127.0.0.1:9000/o"}
    response = support.post(reverse("onboarding:sign_on_new", args=[northshire.pk]), data)
    assert "must start with https://" in response.content.decode()


def test_changing_a_provider_keeps_its_secret_when_the_box_is_left_blank(support, northshire):
    support.post(reverse("onboarding:sign_on_new", args=[northshire.pk]), FORM)
    provider = SignOnProvider.objects.get()
    url = reverse("onboarding:sign_on", args=[northshire.pk, provider.pk])
    assert "the-secret" not in support.get(url).content.decode()
    support.post(url, {**FORM, "name": "Northshire Council", "client_secret": ""})
    provider.refresh_from_db()
    provider.app.refresh_from_db()
    assert (provider.name, provider.app.secret) == ("Northshire Council", "the-secret")


def test_passwords_off_needs_a_provider_and_its_last_provider_cannot_then_be_removed(support, northshire):
    passwords = reverse("onboarding:passwords", args=[northshire.pk])
    page = support.post(passwords, {"allowed": "no"}, follow=True).content.decode()
    assert "Add a single sign-on before turning passwords off" in page
    support.post(reverse("onboarding:sign_on_new", args=[northshire.pk]), FORM)
    support.post(passwords, {"allowed": "no"})
    assert not Partnership.objects.get(pk=northshire.pk).passwords_allowed
    provider = SignOnProvider.objects.get()
    page = support.post(
        reverse("onboarding:sign_on_delete", args=[northshire.pk, provider.pk]), follow=True
    ).content.decode()
    assert "Turn passwords back on before removing" in page
    assert SignOnProvider.objects.exists()
    assert {e.detail for e in AuditEvent.objects.filter(event=AuditEvent.Event.SIGN_IN_SETTINGS_CHANGED)} >= {
        "Passwords turned off"
    }


def test_a_provider_of_another_partnership_is_not_found_under_this_one(support, northshire):
    support.post(reverse("onboarding:sign_on_new", args=[northshire.pk]), FORM)
    provider = SignOnProvider.objects.get()
    elsewhere = PartnershipFactory(name="Southshire Safeguarding Partnership")
    assert support.get(reverse("onboarding:sign_on", args=[elsewhere.pk, provider.pk])).status_code == 404
    assert support.post(reverse("onboarding:sign_on_delete", args=[elsewhere.pk, provider.pk])).status_code == 404
    assert SignOnProvider.objects.exists()
