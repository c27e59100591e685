from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safehaven.cases"
    label = "cases"

    def ready(self) -> None:
        # Registers the demo step (after intake's, whose requests it opens cases from).
        from safehaven.cases.contact_log.panels import contact_log_panel
        from safehaven.cases.demo import steps  # noqa: F401
        from safehaven.cases.evidence.erasure import delete_copies_of_erased_request
        from safehaven.cases.keyholders.panels import keyholders_panel
        from safehaven.cases.panels import CasePanel, register_case_panel
        from safehaven.cases.risk.panels import risk_panel
        from safehaven.cases.verification.panels import verification_panel
        from safehaven.intake.erasure.signals import help_request_erased

        # The person's photos copied into a case's evidence go when their request is erased.
        help_request_erased.connect(
            delete_copies_of_erased_request, dispatch_uid="cases-delete-copies-of-erased-request"
        )

        register_case_panel(
            CasePanel(name="risk", template="cases/panel_risk.html", context=risk_panel, order=100)
        )
        register_case_panel(
            CasePanel(
                name="keyholders",
                template="cases/panel_keyholders.html",
                context=keyholders_panel,
                order=900,
            )
        )
        register_case_panel(
            CasePanel(
                name="contact-log",
                template="cases/panel_contact_log.html",
                context=contact_log_panel,
                order=400,
            )
        )
        register_case_panel(
            CasePanel(
                name="verification",
                template="cases/panel_verification.html",
                context=verification_panel,
                order=300,
            )
        )
