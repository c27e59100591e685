from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "safehaven.intake"
    label = "intake"
    verbose_name = "Intake"
