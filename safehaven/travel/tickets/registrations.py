"""What this feature shows on pages of lower apps (the case page's panels, the staff home),
registered from ``TravelConfig.ready``."""


def register() -> None:
    """The case page's "Ticket files" panel, after the bookings'."""
    from safehaven.cases.panels import CasePanel, register_case_panel
    from safehaven.travel.tickets.panels import tickets_panel

    register_case_panel(
        CasePanel("travel-tickets", "travel/panel_tickets.html", tickets_panel, order=216)
    )
