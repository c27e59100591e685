from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safehaven.core"
    label = "core"
    verbose_name = "Core"
