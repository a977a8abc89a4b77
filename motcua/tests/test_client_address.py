"""The client's address behind the reverse proxy (MOTCUA_TRUSTED_PROXIES), for our rate
limits and django-axes' lock-out alike."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from motcua.clientaddress import client_address, parse_networks, rate_limit_key


def address(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert address("203.0.113.5", "198.51.100.1") == "203.0.113.5"


def test_a_header_from_a_client_that_is_not_a_trusted_proxy_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address("203.0.113.5", "10.0.0.2, 198.51.100.1") == "203.0.113.5"


def test_behind_a_trusted_proxy_the_rightmost_untrusted_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # The client wrote "6.6.6.6" itself; nginx appended the address it saw.
    assert address("127.0.0.1", "6.6.6.6, 198.51.100.7") == "198.51.100.7"
    # Two proxies: a load balancer (10.0.0.3) in front of nginx.
    assert address("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.3") == "198.51.100.7"
    assert address("127.0.0.1", "198.51.100.7:51234") == "198.51.100.7"
    assert address("127.0.0.1", "[2001:db8::7]:443") == "2001:db8::7"
    assert address("127.0.0.1") == "127.0.0.1"  # no header: the proxy itself asked
    assert address("127.0.0.1", "not-an-address") == "127.0.0.1"


def test_ipv6_clients_are_counted_by_their_64():
    assert rate_limit_key("2001:db8:1:2:aaaa::1") == rate_limit_key("2001:db8:1:2:bbbb::9")
    assert rate_limit_key("2001:db8:1:3::1") != rate_limit_key("2001:db8:1:2::1")
    assert rate_limit_key("198.51.100.7") == "198.51.100.7"


def test_a_bad_trusted_proxy_entry_stops_start_up():
    with pytest.raises(ImproperlyConfigured, match="MOTCUA_TRUSTED_PROXIES"):
        parse_networks(["10.0.0.0/8", "nginx"])


def lookups(client, *, forwarded, remote="127.0.0.1", n=1):
    return [
        client.get(
            reverse("portal:lookup"),
            {"code": "X-1", "verify": "1234"},
            REMOTE_ADDR=remote,
            HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code
        for _ in range(n)
    ]


def test_a_spoofed_header_does_not_escape_the_limit(client, db, settings):
    settings.TRUSTED_PROXIES = []
    settings.PUBLIC_LOOKUP_PER_MINUTE = 3
    codes = [
        lookups(client, remote="203.0.113.5", forwarded=f"198.51.100.{i}")[0] for i in range(4)
    ]
    assert codes == [404, 404, 404, 429]


def test_behind_a_trusted_proxy_two_clients_are_limited_separately(client, db, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.PUBLIC_LOOKUP_PER_MINUTE = 3
    assert lookups(client, forwarded="198.51.100.1", n=4) == [404, 404, 404, 429]
    assert lookups(client, forwarded="198.51.100.2", n=1) == [404]


def login(client, password, forwarded):
    return client.post(
        reverse("login"),
        {"username": "alice", "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_the_login_lockout_locks_the_client_not_the_proxy(client, desk_officer, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        login(client, "wrong", "198.51.100.66")
    assert login(client, "pw-alice", "198.51.100.66").status_code == 429  # the guesser
    assert login(client, "pw-alice", "198.51.100.10").status_code == 302  # alice, elsewhere
