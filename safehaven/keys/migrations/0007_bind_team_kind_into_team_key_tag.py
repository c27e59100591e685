"""Tag each team key version again over its team's kind and organisation as well
(``TeamKey.public_key_owner``), so that a team row changed in the database fails its key's tag.

Only a version whose tag verifies as the server wrote it (over the team and the version) is
tagged again, and only when its team's kind fits its organisation's kind (triage and caseworker
teams in the relocating organisation, partner teams in partner organisations): a swapped key,
or a team that already does not fit, keeps failing and raises the alarm when used."""

import hmac
from typing import Any

from django.db import migrations

from safehaven.keys.public_key_tags import PublicKeyKind, public_key_tag

BATCH_SIZE = 500
RELOCATING_TEAM_KINDS = {"triage", "casework"}


def _team_fits(team_kind: str, organisation_kind: str) -> bool:
    if team_kind in RELOCATING_TEAM_KINDS:
        return organisation_kind == "relocating"
    if team_kind == "partner":
        return organisation_kind == "partner"
    return True


def tag_team_keys_over_team_kind(apps: Any, schema_editor: Any) -> None:
    using = schema_editor.connection.alias
    team_key_model = apps.get_model("keys", "TeamKey")
    rows = (
        team_key_model.objects.using(using)
        .select_related("team__organisation")
        .only(
            "pk",
            "team_id",
            "version",
            "public_key",
            "public_key_tag",
            "team__kind",
            "team__organisation_id",
            "team__organisation__kind",
        )
        .order_by("pk")
    )
    batch = []
    for row in rows.iterator(chunk_size=BATCH_SIZE):
        public_key = bytes(row.public_key)
        old_tag = public_key_tag(PublicKeyKind.TEAM, (row.team_id, row.version), public_key)
        if not hmac.compare_digest(bytes(row.public_key_tag or b""), old_tag):
            continue
        team = row.team
        if not _team_fits(team.kind, team.organisation.kind):
            continue
        owner = (row.team_id, row.version, team.kind, team.organisation_id)
        row.public_key_tag = public_key_tag(PublicKeyKind.TEAM, owner, public_key)
        batch.append(row)
        if len(batch) == BATCH_SIZE:
            team_key_model.objects.using(using).bulk_update(batch, ["public_key_tag"])
            batch = []
    team_key_model.objects.using(using).bulk_update(batch, ["public_key_tag"])


class Migration(migrations.Migration):
    dependencies = [
        ("keys", "0006_bind_mfa_secrets_to_user"),
    ]

    operations = [
        migrations.RunPython(
            tag_team_keys_over_team_kind, migrations.RunPython.noop, elidable=False
        ),
    ]
