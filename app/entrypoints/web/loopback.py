"""Is a request from this machine? /health shows its details (hosts, pids, paths) to a local
request without HEALTH_TOKEN; webhooks never trust the address (see trust.py).

Pure functions of the peer address and headers, so the web app decides and tests check
without a server.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

# Headers a reverse proxy or tunnel adds: with any of them the peer is the proxy, not the
# sender, and a proxy on this machine would make every request from the internet look local.
FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP", "X-Forwarded-Host", "CF-Connecting-IP")


def is_loopback_address(address: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and their IPv4-mapped form (::ffff:127.0.0.1); False for
    any other address, an empty one or one that is not an IP address."""
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped.is_loopback
    return ip.is_loopback


def is_loopback_request(remote_addr: str | None, headers: Mapping[str, str] | None = None) -> bool:
    """True when the peer is a loopback address and no proxy says it forwarded the request.

    `headers`: the request's headers (Flask's `request.headers`, or any mapping); their names
    are compared without regard to case.
    """
    if not is_loopback_address(remote_addr):
        return False
    present = {name.lower() for name in (headers.keys() if headers else ())}
    return not any(name.lower() in present for name in FORWARDING_HEADERS)
