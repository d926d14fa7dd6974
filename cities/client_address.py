"""The one answer to "which client sent this request?", for every rate limit (API throttles,
the court lookup, reminders, stories).

The socket's address (REMOTE_ADDR) is the client, unless it is one of TRUSTED_PROXIES (the
addresses or networks of the reverse proxies in front of the web process). Then each trusted
proxy vouches for the hop before it in X-Forwarded-For, read from the right; the first hop
that is not a trusted proxy is the client. Entries further left were written by the client
itself and are never believed, so a spoofed header changes nothing.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

from django.conf import settings
from django.http import HttpRequest

_IPAddress = IPv4Address | IPv6Address
_IPNetwork = IPv4Network | IPv6Network


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent `request`, as text."""
    # Checked when the settings load (env_networks); parsed here so tests may override them.
    networks = [ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES]
    remote = str(request.META.get("REMOTE_ADDR", ""))
    address = _parsed(remote)
    if address is None or not _is_trusted(address, networks):
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(forwarded):
        hop_address = _parsed(hop)
        if hop_address is None:
            # A trusted proxy passed on something that is no address: count the requests
            # as the proxy's own rather than believe anything further left.
            return str(address)
        address = hop_address
        if not _is_trusted(address, networks):
            return str(address)
    return str(address)


def _parsed(text: str) -> _IPAddress | None:
    try:
        return ip_address(text)
    except ValueError:
        return None


def _is_trusted(address: _IPAddress, networks: list[_IPNetwork]) -> bool:
    return any(address in network for network in networks)
