"""The test OpenID Connect provider (tests/oidc_provider, run by tests/oidc.py) is a real and standard one.

Spoken to over HTTP as a relying party would, with no mocks: discovery, the authorization-code flow with PKCE,
ID tokens checked against the published keys, userinfo, and the requests a provider must refuse.
"""

import base64
import hashlib
import re
import secrets
from urllib.parse import parse_qs, urljoin, urlsplit

import jwt
import pytest
import requests

from tests.oidc import oidc_provider  # noqa: F401

CALLBACK = "http://127.0.0.1:8999/accounts/oidc/test-provider/login/callback/"
PASSWORD = "correct horse battery staple"
VERIFIED = "sam@example.org"
UNVERIFIED = "alex@example.org"
TIMEOUT = 10  # seconds, for each request


@pytest.fixture(scope="module")
def provider(oidc_provider):  # noqa: F811 (the fixture imported above)
    oidc_provider.set_redirect_uris([CALLBACK])
    oidc_provider.add_user(VERIFIED, PASSWORD, name="Sam Example")
    oidc_provider.add_user(UNVERIFIED, PASSWORD, name="Alex Example", verified=False)
    return oidc_provider


@pytest.fixture(scope="module")
def discovery(provider):
    return requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=TIMEOUT).json()


def pkce() -> tuple[str, str]:
    """A code verifier and its S256 code challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorization_request(provider, **params) -> dict[str, str]:
    return {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": CALLBACK,
        "scope": "openid email profile",
        "state": secrets.token_urlsafe(16),
        "nonce": secrets.token_urlsafe(16),
        **params,
    }


def sign_in_and_authorize(discovery, params, email=VERIFIED) -> requests.Response:
    """Ask for authorization, sign in on the provider's page as a browser would, and return its last answer.

    The answer is not followed: a redirect to the client is where the test looks for the code or the error.
    """
    browser = requests.Session()
    sign_in_page = browser.get(discovery["authorization_endpoint"], params=params, timeout=TIMEOUT)
    assert sign_in_page.status_code == 200
    # What a browser test fills in and presses.
    assert '<label for="id_username">Email address</label>' in sign_in_page.text
    assert '<label for="id_password">Password</label>' in sign_in_page.text
    assert '<button type="submit">Sign in</button>' in sign_in_page.text
    csrf_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', sign_in_page.text)[1]
    signed_in = browser.post(
        sign_in_page.url,
        data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert signed_in.status_code == 302, "the provider refused the user's email address and password"
    return browser.get(urljoin(sign_in_page.url, signed_in.headers["Location"]), allow_redirects=False, timeout=TIMEOUT)


def redirect_query(response: requests.Response, redirect_uri=CALLBACK) -> dict[str, str]:
    """The parameters of a redirect to the client, after checking it goes to the redirect URI asked for."""
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.split("?")[0] == redirect_uri
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


def exchange(provider, discovery, code, verifier, client_auth="client_secret_basic") -> requests.Response:
    """The token request, with the client's id and secret in HTTP Basic or, as allauth sends them, in the form."""
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier}
    if client_auth == "client_secret_post":
        data |= {"client_id": provider.client_id, "client_secret": provider.client_secret}
        return requests.post(discovery["token_endpoint"], data=data, timeout=TIMEOUT)
    return requests.post(
        discovery["token_endpoint"], data=data, auth=(provider.client_id, provider.client_secret), timeout=TIMEOUT
    )


def sign_in_fully(provider, discovery, email, client_auth="client_secret_basic"):
    """The whole authorization-code flow with PKCE: the token response and the ID token's checked claims."""
    verifier, challenge = pkce()
    params = authorization_request(provider, code_challenge=challenge, code_challenge_method="S256")
    answer = redirect_query(sign_in_and_authorize(discovery, params, email))
    assert answer["state"] == params["state"]
    tokens = exchange(provider, discovery, answer["code"], verifier, client_auth)
    assert tokens.status_code == 200, tokens.text
    tokens = tokens.json()
    id_token = tokens["id_token"]
    signing_key = jwt.PyJWKClient(discovery["jwks_uri"]).get_signing_key_from_jwt(id_token)
    claims = jwt.decode(
        id_token, signing_key.key, algorithms=["RS256"], audience=provider.client_id, issuer=discovery["issuer"]
    )
    assert claims["nonce"] == params["nonce"]
    return tokens, claims


def userinfo(discovery, access_token) -> dict:
    response = requests.get(
        discovery["userinfo_endpoint"], headers={"Authorization": f"Bearer {access_token}"}, timeout=TIMEOUT
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_discovery_names_the_issuer_and_its_endpoints(provider, discovery):
    assert discovery["issuer"] == provider.issuer == f"http://127.0.0.1:{provider.port}/o"
    for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint"):
        assert discovery[endpoint].startswith(f"{provider.issuer}/"), endpoint
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    assert "RS256" in discovery["id_token_signing_alg_values_supported"]
    assert {"openid", "email", "profile"} <= set(discovery["scopes_supported"])
    assert {"sub", "email", "email_verified", "name"} <= set(discovery["claims_supported"])


def test_authorization_code_flow_with_pkce_signs_a_verified_user_in(provider, discovery):
    tokens, claims = sign_in_fully(provider, discovery, VERIFIED)

    assert claims["iss"] == provider.issuer
    assert claims["aud"] == provider.client_id
    assert claims["email"] == VERIFIED
    assert claims["email_verified"] is True
    assert claims["name"] == "Sam Example"
    assert tokens["token_type"] == "Bearer"
    assert userinfo(discovery, tokens["access_token"]) == {
        "sub": claims["sub"],
        "email": VERIFIED,
        "email_verified": True,
        "name": "Sam Example",
    }


def test_an_unverified_email_is_said_to_be_unverified(provider, discovery):
    tokens, claims = sign_in_fully(provider, discovery, UNVERIFIED, client_auth="client_secret_post")

    assert claims["email"] == UNVERIFIED
    assert claims["email_verified"] is False
    assert userinfo(discovery, tokens["access_token"])["email_verified"] is False


def test_authorization_without_a_code_challenge_is_refused(provider, discovery):
    params = authorization_request(provider)

    answer = redirect_query(sign_in_and_authorize(discovery, params))

    assert "code" not in answer
    assert answer["error"] == "invalid_request"
    assert answer["state"] == params["state"]


def test_a_wrong_code_verifier_is_refused(provider, discovery):
    _, challenge = pkce()
    params = authorization_request(provider, code_challenge=challenge, code_challenge_method="S256")
    answer = redirect_query(sign_in_and_authorize(discovery, params))

    someone_elses_verifier, _ = pkce()
    response = exchange(provider, discovery, answer["code"], someone_elses_verifier)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert "id_token" not in response.json()


def test_a_wrong_client_secret_is_refused(provider, discovery):
    verifier, challenge = pkce()
    params = authorization_request(provider, code_challenge=challenge, code_challenge_method="S256")
    answer = redirect_query(sign_in_and_authorize(discovery, params))

    response = requests.post(
        discovery["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": answer["code"],
            "redirect_uri": CALLBACK,
            "code_verifier": verifier,
        },
        auth=(provider.client_id, "not the secret"),
        timeout=TIMEOUT,
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "http://127.0.0.1:8999/accounts/oidc/test-provider/login/elsewhere/",
        "http://localhost:8999/accounts/oidc/test-provider/login/callback/",
        f"{CALLBACK}?next=/elsewhere/",
    ],
    ids=["another path", "another host", "an added query"],
)
def test_a_redirect_uri_not_registered_is_refused(provider, discovery, redirect_uri):
    _, challenge = pkce()
    params = authorization_request(
        provider, redirect_uri=redirect_uri, code_challenge=challenge, code_challenge_method="S256"
    )

    response = sign_in_and_authorize(discovery, params)

    assert response.status_code == 400
    assert "Location" not in response.headers
    assert "invalid_request" in response.text


def test_a_redirect_uri_on_127_0_0_1_may_use_any_port(provider, discovery):
    """RFC 8252 (7.3): a loopback redirect URI registered on 127.0.0.1 matches whatever port is asked for."""
    elsewhere = CALLBACK.replace(":8999/", ":8998/")
    _, challenge = pkce()
    params = authorization_request(
        provider, redirect_uri=elsewhere, code_challenge=challenge, code_challenge_method="S256"
    )

    answer = redirect_query(sign_in_and_authorize(discovery, params), redirect_uri=elsewhere)

    assert answer["code"]
