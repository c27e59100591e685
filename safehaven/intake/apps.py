from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "safehaven.intake"
    label = "intake"
    verbose_name = "Intake"

    def ready(self) -> None:
        # Importing registers the checks that read the database (``manage.py check
        # --database``) and the demo step (after the accounts step, which demo imports).
        from safehaven.intake import checks, demo  # noqa: F401
