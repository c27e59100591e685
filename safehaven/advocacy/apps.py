from django.apps import AppConfig


class AdvocacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safehaven.advocacy"
    label = "advocacy"

    def ready(self) -> None:
        # The case page shows a case's advocacy requests to whoever holds its casework key
        # (cases.panels): advocacy sits above cases, which never imports it. Importing ``demo``
        # registers the demo step (after travel's, whose demo cases it counts).
        from safehaven.advocacy import demo  # noqa: F401
        from safehaven.advocacy.inclusions.panels import advocacy_panel
        from safehaven.cases.panels import CasePanel, register_case_panel

        register_case_panel(
            CasePanel("advocacy", "advocacy/panel_advocacy.html", advocacy_panel, order=240)
        )
