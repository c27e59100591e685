"""What grants show on pages of lower apps, registered from ``FinanceConfig.ready``."""


def register() -> None:
    """The case page's "Costs" panel, after travel's and before advocacy's."""
    from safehaven.cases.panels import CasePanel, register_case_panel
    from safehaven.finance.grants.panels import case_costs_panel

    register_case_panel(
        CasePanel("finance-costs", "finance/panel_case_costs.html", case_costs_panel, order=238)
    )
