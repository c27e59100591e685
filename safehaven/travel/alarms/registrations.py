"""What this feature shows on pages of lower apps, registered from ``TravelConfig.ready``: the
case page's "Journey alerts" panel and the staff home page's alerts section (which links to
the on-call rota)."""


def register() -> None:
    from safehaven.accounts.home_sections import register_home_section
    from safehaven.cases.panels import CasePanel, register_case_panel
    from safehaven.travel.alarms.pages import alerts_home_section, alerts_panel

    register_case_panel(
        CasePanel("travel-alerts", "travel/panel_alerts.html", alerts_panel, order=216)
    )
    register_home_section("travel-alerts", "travel/home_alerts.html", alerts_home_section)
