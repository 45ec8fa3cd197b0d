"""The client's address behind trusted and untrusted proxies (jtai_tracker.client_ip)."""

import pytest
from django.test import RequestFactory

from jtai_tracker.client_ip import UNKNOWN, client_in, client_ip, parse_networks

PROXY = "10.0.0.5"


def address(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **headers))


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # No trusted proxies: X-Forwarded-For is never believed.
        ("198.51.100.7", "203.0.113.9", "198.51.100.7"),
        (PROXY, "203.0.113.9", PROXY),
        ("garbage", None, UNKNOWN),
    ],
)
def test_without_trusted_proxies_the_peer_is_the_client(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = []
    assert address(remote, forwarded) == expected


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # The proxy's own view of the client, the rightmost entry.
        (PROXY, "203.0.113.9", "203.0.113.9"),
        # A client that writes its own X-Forwarded-For cannot choose its address.
        (PROXY, "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        # A chain of trusted proxies (10.0.0.0/8) is walked past; an untrusted one is where belief stops.
        (PROXY, "203.0.113.9, 10.1.1.1", "203.0.113.9"),
        (PROXY, "1.2.3.4, 198.51.100.1, 10.1.1.1", "198.51.100.1"),
        # A port, brackets and IPv6.
        (PROXY, "203.0.113.9:5555", "203.0.113.9"),
        (PROXY, "[2001:db8::7]:443", "2001:db8::7"),
        # A request straight from an untrusted address, X-Forwarded-For and all, is that address.
        ("198.51.100.7", "203.0.113.9", "198.51.100.7"),
        # Nothing forwarded, or only garbage: the proxy.
        (PROXY, None, PROXY),
        (PROXY, "not-an-address", PROXY),
        (PROXY, "1.2.3.4, garbage, 203.0.113.9", "203.0.113.9"),
    ],
)
def test_behind_trusted_proxies_the_client_is_the_first_untrusted_address_from_the_right(
    settings, remote, forwarded, expected
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address(remote, forwarded) == expected


@pytest.mark.parametrize(
    ("remote", "entries", "inside"),
    [
        ("192.0.2.7", ["192.0.2.7"], True),  # a bare address is a network of one
        ("192.0.2.8", ["192.0.2.7"], False),
        ("192.0.2.8", ["192.0.2.0/24"], True),
        ("2001:db8::1", ["192.0.2.0/24", "2001:db8::/32"], True),
        ("::ffff:192.0.2.7", ["192.0.2.0/24"], False),  # IPv6 and IPv4 are never compared
        ("garbage", ["192.0.2.0/24"], False),
    ],
)
def test_a_client_is_in_a_list_of_addresses_or_networks(settings, remote, entries, inside):
    settings.TRUSTED_PROXIES = []
    assert client_in(RequestFactory().get("/", REMOTE_ADDR=remote), entries) is inside


def test_an_entry_that_is_not_an_address_is_refused():
    with pytest.raises(ValueError, match=r"proxy\.internal"):
        parse_networks(["10.0.0.0/8", "proxy.internal"])
