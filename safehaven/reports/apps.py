from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safehaven.reports"
    label = "reports"

    def ready(self) -> None:
        # Reports sit above every app and nothing imports them: they learn of changes by
        # listening (figures.signals) and show their pages through their own URLs.
        from safehaven.reports.figures import signals

        signals.connect()
        # Registers the demo step: reports come last in INSTALLED_APPS among the apps with
        # demo steps, so every other app's demo data exists when it counts them.
        from safehaven.reports import demo  # noqa: F401
