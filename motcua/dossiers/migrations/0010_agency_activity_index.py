import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):
    """An agency's dossiers received or finished since a moment (its live figures,
    ``dossiers/indicators.py``)."""

    dependencies = [
        ("dossiers", "0009_issued_papers"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                models.F("deciding_agency"),
                django.db.models.functions.comparison.Coalesce("finished_at", "received_at"),
                name="dossier_agency_activity_idx",
            ),
        ),
    ]
