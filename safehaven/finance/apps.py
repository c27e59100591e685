from django.apps import AppConfig


class FinanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safehaven.finance"
    label = "finance"

    def ready(self) -> None:
        # Each feature shows itself on lower apps' pages through their registries; one
        # registration block per feature package.
        from safehaven.finance.grants import registrations as grants

        grants.register()
        from safehaven.cases.merging.listeners import register_merge_listener
        from safehaven.finance.grants.merging import move_grants_on_merge

        register_merge_listener("finance-grants", move_grants_on_merge)
        # Importing ``demo`` registers the demo step (after travel's, before advocacy's).
        from safehaven.finance import demo  # noqa: F401
