"""What the archive holds: a tar of a manifest, the database snapshot and the outside files.

Members (regular files only, flat names, nothing else is accepted on the way back):

* ``manifest.json``: format, database kind, when, and the size and SHA-256 of every member;
* ``database.sqlite3`` or ``database.pgdump``: the snapshot;
* the files kept outside the database, under fixed names (``OUTSIDE_FILES``) when they exist.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path
from typing import IO, cast

from safehaven.core.backups.archive import ArchiveError, EncryptingWriter
from safehaven.core.backups.database import SNAPSHOT_NAMES

MANIFEST = "manifest.json"
BUNDLE_FORMAT = "safehaven-backup-bundle-1"
AUDIT_ANCHORS = "audit-anchors.log"
SHRED_LIST = "shredded-records.txt"
TEAM_KEY_VERSIONS = "team-key-versions.txt"
OUTSIDE_FILES = (AUDIT_ANCHORS, SHRED_LIST, TEAM_KEY_VERSIONS)
_ALLOWED = {MANIFEST, *SNAPSHOT_NAMES.values(), *OUTSIDE_FILES}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pack(out: EncryptingWriter, vendor: str, members: dict[str, Path]) -> dict[str, object]:
    """Write a tar of ``members`` (archive name -> file) and a manifest into ``out``."""
    unknown = set(members) - _ALLOWED
    if unknown:
        raise ValueError(f"unknown members {sorted(unknown)}")
    manifest: dict[str, object] = {
        "format": BUNDLE_FORMAT,
        "database": vendor,
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "files": {
            name: {"size": path.stat().st_size, "sha256": _sha256(path)}
            for name, path in sorted(members.items())
        },
    }
    encoded = json.dumps(manifest, indent=1, sort_keys=True).encode("ascii")
    # Stream mode: the tar goes straight into the encrypting writer, never to disk in clear.
    with tarfile.open(fileobj=cast("IO[bytes]", out), mode="w|", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(encoded)
        info.mode = 0o600
        tar.addfile(info, io.BytesIO(encoded))
        for name, path in sorted(members.items()):
            info = tarfile.TarInfo(name)
            info.size = path.stat().st_size
            info.mode = 0o600
            with path.open("rb") as handle:
                tar.addfile(info, handle)
    return manifest


def unpack(tar_path: Path, directory: Path) -> tuple[dict[str, object], dict[str, Path]]:
    """Extract a decrypted bundle into ``directory``; return (manifest, name -> file).

    Only known flat names and regular files are taken, and each must match the manifest.
    """
    found: dict[str, Path] = {}
    try:
        with tarfile.open(tar_path, mode="r:") as tar:
            for member in tar:
                if member.name not in _ALLOWED or not member.isfile() or member.name in found:
                    raise ArchiveError(f"The backup holds an unexpected entry {member.name!r}.")
                source = tar.extractfile(member)
                if source is None:
                    raise ArchiveError(f"The backup's entry {member.name!r} cannot be read.")
                target = directory / member.name
                with target.open("xb") as handle:
                    shutil.copyfileobj(source, handle)
                target.chmod(0o600)
                found[member.name] = target
    except tarfile.TarError as error:
        raise ArchiveError(f"The backup's contents are malformed: {error}.") from None
    if MANIFEST not in found:
        raise ArchiveError("The backup holds no manifest.")
    try:
        manifest = json.loads(found.pop(MANIFEST).read_text(encoding="ascii"))
    except (UnicodeDecodeError, ValueError):
        raise ArchiveError("The backup's manifest is malformed.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        raise ArchiveError(
            f"The backup's contents have format {manifest.get('format')!r}"
            if isinstance(manifest, dict)
            else "The backup's manifest is malformed."
        )
    listed = manifest.get("files")
    if not isinstance(listed, dict) or set(listed) != set(found):
        raise ArchiveError("The backup's entries do not match its manifest.")
    for name, path in found.items():
        entry = listed[name]
        if not isinstance(entry, dict) or entry.get("sha256") != _sha256(path):
            raise ArchiveError(f"The backup's entry {name} does not match its manifest.")
    if manifest.get("database") not in SNAPSHOT_NAMES:
        raise ArchiveError(
            f"The backup holds an unknown database kind {manifest.get('database')!r}."
        )
    if SNAPSHOT_NAMES[str(manifest["database"])] not in found:
        raise ArchiveError("The backup holds no database snapshot.")
    return manifest, found
