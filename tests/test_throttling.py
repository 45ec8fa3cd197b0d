"""Throttled sign-in (accounts.adapter, settings.ACCOUNT_RATE_LIMITS), behind trusted and untrusted proxies.

A sign-in name from one address is locked out after 10 failures in 15 minutes, from that address only; one
address is stopped after 30 failures across any names (password spraying); a name is stopped after 100
failures from all addresses together in an hour. Every lockout is in the security log.
"""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from people.models import Person

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
LOCKED = "Too many failed attempts to sign in"


def attempt(client, username, password, *, address="198.51.100.7", forwarded=None):
    headers = {"REMOTE_ADDR": address}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("account_login"), {"login": username, "password": password}, **headers)


def fail(client, username, times, **where):
    for _ in range(times):
        response = attempt(client, username, "wrong-guess-123", **where)
        assert response.status_code == 200
    return response


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("home")


def test_ten_failures_lock_the_name_out_from_that_address_with_a_clear_message(make_person, password):
    person = make_person()
    client = Client()
    page = fail(client, person.user.username, 10).content.decode()
    assert LOCKED not in page
    response = attempt(client, person.user.username, password)
    assert response.status_code == 200 and LOCKED in response.content.decode()  # even the right password
    assert "Wait 15 minutes" in response.content.decode()


def test_nine_failures_then_the_right_password_signs_in(make_person, password):
    person = make_person()
    client = Client()
    fail(client, person.user.username, 9)
    assert signed_in(attempt(client, person.user.username, password))


def test_the_lockout_lifts_after_15_minutes(make_person, password):
    person = make_person()
    client = Client()
    with time_machine.travel("2030-01-01 09:00", tick=False):
        fail(client, person.user.username, 10)
    with time_machine.travel("2030-01-01 09:14", tick=False):
        assert LOCKED in attempt(client, person.user.username, password).content.decode()
    with time_machine.travel("2030-01-01 09:16", tick=False):
        assert signed_in(attempt(client, person.user.username, password))


def test_a_lockout_from_one_address_does_not_lock_the_person_out_from_another(make_person, password):
    person = make_person()
    fail(Client(), person.user.username, 10, address="198.51.100.7")
    assert LOCKED in attempt(Client(), person.user.username, password, address="198.51.100.7").content.decode()
    assert signed_in(attempt(Client(), person.user.username, password, address="203.0.113.20"))


def test_behind_a_trusted_proxy_the_lockout_keys_on_the_real_client(settings, make_person, password):
    settings.TRUSTED_PROXIES = [PROXY]
    person = make_person()
    fail(Client(), person.user.username, 10, address=PROXY, forwarded="198.51.100.7")
    attacker = attempt(Client(), person.user.username, password, address=PROXY, forwarded="198.51.100.7")
    assert LOCKED in attacker.content.decode()
    # The person, through the same proxy from their own address, signs in.
    assert signed_in(attempt(Client(), person.user.username, password, address=PROXY, forwarded="203.0.113.20"))


def test_a_spoofed_forwarded_address_through_a_trusted_proxy_does_not_escape_the_lockout(
    settings, make_person, password
):
    """The attacker writes a new X-Forwarded-For each time; the proxy appends the address it saw, which is used."""
    settings.TRUSTED_PROXIES = [PROXY]
    person = make_person()
    client = Client()
    for attempt_number in range(10):
        attempt(
            client,
            person.user.username,
            "wrong-guess-123",
            address=PROXY,
            forwarded=f"1.2.3.{attempt_number}, 198.51.100.7",
        )
    response = attempt(client, person.user.username, password, address=PROXY, forwarded="9.9.9.9, 198.51.100.7")
    assert LOCKED in response.content.decode()


def test_x_forwarded_for_from_an_untrusted_peer_is_not_believed(settings, make_person, password):
    """Without the peer in DJANGO_TRUSTED_PROXIES, X-Forwarded-For is ignored: rotating it changes nothing."""
    settings.TRUSTED_PROXIES = [PROXY]
    person = make_person()
    client = Client()
    for attempt_number in range(10):
        attempt(
            client, person.user.username, "wrong-guess-123", address="198.51.100.7", forwarded=f"1.2.3.{attempt_number}"
        )
    response = attempt(client, person.user.username, password, address="198.51.100.7", forwarded="4.4.4.4")
    assert LOCKED in response.content.decode()


def test_password_spraying_across_30_names_from_one_address_is_stopped(make_person, password):
    people = [make_person() for _ in range(31)]
    client = Client()
    for person in people[:30]:
        assert attempt(client, person.user.username, "Winter2026!!").status_code == 200
    # The 31st name, never tried before, is refused from that address, even with its right password ...
    assert LOCKED in attempt(client, people[30].user.username, password).content.decode()
    # ... and signs in from anywhere else.
    assert signed_in(attempt(Client(), people[30].user.username, password, address="203.0.113.20"))


def test_a_name_attacked_from_many_addresses_is_stopped_after_100_failures_in_an_hour(make_person, password):
    person = make_person()
    for address in range(100):
        attempt(Client(), person.user.username, "wrong-guess-123", address=f"198.51.100.{address}")
    assert LOCKED in attempt(Client(), person.user.username, password, address="203.0.113.20").content.decode()


def test_a_success_does_not_wipe_the_count_for_an_attacker_who_knows_one_password(make_person, password):
    """Successful sign-ins roll back only their own attempt, so an attacker cannot reset the count with them."""
    person = make_person()
    client = Client()
    fail(client, person.user.username, 9)
    assert signed_in(attempt(client, person.user.username, password))
    other = Client()
    attempt(other, person.user.username, "wrong-guess-123")
    assert LOCKED in attempt(other, person.user.username, password).content.decode()


def test_reset_requests_are_throttled_per_address(client):
    for number in range(5):
        response = client.post(reverse("account_reset_password"), {"email": f"someone{number}@example.org"})
        assert response.status_code == 302
    response = client.post(reverse("account_reset_password"), {"email": "someone.else@example.org"})
    assert response.status_code == 429
    assert "Too many" in response.content.decode()


def test_wrong_second_factor_codes_are_throttled(settings, make_person, password):
    from allauth.mfa.totp.internal.auth import TOTP

    person = make_person(role=Person.Role.CHAIR)
    TOTP.activate(person.user, "JBSWY3DPEHPK3PXP")
    client = Client()
    assert attempt(client, person.user.username, password)["Location"] == reverse("mfa_authenticate")
    for _ in range(10):
        page = client.post(reverse("mfa_authenticate"), {"code": "000000"}).content.decode()
        assert "Enter the code" in page or "code" in page
    page = client.post(reverse("mfa_authenticate"), {"code": "000000"}).content.decode()
    assert LOCKED in page


def test_a_good_second_factor_code_does_not_reset_the_per_address_count(make_person, password):
    """An attacker who signs in to their own account with its code now and then keeps their address's count."""
    from tests import second_factor

    own = make_person(role=Person.Role.CHAIR)
    second_factor.enrol(own.user)
    victims = [make_person() for _ in range(30)]
    client = Client()
    for number, victim in enumerate(victims[:29]):
        attempt(client, victim.user.username, "Winter2026!!")
        if number == 14:
            signer = Client()
            attempt(signer, own.user.username, password)
            assert signer.post(reverse("mfa_authenticate"), {"code": second_factor.code()}).status_code == 302
    attempt(client, victims[29].user.username, "Winter2026!!")
    assert LOCKED in attempt(client, victims[29].user.username, password).content.decode()


def test_a_username_and_its_email_address_share_one_count(make_person, password):
    person = make_person()
    person.user.email = "sam.reid@example.org"
    person.user.save()
    client = Client()
    for number in range(10):
        name = person.user.username.upper() if number % 2 else "Sam.Reid@Example.org"
        attempt(client, name, "wrong-guess-123")
    assert LOCKED in attempt(client, person.user.username, password).content.decode()


def test_one_lockout_is_one_event_however_many_attempts_are_refused(make_person):
    from audit.models import AuditEvent

    person = make_person()
    fail(Client(), person.user.username, 25)
    assert AuditEvent.objects.filter(event=AuditEvent.Event.LOCKED_OUT).count() == 1
