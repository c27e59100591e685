from django.apps import AppConfig


class FinanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safehaven.finance"
    label = "finance"

    def ready(self) -> None:
        # Importing ``demo`` registers the demo step (after travel's, before advocacy's).
        from safehaven.finance import demo  # noqa: F401
