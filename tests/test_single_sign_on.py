"""Single sign-on through a partnership's own OpenID Connect provider (accounts.adapter.SignOnAdapter), against
a real provider running as a second process (tests/oidc_provider): the authorisation-code flow with PKCE, the
ID token checked against the provider's keys, people matched by a verified email address within the provider's
partnership, no one created, and a partnership that turns passwords off."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse

from accounts.models import SignOnProvider
from accounts.services import passwords_allowed_set, sign_on_save
from inspections.models import Partnership
from people.models import Person
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

IDP_PASSWORD = "the organisation's own password"


def provider_for(partnership, oidc_provider, *, hosts=("http://testserver",)) -> SignOnProvider:
    provider = sign_on_save(
        partnership=partnership,
        name="Northshire Council (Microsoft Entra ID)",
        issuer=oidc_provider.issuer,
        client_id=oidc_provider.client_id,
        client_secret=oidc_provider.client_secret,
        email_domains="northshire.gov.uk",
        by=None,
    )
    oidc_provider.set_redirect_uris(
        [f"{host}{reverse('openid_connect_callback', args=[provider.provider_id])}" for host in hosts]
    )
    return provider


def through_the_provider(client: Client, provider: SignOnProvider, email: str, password: str = IDP_PASSWORD):
    """Start at the service, sign in at the provider (a real HTTP client), and come back; the service's answer."""
    start = client.post(reverse("openid_connect_login", args=[provider.provider_id]), {"process": "login"})
    assert start.status_code == 302, start.content.decode()
    authorize = start["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]  # PKCE
    idp = requests.Session()
    login_page = idp.get(authorize, timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    answer = idp.post(
        login_page.url,
        data={"csrfmiddlewaretoken": csrf, "username": email, "password": password},
        headers={"Referer": login_page.url},
        allow_redirects=False,
        timeout=10,
    )
    while answer.status_code == 302 and not answer.headers["Location"].startswith("http://testserver"):
        answer = idp.get(
            requests.compat.urljoin(answer.url, answer.headers["Location"]), allow_redirects=False, timeout=10
        )
    callback = answer.headers["Location"]
    assert callback.startswith("http://testserver/"), callback
    parts = urlsplit(callback)
    return client.get(parts.path, dict(parse_qs(parts.query, keep_blank_values=True)))


@pytest.fixture
def northshire(db):
    return PartnershipFactory(name="Northshire Safeguarding Children Partnership")


def person_with(partnership, email, make_role=Person.Role.LEAD):
    from tests.factories import PersonFactory

    person = PersonFactory(partnership=partnership, role=make_role)
    person.user.email = email
    person.user.save()
    return person


def test_an_invited_person_signs_in_through_their_organisation_matched_by_verified_email(northshire, oidc_provider):
    person = person_with(northshire, "sam.reid@northshire.gov.uk")
    oidc_provider.add_user("Sam.Reid@northshire.gov.uk", IDP_PASSWORD, name="Sam Reid")
    provider = provider_for(northshire, oidc_provider)
    client = Client()
    response = through_the_provider(client, provider, "Sam.Reid@northshire.gov.uk")
    assert response.status_code == 302 and response["Location"] == reverse("home"), response.content.decode()
    assert client.get(reverse("home")).context["user"] == person.user
    # The second time, the connected account is used.
    again = Client()
    assert through_the_provider(again, provider, "Sam.Reid@northshire.gov.uk")["Location"] == reverse("home")
    assert person.user.socialaccount_set.count() == 1


def test_an_unverified_email_address_is_refused_and_no_one_is_created(northshire, oidc_provider):
    from django.contrib.auth import get_user_model

    person_with(northshire, "una.verified@northshire.gov.uk")
    oidc_provider.add_user("una.verified@northshire.gov.uk", IDP_PASSWORD, verified=False)
    provider = provider_for(northshire, oidc_provider)
    users = get_user_model().objects.count()
    response = through_the_provider(Client(), provider, "una.verified@northshire.gov.uk")
    assert response.status_code == 403
    assert "does not match anyone in this partnership" in response.content.decode()
    assert get_user_model().objects.count() == users


def test_someone_in_another_partnership_cannot_sign_in_through_this_ones_provider(northshire, oidc_provider):
    elsewhere = PartnershipFactory(name="Southshire Safeguarding Partnership")
    person_with(elsewhere, "olu.ade@northshire.gov.uk")
    oidc_provider.add_user("olu.ade@northshire.gov.uk", IDP_PASSWORD)
    provider = provider_for(northshire, oidc_provider)
    client = Client()
    assert through_the_provider(client, provider, "olu.ade@northshire.gov.uk").status_code == 403
    assert client.get(reverse("home")).status_code == 302  # not signed in


def test_a_deactivated_person_cannot_sign_in_through_their_organisation(northshire, oidc_provider):
    person = person_with(northshire, "left@northshire.gov.uk")
    oidc_provider.add_user("left@northshire.gov.uk", IDP_PASSWORD)
    provider = provider_for(northshire, oidc_provider)
    assert through_the_provider(Client(), provider, "left@northshire.gov.uk")["Location"] == reverse("home")
    person.user.is_active = False
    person.user.save()
    client = Client()
    response = through_the_provider(client, provider, "left@northshire.gov.uk")
    assert response.status_code == 403
    assert client.get(reverse("home")).status_code == 302


def test_the_sign_in_page_finds_the_organisation_by_the_domain_of_the_address(northshire, oidc_provider):
    provider = provider_for(northshire, oidc_provider)
    client = Client()
    page = client.post(reverse("organisation_sign_in"), {"email": "anyone@NorthShire.gov.uk"}).content.decode()
    assert f"Continue to {provider.name}" in page
    assert reverse("openid_connect_login", args=[provider.provider_id]) in page
    page = client.post(reverse("organisation_sign_in"), {"email": "anyone@elsewhere.org"}).content.decode()
    assert "Single sign-on is not set up for addresses ending @elsewhere.org" in page


def test_a_partnership_with_passwords_off_refuses_them_and_its_invitations_point_to_single_sign_on(
    northshire, oidc_provider, password
):
    person = person_with(northshire, "pat@northshire.gov.uk")
    provider_for(northshire, oidc_provider)
    passwords_allowed_set(partnership=northshire, allowed=False, by=None)
    # The right password is answered as a wrong one: it confirms nothing about the account.
    right = Client().post(reverse("account_login"), {"login": person.user.username, "password": password})
    wrong = Client().post(reverse("account_login"), {"login": person.user.username, "password": "not-it-at-all-9"})
    assert right.status_code == wrong.status_code == 200
    assert "Enter a correct username and password" in right.content.decode()
    assert right.content.decode().count("Enter a correct") == wrong.content.decode().count("Enter a correct")
    client = Client()
    client.force_login(person.user)
    assert client.get(reverse("account_change_password")).status_code == 403
    # No reset link is sent for a password that cannot be used.
    from django.core import mail

    Client().post(reverse("account_reset_password"), {"email": "pat@northshire.gov.uk"})
    assert mail.outbox == []


def test_passwords_cannot_be_turned_off_without_a_single_sign_on(northshire):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Add a single sign-on"):
        passwords_allowed_set(partnership=northshire, allowed=False, by=None)
    assert Partnership.objects.get(pk=northshire.pk).passwords_allowed


def test_a_provider_cannot_vouch_for_an_address_outside_its_domains(northshire, oidc_provider):
    """Northshire's provider says it verified a police address: not its to vouch for, so no one is matched."""
    person_with(northshire, "pc.jones@northumbria.police.uk")
    oidc_provider.add_user("pc.jones@northumbria.police.uk", IDP_PASSWORD)
    provider = provider_for(northshire, oidc_provider)  # for northshire.gov.uk only
    assert through_the_provider(Client(), provider, "pc.jones@northumbria.police.uk").status_code == 403
