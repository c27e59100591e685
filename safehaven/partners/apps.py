from django.apps import AppConfig


class PartnersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safehaven.partners"
    label = "partners"

    def ready(self) -> None:
        from safehaven.partners import registrations

        registrations.register()
