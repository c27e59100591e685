"""What this feature shows on pages of lower apps (the case page's panels, the staff home)
and hears from them (the person's check-in from their status page), registered from
``TravelConfig.ready``."""


def register() -> None:
    """The "Journey check-ins" panel of the case page and intake's check-in listener."""
    from safehaven.cases.panels import CasePanel, register_case_panel
    from safehaven.intake.status_page.check_in_listeners import register_check_in_listener
    from safehaven.travel.check_ins.listener import hear_check_in
    from safehaven.travel.check_ins.panels import check_ins_panel

    register_case_panel(
        CasePanel("travel-check-ins", "travel/panel_check_ins.html", check_ins_panel, order=217)
    )
    register_check_in_listener(hear_check_in)
