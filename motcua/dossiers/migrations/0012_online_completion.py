"""Online submission (SPEC §4): the desk may ask the applicant to complete an online dossier
before accepting it (``completion_requested_at``, ``completion_count``), and a file the
applicant uploads names the paper it is (``Attachment.document_name``). Constant defaults:
PostgreSQL adds the columns without rewriting the tables."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0011_state_hash_covers_every_field'),
    ]

    operations = [
        migrations.AddField(
            model_name='attachment',
            name='document_name',
            field=models.CharField(blank=True, db_default='', default='', max_length=500),
        ),
        migrations.AddField(
            model_name='dossier',
            name='completion_count',
            field=models.PositiveSmallIntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name='dossier',
            name='completion_requested_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='yêu cầu bổ sung trực tuyến lúc'),
        ),
    ]
