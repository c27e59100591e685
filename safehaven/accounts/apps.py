from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safehaven.accounts"
    label = "accounts"
    verbose_name = "Staff accounts and organisations"

    def ready(self) -> None:
        # Importing connects the signal receivers and registers the demo step.
        from safehaven.accounts import demo, mfa_secrets, signals  # noqa: F401
