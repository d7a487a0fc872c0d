"""/health: the status for anyone, the details (components, paths, settings) only from this
machine or with HEALTH_TOKEN in the X-Health-Token header."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.e2e.conftest import _send

FROM_OUTSIDE = {"X-Forwarded-For": "203.0.113.5"}  # a proxy on this machine passed it on
HEALTH_TOKEN = "health-token-0123456789"


def health(server, headers: dict[str, str]) -> dict[str, object]:
    result = _send(urllib.request.Request(server.base_url + "/health", headers=headers))
    assert result.status == 200
    return json.loads(result.body)


@pytest.mark.parametrize(
    "headers", [FROM_OUTSIDE, FROM_OUTSIDE | {"X-Health-Token": "wrong"}, FROM_OUTSIDE | {"X-Health-Token": ""}]
)
def test_the_public_sees_the_status_only(start_server, headers):
    server = start_server(health_token=HEALTH_TOKEN)
    assert health(server, headers) == {"status": "ok"}


def test_without_a_health_token_the_public_still_sees_the_status_only(start_server):
    assert health(start_server(), FROM_OUTSIDE) == {"status": "ok"}


@pytest.mark.parametrize("headers", [{}, FROM_OUTSIDE | {"X-Health-Token": HEALTH_TOKEN}])
def test_this_machine_or_the_token_see_the_details(start_server, headers):
    report = health(start_server(health_token=HEALTH_TOKEN), headers)
    assert report["status"] == "ok" and report["mode"] == "basic"
    assert report["components"]["twilio"]["detail"] == "signature validation on"
