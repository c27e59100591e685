"""The organisation's onion service: its host names, checked as v3 onion addresses, and what
changes for a request to one of them (docs/deploy.md, "Onion service"; why: SECURITY.md, T8).

Tor encrypts the whole way to an onion service and proves its address, so a plain-http request
for an onion host is not sent to https (that fails without an onion certificate), gets no HSTS,
and gets its cookies in a form every browser keeps over http. The scheme is never faked: the
request stays ``http``, so Django's CSRF ``Origin`` check and the addresses built from the
request (an invitation link) match what the browser sees. Every other host is unchanged.
"""

import base64
import binascii
import hashlib
from collections.abc import Callable, Iterable
from http.cookies import Morsel

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks.security import base as security
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.http.request import split_domain_port
from django.middleware.security import SecurityMiddleware

from safehaven.env import BadSetting

ONION_SUFFIX = ".onion"
# A v3 address is base32 of public key (32 bytes), checksum (2) and version (1): 56 characters.
V3_ADDRESS_LENGTH = 56
BASE32_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz234567")
# Browsers refuse __Host- and __Secure- cookies from an http page (Chromium even where it treats
# the onion as a secure context), and those not treating .onion as secure refuse Secure ones:
# over http an onion gets every cookie without Secure, and these renamed.
ONION_COOKIE_PREFIXES = {"__Host-": "onion-host-", "__Secure-": "onion-secure-"}
MIDDLEWARE_PATH = "safehaven.core.onion.OnionAwareSecurityMiddleware"


def onion_address_problem(name: str) -> str | None:
    """Why ``name`` is not a v3 onion host name (as Tor writes it to the ``hostname`` file),
    or None. The checksum catches a mistyped address before anyone is sent to it."""
    if not name.endswith(ONION_SUFFIX):
        return "does not end in .onion"
    label = name.removesuffix(ONION_SUFFIX)
    if "." in label:
        return "has a subdomain: give the address from Tor's hostname file"
    if len(label) != V3_ADDRESS_LENGTH:
        return (
            f"has {len(label)} characters before .onion, not {V3_ADDRESS_LENGTH} "
            "(only v3 onion addresses are supported)"
        )
    if not set(label) <= BASE32_LETTERS:
        return "may hold only the letters a-z and the digits 2-7 before .onion"
    try:
        decoded = base64.b32decode(label.upper())
    except binascii.Error:
        return "is not valid base32"
    public_key, checksum, version = decoded[:32], decoded[32:34], decoded[34]
    if version != 3:
        return f"is a version {version} address, not version 3"
    expected = hashlib.sha3_256(b".onion checksum" + public_key + bytes([version])).digest()[:2]
    if checksum != expected:
        return "has a wrong checksum (a typing mistake?)"
    return None


def checked_onion_hosts(setting: str, names: Iterable[str]) -> list[str]:
    """The names, lower-cased, each a v3 onion address; a clear error naming the first that
    is not."""
    hosts: list[str] = []
    for name in names:
        lowered = name.lower()
        problem = onion_address_problem(lowered)
        if problem is not None:
            raise BadSetting(f"{setting}: {name!r} {problem}.")
        if lowered not in hosts:
            hosts.append(lowered)
    return hosts


def onion_cookie_name(name: str) -> str:
    """The name a cookie of the app goes by on a plain-http onion page."""
    for prefix, onion_prefix in ONION_COOKIE_PREFIXES.items():
        if name.startswith(prefix):
            return onion_prefix + name.removeprefix(prefix)
    return name


def app_cookie_name(name: str) -> str | None:
    """The app's name for a cookie that came from a plain-http onion page; None for a prefixed
    name, which no browser sets from http (so someone made it up)."""
    for prefix, onion_prefix in ONION_COOKIE_PREFIXES.items():
        if name.startswith(onion_prefix):
            return prefix + name.removeprefix(onion_prefix)
        if name.lower().startswith(prefix.lower()):
            return None
    return name


def cookies_for_onion(response: HttpResponse) -> None:
    """Every cookie of a plain-http onion page without Secure, renamed if it had a prefix.
    Tor encrypts the way there; each stays host-only (no Domain), HttpOnly and SameSite."""
    for name, morsel in list(response.cookies.items()):
        renamed: Morsel[str] = Morsel()
        renamed.set(onion_cookie_name(name), morsel.value, morsel.coded_value)
        renamed.update(morsel)
        renamed["secure"] = False
        del response.cookies[name]
        response.cookies[renamed.key] = renamed


class OnionAwareSecurityMiddleware(SecurityMiddleware):
    """Django's SecurityMiddleware, except for onion hosts: no https redirect, no HSTS, and
    over plain http cookies fit for it (``cookies_for_onion``). Secure responses for every
    other host name the first onion host in ``Onion-Location`` (Tor Browser offers it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        super().__init__(get_response)
        self.onion_hosts = frozenset(settings.ONION_HOSTS)
        self.onion_location = settings.ONION_HOSTS[0] if settings.ONION_HOSTS else None

    def is_for_onion(self, request: HttpRequest) -> bool:
        if not self.onion_hosts:
            return False
        try:
            host = request.get_host()
        except DisallowedHost:
            return False  # Django answers it with 400; never an onion host
        domain, _port = split_domain_port(host)
        return domain in self.onion_hosts

    def process_request(self, request: HttpRequest) -> HttpResponsePermanentRedirect | None:
        if not self.is_for_onion(request):
            return super().process_request(request)
        if not request.is_secure():
            request.COOKIES = {
                app_name: value
                for name, value in request.COOKIES.items()
                if (app_name := app_cookie_name(name)) is not None
            }
        return None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response = super().process_response(request, response)
        if self.is_for_onion(request):
            # Tor proves the onion's address; a pin to https would lock visitors out of an
            # onion served over plain http, or whose certificate lapsed.
            response.headers.pop("Strict-Transport-Security", None)
            if not request.is_secure():
                cookies_for_onion(response)
        elif self.onion_location and request.is_secure():
            # Tor Browser reads it only from https pages.
            response["Onion-Location"] = f"http://{self.onion_location}{request.get_full_path()}"
        return response


@register(Tags.security, deploy=True)
def check_security_middleware(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    """Django's deploy checks of its SecurityMiddleware find it by name (security.W001 is
    silenced in settings), so for this subclass they are made here, with Django's messages."""
    if MIDDLEWARE_PATH not in settings.MIDDLEWARE:
        return [security.W001]
    found: list[CheckMessage] = []
    if not settings.SECURE_HSTS_SECONDS:
        found.append(security.W004)
    else:
        if not settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            found.append(security.W005)
        if not settings.SECURE_HSTS_PRELOAD:
            found.append(security.W021)
    if settings.SECURE_CONTENT_TYPE_NOSNIFF is not True:
        found.append(security.W006)
    if settings.SECURE_SSL_REDIRECT is not True:
        found.append(security.W008)
    if not settings.SECURE_REFERRER_POLICY:
        found.append(security.W022)
    return found
