"""Who is asking: the client's address, as sign-in lockouts and rate limits count it.

``X-Forwarded-For`` is believed only when the connection itself comes from a configured
proxy (``TRUSTED_PROXIES``, from ``DJANGO_TRUSTED_PROXIES``): anyone else could write
any address there. Through proxies, the client is the nearest address in the header
that is not a trusted proxy (read from the right, as each proxy appends or, like the
shipped nginx, replaces it). Used by django-axes (``AXES_CLIENT_IP_CALLABLE``) and
``neuroinfo.ratelimit``, so both count the same address.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    """The networks of the trusted proxies (addresses or CIDRs); ValueError if bad."""
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The client's address: the connection's, or from a trusted proxy's X-Forwarded-For."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    connection = _parse(remote)
    if connection is None or not _trusted(connection, networks):
        return remote
    client = connection
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(forwarded):
        address = _parse(hop)
        if address is None:  # nothing to believe beyond a bad entry
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
