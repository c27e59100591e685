"""Load the demo data set and print what a visitor can try (demo mode only)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safehaven.core import demo


class Command(BaseCommand):
    help = "Create demo data (idempotent) and print how to use the demo. Demo mode only."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.MODE != "demo":
            raise CommandError("load_demo runs only with SAFEHAVEN_MODE=demo.")
        port = settings.DEMO_PORT
        lines = demo.load(base_url=f"http://localhost:{port}")
        self.stdout.write("\n".join(lines))
