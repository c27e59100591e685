"""Every change to key material, a module per subject: ``users``, ``teams``, ``rewraps``,
``records``, ``escrow``, ``duress``, ``login_check``. Import from those modules."""

# Temporary: intake's imports switch to the modules when its move lands (issue 15).
from safehaven.keys.actions.duress import do_set_duress_password
from safehaven.keys.actions.escrow import do_print_recovery_sheet
from safehaven.keys.actions.records import do_grant_record, do_shred_record
from safehaven.keys.actions.teams import (
    do_add_team_member_key,
    do_create_team_key,
    do_rotate_team_key,
)

__all__ = [
    "do_add_team_member_key",
    "do_create_team_key",
    "do_grant_record",
    "do_print_recovery_sheet",
    "do_rotate_team_key",
    "do_set_duress_password",
    "do_shred_record",
]
