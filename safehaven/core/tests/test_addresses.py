"""The client address used by rate limits and lockouts, directly or behind the TLS proxy."""

from django.test import RequestFactory

from safehaven.core.addresses import client_address


def request_from(remote: str, forwarded: str | None = None):
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_it_uses_the_connection_address_without_a_proxy(settings):
    settings.BEHIND_TLS_PROXY = False
    assert client_address(request_from("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


def test_it_uses_the_hop_the_proxy_appended_behind_the_proxy(settings):
    settings.BEHIND_TLS_PROXY = True
    # A client can put anything first; only the last hop comes from our proxy.
    request = request_from("10.0.0.2", "6.6.6.6, 203.0.113.1")
    assert client_address(request) == "203.0.113.1"
    assert client_address(request_from("10.0.0.2")) == "10.0.0.2"
