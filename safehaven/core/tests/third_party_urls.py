"""Which other sites a response names (SECURITY.md, T8: no third-party request of any kind).

Every absolute address in the body (``https://…`` anywhere, ``//host…`` in an attribute or a
``url()``) and in the headers (Link, Location, Content-Security-Policy, any other), and every
host a CSP directive allows, must be the site itself; the few references that load nothing
are listed in ``NOT_LOADED`` with the reason they may stay.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

ABSOLUTE = re.compile(r"""https?://[^\s"'<>()\\]+""", re.IGNORECASE)
# A protocol-relative address where a browser would follow it: an attribute or CSS url().
PROTOCOL_RELATIVE = re.compile(
    r"""(?:\b[a-z-]+\s*=\s*["']?|url\(\s*["']?)\s*(//[^\s"'<>()\\]+)""", re.IGNORECASE
)
# CSP source expressions that name no other host: a quoted keyword or nonce, data: and blob:,
# a path of the site (a report address), a word (a sandbox flag, a report group).
CSP_KEYWORD = re.compile(r"^(?:'[a-z0-9+/=_-]+'|data:|blob:|/\S*|[a-z-]+)$", re.IGNORECASE)

# Addresses a page may name although they are not the site: none of them is ever fetched.
NOT_LOADED = {
    # The namespace name of an inline SVG chart (reports/charts/svg.py): an identifier that
    # no browser fetches.
    "http://www.w3.org/2000/svg": "body",
    # The route data's attribution on the planner page (travel/planner.html), printed as text,
    # not a link: the ODbL licence asks for the source to be named.
    "https://openflights.org/data": "body",
}


def site_hosts(response: Any) -> set[str]:
    request = getattr(response, "wsgi_request", None)
    hosts = {host.lower() for host in settings.ALLOWED_HOSTS if host and host[0] != "."}
    hosts |= {host.lower() for host in getattr(settings, "ONION_HOSTS", [])}
    if request is not None:
        hosts.add(request.get_host().split(":")[0].lower())
    return hosts


def _elsewhere(address: str, hosts: set[str]) -> bool:
    host = (urlsplit(address if "//" in address else "//" + address).hostname or "").lower()
    return host not in hosts


def _is_quick_exit(response: Any, header: str, address: str) -> bool:
    """The quick exit's redirect to the configured neutral site is the one navigation away
    the site makes on purpose; it loads nothing into a page of ours."""
    return header == "Location" and address == settings.QUICK_EXIT_URL


def other_sites(response: Any) -> list[str]:
    """Each third-party address ``response`` carries, with where: an empty list is a pass."""
    hosts = site_hosts(response)
    found = []
    body = b"" if getattr(response, "streaming", False) else response.content
    text = body.decode("utf-8", errors="replace")
    addresses = [match.group(0) for match in ABSOLUTE.finditer(text)]
    addresses += [match.group(1) for match in PROTOCOL_RELATIVE.finditer(text)]
    for address in addresses:
        if NOT_LOADED.get(address.rstrip(".,;")) != "body" and _elsewhere(address, hosts):
            found.append(f"body: {address}")
    for header, value in response.items():
        header_addresses = [match.group(0) for match in ABSOLUTE.finditer(value)]
        header_addresses += re.findall(r"<\s*(//[^>]+)>", value)  # Link: <//host/…>
        for address in header_addresses:
            if _elsewhere(address, hosts) and not _is_quick_exit(response, header, address):
                found.append(f"{header}: {address}")
        if header.lower().startswith("content-security-policy"):
            for directive in value.split(";"):
                for source in directive.split()[1:]:
                    if not CSP_KEYWORD.match(source):
                        found.append(f"{header}: {directive.split()[0]} allows {source}")
    return found
