from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("api", "0002_receipt_keys_moved_to_dossiers")]

    operations = [
        migrations.AddField(
            model_name="apikey",
            name="is_migration",
            field=models.BooleanField(default=False, verbose_name="dùng để chuyển dữ liệu cũ"),
        ),
    ]
