"""Demo accounts for `make demo`: one per role, with passwords and TOTP secrets printed."""

from __future__ import annotations

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator

from safehaven.accounts.models import User
from safehaven.accounts.seed import SEEDED_USERNAMES, SeededWorld, seed_world
from safehaven.core import demo

DEMO_EMAIL_DOMAIN = "demo.invalid"


def demo_password(username: str) -> str:
    # Demo only: a readable password a visitor can type. Real accounts choose their own.
    return f"demo-{username}-passphrase"


def is_demo_user(user: User) -> bool:
    return user.email.endswith("@" + DEMO_EMAIL_DOMAIN)


def load_demo_world() -> SeededWorld | None:
    """Create the demo organisation once; ``None`` when it already exists."""
    if User.objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN).exists():
        return None
    return seed_world(
        password_for={name: demo_password(name) for name in SEEDED_USERNAMES},
        email_domain=DEMO_EMAIL_DOMAIN,
    )


def demo_totp_secret(user: User) -> str:
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return get_mfa_adapter().decrypt(totp.data["secret"])


@demo.register
def describe_demo_accounts(base_url: str) -> list[str]:
    load_demo_world()
    lines = [
        "",
        f"Staff log in at {base_url}/en/accounts/login/ with e-mail + password, then a TOTP code.",
        "Get a current code with:  make totp USER=<username>",
        "",
        f"  {'username':<12} {'e-mail':<26} {'password':<30} TOTP secret (for an app)",
    ]
    for username in SEEDED_USERNAMES:
        user = User.objects.get(username=username)
        lines.append(
            f"  {username:<12} {user.email:<26} {demo_password(username):<30} "
            f"{demo_totp_secret(user)}"
        )
    return lines
