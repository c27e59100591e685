"""Load the shipped country facts, so every deployment and test database has them."""

from django.db import migrations


def load(apps, schema_editor):
    from safehaven.countries.loading import apply_load, plan_load

    models = [apps.get_model("countries", name) for name in ("Country", "Region", "RiskFact")]
    apply_load(plan_load(*models), *models)


class Migration(migrations.Migration):
    dependencies = [("countries", "0001_countries_and_risk_facts")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
