"""Online submissions in progress: drafts and the file uploaded for each required document."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('agencies', '0004_home_existing_accounts'),
        ('catalog', '0001_initial'),
        ('dossiers', '0012_online_completion'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Draft',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('applicant', models.JSONField(blank=True, default=dict)),
                ('result_delivery', models.CharField(blank=True, choices=[('desk', 'Nhận tại Bộ phận một cửa'), ('post', 'Nhận qua bưu chính'), ('online', 'Nhận trực tuyến')], max_length=10, verbose_name='hình thức nhận kết quả')),
                ('delivery_address', models.CharField(blank=True, max_length=500, verbose_name='địa chỉ nhận kết quả')),
                ('created_at', models.DateTimeField()),
                ('updated_at', models.DateTimeField()),
                ('submitted_at', models.DateTimeField(blank=True, null=True)),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.agency', verbose_name='cơ quan')),
                ('dossier', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='dossiers.dossier')),
                ('procedure_version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.procedureversion', verbose_name='thủ tục')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'hồ sơ nháp',
                'verbose_name_plural': 'hồ sơ nháp',
            },
        ),
        migrations.CreateModel(
            name='DraftFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(upload_to='drafts/%Y/%m/')),
                ('original_name', models.CharField(max_length=255)),
                ('content_type', models.CharField(max_length=100)),
                ('size', models.PositiveBigIntegerField()),
                ('sha256', models.CharField(max_length=64)),
                ('uploaded_at', models.DateTimeField()),
                ('draft', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='files', to='submissions.draft')),
                ('required_document', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.requireddocument')),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.AddIndex(
            model_name='draft',
            index=models.Index(fields=['user', '-updated_at'], name='draft_user_idx'),
        ),
        migrations.AddConstraint(
            model_name='draftfile',
            constraint=models.UniqueConstraint(fields=('draft', 'required_document'), name='one_file_per_draft_document'),
        ),
    ]
