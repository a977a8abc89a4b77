from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("api", "0003_revocation_signal")]

    operations = [
        migrations.AddField(
            model_name="apikey",
            name="is_migration",
            field=models.BooleanField(default=False, verbose_name="dùng để chuyển dữ liệu cũ"),
        ),
    ]
