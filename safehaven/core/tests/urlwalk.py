"""Walk every URL pattern of the project, with example arguments, for the authorisation walk."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    callback: Callable[..., Any]
    converters: tuple[str, ...]


def iter_routes(
    resolver: URLResolver | None = None, prefix: str = "", converters: tuple[str, ...] = ()
) -> Iterator[Route]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        entry_converters = converters + tuple(getattr(entry.pattern, "converters", {}))
        if isinstance(entry, URLResolver):
            yield from iter_routes(entry, pattern, entry_converters)
        elif isinstance(entry, URLPattern):
            yield Route(
                name=entry.name or f"<unnamed {pattern}>",
                pattern=pattern,
                callback=entry.callback,
                converters=entry_converters,
            )


def is_public(callback: Callable[..., Any]) -> bool:
    return getattr(callback, "login_required", True) is False
