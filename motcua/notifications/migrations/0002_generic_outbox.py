"""The outbox no longer knows dossiers: a message names what it is about (``about``), and
carries a key passed to the gateway so a retry is not sent twice."""

import uuid

from django.db import migrations, models


def about_from_dossier(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Dossier = apps.get_model("dossiers", "Dossier")
    uids = dict(Dossier.objects.values_list("pk", "uid"))
    for message in Notification.objects.iterator():
        message.key = uuid.uuid4()
        if message.dossier_id in uids:
            message.about = f"dossier:{uids[message.dossier_id]}"
        message.save(update_fields=["key", "about"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("dossiers", "0005_uids_submission_state_hash"),
    ]

    operations = [
        migrations.AddField(
            "notification", "about", models.CharField(blank=True, db_index=True, max_length=80)
        ),
        migrations.AddField("notification", "key", models.UUIDField(null=True, editable=False)),
        migrations.RunPython(about_from_dossier, migrations.RunPython.noop),
        migrations.AlterField(
            "notification",
            "key",
            models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
        migrations.RemoveField("notification", "dossier"),
    ]
