from django.db import migrations, models


def unlogged_on_postgresql(apps, schema_editor):
    # Counters need no crash safety; without the write-ahead log a hit costs no disk flush.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE ratelimit_counter SET UNLOGGED")


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Counter",
            fields=[
                ("name", models.CharField(max_length=200, primary_key=True, serialize=False)),
                ("count", models.IntegerField()),
                ("expires", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(unlogged_on_postgresql, migrations.RunPython.noop),
    ]
