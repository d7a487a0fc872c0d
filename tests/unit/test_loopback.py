import pytest
from werkzeug.datastructures import Headers

from app.entrypoints.web.loopback import is_loopback_address, is_loopback_request


@pytest.mark.parametrize("address", ["127.0.0.1", "127.8.9.10", "127.255.255.254", "::1", "[::1]", "::ffff:127.0.0.1"])
def test_loopback_addresses(address):
    assert is_loopback_address(address)


@pytest.mark.parametrize(
    "address",
    [None, "", "localhost", "not an ip", "10.0.0.1", "192.168.1.5", "0.0.0.0", "128.0.0.1", "::", "::2",
     "::ffff:10.0.0.1", "fe80::1%eth0", "54.172.60.1", "2600:1f18::1"],
)  # fmt: skip
def test_other_addresses_are_not_loopback(address):
    assert not is_loopback_address(address)


def test_a_local_request_without_proxy_headers_is_loopback():
    assert is_loopback_request("127.0.0.1", Headers({"Content-Type": "application/x-www-form-urlencoded"}))
    assert is_loopback_request("::1")


@pytest.mark.parametrize("header", ["X-Forwarded-For", "x-forwarded-for", "Forwarded", "X-Real-IP", "CF-Connecting-IP"])
def test_a_request_a_local_proxy_forwarded_is_not_loopback(header):
    # nginx or a tunnel on the same machine connects from 127.0.0.1 on behalf of anyone.
    assert not is_loopback_request("127.0.0.1", Headers({header: "203.0.113.7"}))
    assert not is_loopback_request("127.0.0.1", {header: "203.0.113.7"})


def test_a_remote_peer_is_never_loopback_whatever_its_headers_say():
    assert not is_loopback_request("203.0.113.7", Headers({"X-Forwarded-For": "127.0.0.1"}))
