"""What this feature shows on pages of lower apps (the case page's panels, the staff home),
registered from ``TravelConfig.ready``."""


def register() -> None:
    """Register this feature's panels and sections (none yet)."""
