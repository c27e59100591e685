from django.apps import AppConfig


class TravelConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safehaven.travel"
    label = "travel"

    def ready(self) -> None:
        # Each feature shows itself on the case page through a panel (cases.panels); the
        # registrations are added below, one per feature package.
        from safehaven.cases.panels import CasePanel, register_case_panel  # noqa: F401
