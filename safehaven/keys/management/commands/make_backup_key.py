"""Make the organisation's backup key pair: print the public key, write the private key."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehaven.core.backups.private_dir import create_private_file, encode_key
from safehaven.core.crypto import new_key_pair


class Command(BaseCommand):
    help = (
        "Make a new backup key pair. Writes the PRIVATE key to --private-key-file (created "
        "0600, never over an existing file) and prints the PUBLIC key, to be set as "
        "SAFEHAVEN_BACKUP_PUBLIC_KEY on the server. Run it on an offline machine: the private "
        "key opens every backup and must never be on the server (keep two copies, e.g. on two "
        "encrypted USB keys held by two different people)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--private-key-file",
            type=Path,
            required=True,
            help="Where to write the private key (a new file; kept offline).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["private_key_file"]
        pair = new_key_pair()
        public = encode_key(pair.public)
        try:
            descriptor = create_private_file(path)
        except FileExistsError:
            raise CommandError(f"{path} exists already: choose a new file.") from None
        except OSError as error:
            raise CommandError(f"Cannot create {path}: {error.strerror}.") from None
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(
                "# safehaven backup PRIVATE key: opens every backup. Keep it offline.\n"
                f"# public key: {public}\n"
                f"{encode_key(pair.private)}\n"
            )
            handle.flush()
            os.fsync(handle.fileno())
        self.stderr.write(f"Private key written to {path} (mode 0600). Keep it offline.")
        self.stdout.write(f"SAFEHAVEN_BACKUP_PUBLIC_KEY={public}")
