"""The core's client address: the socket's, unless a trusted proxy vouches for another; and
the API throttles count clients by it."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from cities.api.throttles import AnonymousClientThrottle
from cities.client_address import client_address
from civicportal.env import ImproperEnvironment, env_networks

PROXY = "10.0.0.2"


def address_of(remote: str, forwarded: str | None = None) -> str:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_a_client_reaching_the_web_process_directly_is_its_socket_address(settings) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert address_of("198.51.100.7") == "198.51.100.7"
    # Its own X-Forwarded-For is not believed: it is no proxy.
    assert address_of("198.51.100.7", "203.0.113.1") == "198.51.100.7"


def test_behind_one_trusted_proxy_the_client_is_the_address_the_proxy_saw(settings) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert address_of(PROXY, "198.51.100.7") == "198.51.100.7"


def test_a_spoofed_entry_left_of_the_proxys_own_is_ignored(settings) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert address_of(PROXY, "203.0.113.99, 198.51.100.7") == "198.51.100.7"
    # Even an entry that names a trusted proxy, written by the client: the first hop from
    # the right that is no trusted proxy is the client.
    assert address_of(PROXY, "203.0.113.99, 198.51.100.7, 10.0.0.9") == "198.51.100.7"


def test_without_trusted_proxies_no_header_is_believed(settings) -> None:
    settings.TRUSTED_PROXIES = []

    assert address_of(PROXY, "198.51.100.7") == PROXY


def test_a_proxy_passing_on_garbage_is_counted_as_itself(settings) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.2", "2001:db8::/32"]

    assert address_of(PROXY, "198.51.100.7, not-an-address") == PROXY
    assert address_of(PROXY, "") == PROXY
    assert address_of("2001:db8::1", "2001:db8::2, 198.51.100.7") == "198.51.100.7"


def test_trusted_proxies_must_be_addresses_or_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7")
    assert env_networks("TRUSTED_PROXIES") == ["10.0.0.0/8", "192.0.2.7"]
    monkeypatch.setenv("TRUSTED_PROXIES", "1")

    with pytest.raises(ImproperEnvironment, match="TRUSTED_PROXIES: '1' is not an IP address or network"):
        env_networks("TRUSTED_PROXIES")


@pytest.mark.django_db
def test_a_spoofed_x_forwarded_for_does_not_lift_the_api_throttle(client, settings, monkeypatch) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # DRF reads the rates once, when the throttle classes are defined.
    monkeypatch.setattr(AnonymousClientThrottle, "THROTTLE_RATES", {"anon": "3/minute"})

    def status_from(remote: str, forwarded: str) -> int:
        return client.get("/api/v1/cities/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded).status_code

    direct = [status_from("198.51.100.7", f"203.0.113.{n}") for n in range(4)]
    proxied = [status_from(PROXY, f"203.0.113.{n}, 198.51.100.8") for n in range(4)]
    another = status_from(PROXY, "198.51.100.9")

    assert direct == [200, 200, 200, 429]
    assert proxied == [200, 200, 200, 429]
    assert another == 200
