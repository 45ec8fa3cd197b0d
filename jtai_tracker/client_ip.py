"""The client's address: the one rule for every throttle, the audit log and the admin allow-list.

A request that arrives from a trusted proxy (``settings.TRUSTED_PROXIES``: addresses or networks, from
``DJANGO_TRUSTED_PROXIES``) is from the address that proxy saw: the ``X-Forwarded-For`` list is read from the
right, past every trusted proxy, and the first address that is not one is the client. Entries to its left
were written by the client or by proxies we do not trust, so they are never believed. A request from any
other address is from ``REMOTE_ADDR``, whatever ``X-Forwarded-For`` says.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

#: The address recorded when even REMOTE_ADDR is unreadable: for the record, never bound to.
UNKNOWN = "0.0.0.0"  # noqa: S104

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def parse_networks(entries) -> tuple[Network, ...]:
    """Addresses or networks as a setting lists them ("192.0.2.7", "10.0.0.0/8", "2001:db8::/32").

    Raises ValueError for an entry that is neither.
    """
    return _networks(tuple(entries))


def trusted_networks() -> tuple[Network, ...]:
    return parse_networks(settings.TRUSTED_PROXIES)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def in_networks(address, networks) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address as text ("0.0.0.0" when even ``REMOTE_ADDR`` is unreadable)."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return UNKNOWN
    networks = trusted_networks()
    if not in_networks(peer, networks):
        return str(peer)
    client = peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _address(entry)
        if address is None:
            break  # a garbled entry: trust nothing further left
        client = address
        if not in_networks(address, networks):
            break
    return str(client)


def client_in(request: HttpRequest, entries) -> bool:
    """Whether the client's address (:func:`client_ip`) is one of ``entries``, addresses or networks."""
    return in_networks(ipaddress.ip_address(client_ip(request)), parse_networks(entries))
