"""What referral messages show on a lower app's page: the case page's "Messages with partners"
panel."""

from safehaven.cases.panels import CasePanel, register_case_panel


def register() -> None:
    from safehaven.partners.referral_messages.panels import referral_messages_panel

    register_case_panel(
        CasePanel(
            "partners-referral-messages",
            "partners/referral_messages_panel.html",
            referral_messages_panel,
            order=140,
        )
    )
