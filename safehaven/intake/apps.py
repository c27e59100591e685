from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "safehaven.intake"
    label = "intake"
    verbose_name = "Intake"

    def ready(self) -> None:
        # Registers the demo step (after the accounts step, which the demo module imports).
        from safehaven.intake import demo  # noqa: F401
