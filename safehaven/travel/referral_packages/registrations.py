"""What this feature shows on pages of lower apps, registered from ``TravelConfig.ready``: the
case page's "Referrals" panel."""

from safehaven.cases.panels import CasePanel, register_case_panel


def register() -> None:
    from safehaven.travel.referral_packages.panels import referrals_panel

    register_case_panel(
        CasePanel("travel-referrals", "travel/panel_referrals.html", referrals_panel, order=225)
    )
