from importlib import import_module

from django.apps import AppConfig


class KeysConfig(AppConfig):
    name = "safehaven.keys"
    label = "keys"
    verbose_name = "Keys and sealed data"

    def import_models(self) -> None:
        super().import_models()
        # Models outside models.py, registered in the same loading phase as those in it.
        import_module("safehaven.keys.models_duress")
