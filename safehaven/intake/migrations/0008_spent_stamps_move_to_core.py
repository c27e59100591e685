"""The proof-of-work stamp model now belongs to core (its 0005 took it over, table and all):
drop it from intake's state only, so the table and its rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0007_requester_times_to_the_hour"),
        ("core", "0005_spent_stamps_move_from_intake"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SpentStamp")],
            database_operations=[],
        ),
    ]
