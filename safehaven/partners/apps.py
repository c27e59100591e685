from django.apps import AppConfig


class PartnersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safehaven.partners"
    label = "partners"

    def ready(self) -> None:
        from safehaven.partners import registrations

        registrations.register()
        # Importing ``demo`` registers the demo step (after finance's, before advocacy's).
        from safehaven.partners import demo  # noqa: F401
