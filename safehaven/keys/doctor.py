"""The doctor's key-material check (``manage.py doctor``; core's registry finds this module)."""

from __future__ import annotations

from safehaven.accounts.models import Team
from safehaven.core.doctor.registry import Options, Result, fail, ok, register, warn
from safehaven.keys.escrow import eligible_holders, holder_ids
from safehaven.keys.models import EscrowKey, TeamKey

MINIMUM_HOLDERS = 2


@register(
    "escrow and team keys",
    order=25,
    explanation="an escrow key exists (manage.py init_keys) and at least two active "
    "administrators with usable keys hold it (add_escrow_holder, restore_escrow); its recovery "
    "sheet was printed; every team has a key",
)
def check_key_material(options: Options) -> list[Result]:
    escrows = list(EscrowKey.objects.order_by("pk"))
    if not escrows:
        return [
            fail(
                "no escrow key: run manage.py init_keys once two administrators exist (until "
                "then the help form stores nothing)"
            )
        ]
    results = [*map(escrow_holders, escrows), *map(recovery_sheet, escrows), teams_without_key()]
    return [result for result in results if result.status != "ok"] or [
        ok(
            f"escrow held by at least {MINIMUM_HOLDERS} administrators, recovery sheet printed, "
            "every team has a key"
        )
    ]


def escrow_holders(escrow: EscrowKey) -> Result:
    # A holder whose account was deactivated, or whose key is suspended (duress), cannot help
    # open escrow: count only those who can.
    usable = holder_ids(escrow) & {user.pk for user in eligible_holders(escrow)}
    if len(usable) < MINIMUM_HOLDERS:
        return fail(
            f"escrow key #{escrow.pk} has {len(usable)} usable holder(s), fewer than "
            f"{MINIMUM_HOLDERS}: add one with manage.py add_escrow_holder, or rebuild it from "
            "the recovery sheet with manage.py restore_escrow"
        )
    return ok(f"escrow key #{escrow.pk} has {len(usable)} usable holders")


def recovery_sheet(escrow: EscrowKey) -> Result:
    if escrow.sheet_printed_at is None:
        return warn(
            f"the recovery sheet of escrow key #{escrow.pk} was never printed: run "
            "manage.py print_recovery_sheet and keep it offline in two places"
        )
    return ok("recovery sheet printed")


def teams_without_key() -> Result:
    count = Team.objects.exclude(pk__in=TeamKey.objects.values("team")).count()
    if count:
        return warn(f"{count} teams have no key: run manage.py init_keys")
    return ok("every team has a key")
