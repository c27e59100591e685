from django.apps import AppConfig


class KeysConfig(AppConfig):
    name = "safehaven.keys"
    label = "keys"
    verbose_name = "Keys and sealed data"
