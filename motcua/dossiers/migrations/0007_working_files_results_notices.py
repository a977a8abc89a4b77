"""Officers' working files and the result kept beside the applicant's documents (each linked
to the event that brought it); the kind of result on the dossier; a request to complete made
during processing is a form 02 of the dossier, with the contact officer's phone. New columns
have database defaults, so raw inserts (benchmarks, the receipt's one statement) need no
change."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0006_trace_checkpoints'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='attachment',
            name='event',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='files', to='dossiers.dossierevent'),
        ),
        migrations.AddField(
            model_name='attachment',
            name='kind',
            field=models.CharField(choices=[('document', 'Thành phần hồ sơ'), ('working', 'Hồ sơ làm việc'), ('result', 'Kết quả giải quyết')], db_default='document', default='document', max_length=10),
        ),
        migrations.AddField(
            model_name='desknotice',
            name='contact_phone',
            field=models.CharField(blank=True, db_default='', default='', max_length=30),
        ),
        migrations.AddField(
            model_name='desknotice',
            name='dossier',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='notices', to='dossiers.dossier'),
        ),
        migrations.AddField(
            model_name='dossier',
            name='result_kind',
            field=models.CharField(blank=True, choices=[('electronic', 'Bản điện tử (tệp PDF đã ký)'), ('paper', 'Bản giấy')], db_default='', default='', max_length=10, verbose_name='kết quả'),
        ),
        migrations.AlterField(
            model_name='desknotice',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name='desknotice',
            name='officer',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL),
        ),
    ]
