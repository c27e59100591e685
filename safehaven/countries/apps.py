from django.apps import AppConfig


class CountriesConfig(AppConfig):
    name = "safehaven.countries"
    label = "countries"
    verbose_name = "Countries"
