"""Stored risk scores on the new companion scale (steps of 5), so that none in clear still
gives away the sealed household size (``intake/risk.py``).

Under the old scale one, two and three companions added 5, 7 and 9 points, and every other
weight, the emergency floor and the cap are multiples of 5: a score that leaves 2 over a
multiple of 5 had exactly two companions (now 5 points, so 2 less), one that leaves 4 had
three (now 10 points, so 1 more). Nothing needs opening: the score alone says which. The band
follows the score, with the thresholds of ``risk.BAND_FLOORS`` as they were when this was
written (a migration must not change with the code).
"""

from django.db import migrations

BAND_FLOORS = ((75, "critical"), (50, "high"), (25, "medium"), (0, "low"))
CHANGE_BY_REMAINDER = {2: -2, 4: 1}


def band_for(score: int) -> str:
    return next(band for floor, band in BAND_FLOORS if score >= floor)


def to_steps_of_five(apps, schema_editor):
    HelpRequest = apps.get_model("intake", "HelpRequest")
    for help_request in HelpRequest.objects.exclude(risk_score=0).only("risk_score", "risk_band"):
        change = CHANGE_BY_REMAINDER.get(help_request.risk_score % 5)
        if change is None:
            continue
        help_request.risk_score = min(100, help_request.risk_score + change)
        help_request.risk_band = band_for(help_request.risk_score)
        help_request.save(update_fields=["risk_score", "risk_band"])


class Migration(migrations.Migration):
    dependencies = [("intake", "0004_index_foreign_keys_only_where_set")]

    operations = [
        migrations.RunPython(to_steps_of_five, migrations.RunPython.noop, elidable=True),
    ]
