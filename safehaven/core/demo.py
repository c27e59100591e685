"""The demo data set: what `make demo` creates and what it tells the visitor.

Each app adds its own demo data through a ``DEMO_STEPS`` list so that core imports no app.
"""

from collections.abc import Callable

from django.conf import settings

DemoStep = Callable[[str], list[str]]
DEMO_STEPS: list[DemoStep] = []


def register(step: DemoStep) -> DemoStep:
    DEMO_STEPS.append(step)
    return step


def load(*, base_url: str) -> list[str]:
    database = settings.DATABASES["default"]["NAME"]
    lines = [
        "",
        f"safehaven demo — everything here is invented; the database is {database}",
        "",
        f"Open {base_url}/ in a browser.",
        f"  Public landing page (no cookie, quick exit):  {base_url}/en/",
        f"  The same page in Arabic, right to left:       {base_url}/ar/",
    ]
    for step in DEMO_STEPS:
        lines.extend(step(base_url))
    lines.extend(["", "Stop the server with Ctrl+C. `make clean` removes the demo data.", ""])
    return lines
