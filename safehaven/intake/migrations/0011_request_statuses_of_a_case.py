from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0010_request_attachments"),
    ]

    operations = [
        migrations.AlterField(
            model_name="helprequest",
            name="status",
            field=models.CharField(
                choices=[
                    ("received", "Received"),
                    ("reviewing", "Being reviewed"),
                    ("will_contact", "We will contact the person"),
                    ("closed", "Closed"),
                    ("withdrawn", "Withdrawn by the person"),
                    ("in_progress", "Case in progress"),
                    ("waiting", "Case on hold"),
                    ("contact_lost", "Contact with the person lost"),
                ],
                default="received",
                max_length=20,
            ),
        ),
    ]
