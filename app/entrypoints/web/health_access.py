"""Who may read /health's details. Its status (ok, degraded) is for anyone: a load balancer or
an uptime monitor needs it. The details (database hosts, process ids, paths, whether signatures
are checked) help an attacker as much as an operator: only requests from this machine (no proxy
in between) or carrying HEALTH_TOKEN in the X-Health-Token header get them."""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from pydantic import SecretStr

from app.entrypoints.web.loopback import is_loopback_request

HEALTH_TOKEN_HEADER = "X-Health-Token"


def may_read_details(remote_addr: str | None, headers: Mapping[str, str], token: SecretStr | None) -> bool:
    if is_loopback_request(remote_addr, headers):
        return True
    given = headers.get(HEALTH_TOKEN_HEADER)
    if token is None or not given:
        return False
    return hmac.compare_digest(given.encode(), token.get_secret_value().encode())
