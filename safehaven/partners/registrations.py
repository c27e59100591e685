"""What the partners app adds to lower apps' pages through their registries (partners sits
above cases, which never imports it)."""


def register() -> None:
    """Called once from ``PartnersConfig.ready``."""
    from safehaven.partners.referral_messages import registrations as referral_messages

    referral_messages.register()
