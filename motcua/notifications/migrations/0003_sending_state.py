from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_generic_outbox")]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="state",
            field=models.CharField(
                choices=[
                    ("pending", "Chờ gửi"),
                    ("sending", "Đang gửi"),
                    ("sent", "Đã gửi"),
                    ("failed", "Gửi lỗi"),
                ],
                default="pending",
                max_length=10,
            ),
        ),
    ]
