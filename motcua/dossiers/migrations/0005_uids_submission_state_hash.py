"""Dossiers and events get uids (unique across instances); a dossier may exist before it is
received (no code, no due time); the code counter is keyed by the code's own YYMMDD; the row
carries the hash of its state chained to its last event; overseers' reads are recorded."""

import hashlib
import json
import uuid
from datetime import UTC, datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

INBOX = models.Q(
    status__in=[
        "submitted",
        "received",
        "processing",
        "waiting_applicant",
        "waiting_payment",
        "result_ready",
    ]
)

# The state fields as trace.STATE_FIELDS listed them when this migration was written.
STATE_FIELDS = (
    "uid", "status", "procedure_version_id", "receiving_desk_id", "deciding_agency_id",
    "channel", "applicant_type", "applicant_name", "applicant_id_number", "applicant_phone",
    "applicant_email", "applicant_address", "result_delivery", "fee_amount", "received_at",
    "due_at", "original_due_at", "paused_at", "finished_at", "returned_at", "extended_at",
    "supplement_count", "current_step_id", "current_role", "current_unit_id",
    "current_assignee_id", "step_due_at", "version",
)  # fmt: skip


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if value is None or isinstance(value, int | str):
        return value
    return str(value)


def fill_uids(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    Event = apps.get_model("dossiers", "DossierEvent")
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("UPDATE dossiers_dossier SET uid = gen_random_uuid()")
            cursor.execute("UPDATE dossiers_dossierevent SET uid = gen_random_uuid()")
        return
    for model in (Dossier, Event):
        for pk in model.objects.values_list("pk", flat=True).iterator():
            model.objects.filter(pk=pk).update(uid=uuid.uuid4())


def bless_state(apps, schema_editor):
    """Each existing row's state, chained to its last event as the trace holds it today."""
    Dossier = apps.get_model("dossiers", "Dossier")
    Event = apps.get_model("dossiers", "DossierEvent")
    for dossier in Dossier.objects.iterator(chunk_size=2000):
        last = Event.objects.filter(dossier_id=dossier.pk).order_by("-seq").first()
        state = {name: _plain(getattr(dossier, name)) for name in STATE_FIELDS}
        state["last_event"] = last.hash if last else "0" * 64
        digest = hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()
        Dossier.objects.filter(pk=dossier.pk).update(state_hash=digest)


def counters_by_code_day(apps, schema_editor):
    Counter = apps.get_model("dossiers", "DossierCodeCounter")
    kept: dict[tuple[int, str], object] = {}
    for counter in Counter.objects.order_by("pk"):
        counter.code_day = f"{counter.day:%y%m%d}"
        key = (counter.agency_id, counter.code_day)
        if key in kept:  # the same YYMMDD a century apart: one counter, past both
            kept[key].last = max(kept[key].last, counter.last)
            counter.delete()
        else:
            kept[key] = counter
    for counter in kept.values():
        counter.save(update_fields=["code_day", "last"])


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0004_receipt_keys"),
        ("agencies", "0002_dossier_code_format"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # uids
        migrations.AddField("dossier", "uid", models.UUIDField(null=True, editable=False)),
        migrations.AddField("dossierevent", "uid", models.UUIDField(null=True, editable=False)),
        migrations.AddField(
            "dossierevent", "format", models.PositiveSmallIntegerField(default=1)
        ),
        migrations.RunPython(fill_uids, migrations.RunPython.noop),
        migrations.AlterField(
            "dossier",
            "uid",
            models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
        migrations.AlterField(
            "dossierevent",
            "uid",
            models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
        migrations.AlterField(
            "dossierevent", "format", models.PositiveSmallIntegerField(default=2)
        ),
        # a dossier before it is received
        migrations.AlterField(
            "dossier",
            "code",
            models.CharField(
                blank=True, max_length=60, null=True, unique=True, verbose_name="mã hồ sơ"
            ),
        ),
        migrations.AlterField(
            "dossier",
            "received_at",
            models.DateTimeField(blank=True, null=True, verbose_name="tiếp nhận lúc"),
        ),
        migrations.AlterField(
            "dossier",
            "due_at",
            models.DateTimeField(blank=True, null=True, verbose_name="hẹn trả lúc"),
        ),
        migrations.AlterField(
            "dossier",
            "original_due_at",
            models.DateTimeField(blank=True, null=True, verbose_name="hẹn trả ban đầu"),
        ),
        migrations.AddField(
            "dossier",
            "submitted_at",
            models.DateTimeField(blank=True, null=True, verbose_name="nộp lúc"),
        ),
        migrations.AddField(
            "dossier",
            "applicant_user",
            models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        # the row chained to its trace
        migrations.AddField(
            "dossier", "state_hash", models.CharField(blank=True, max_length=64)
        ),
        migrations.RunPython(bless_state, migrations.RunPython.noop),
        # the code counter keyed by the code's YYMMDD
        migrations.AddField(
            "dossiercodecounter", "code_day", models.CharField(default="", max_length=6)
        ),
        migrations.RunPython(counters_by_code_day, migrations.RunPython.noop),
        migrations.RemoveConstraint("dossiercodecounter", "one_counter_per_agency_day"),
        migrations.RemoveField("dossiercodecounter", "day"),
        migrations.AlterField("dossiercodecounter", "code_day", models.CharField(max_length=6)),
        migrations.AddConstraint(
            "dossiercodecounter",
            models.UniqueConstraint(
                fields=("agency", "code_day"), name="one_counter_per_agency_code_day"
            ),
        ),
        # inboxes hold dossiers submitted online too
        migrations.RemoveIndex("dossier", "dossier_unit_inbox_idx"),
        migrations.RemoveIndex("dossier", "dossier_desk_inbox_idx"),
        migrations.RemoveIndex("dossier", "dossier_agency_inbox_idx"),
        migrations.RemoveIndex("dossier", "dossier_assignee_inbox_idx"),
        migrations.AddIndex(
            "dossier",
            models.Index(
                condition=INBOX, fields=["current_unit", "due_at"], name="dossier_unit_inbox_idx"
            ),
        ),
        migrations.AddIndex(
            "dossier",
            models.Index(
                condition=INBOX,
                fields=["receiving_desk", "due_at"],
                name="dossier_desk_inbox_idx",
            ),
        ),
        migrations.AddIndex(
            "dossier",
            models.Index(
                condition=INBOX,
                fields=["deciding_agency", "due_at"],
                name="dossier_agency_inbox_idx",
            ),
        ),
        migrations.AddIndex(
            "dossier",
            models.Index(
                condition=INBOX,
                fields=["current_assignee", "due_at"],
                name="dossier_assignee_inbox_idx",
            ),
        ),
        migrations.AddIndex(
            "dossier",
            models.Index(
                condition=models.Q(applicant_user__isnull=False),
                fields=["applicant_user", "submitted_at"],
                name="dossier_applicant_idx",
            ),
        ),
        # overseers' reads of personal data
        migrations.CreateModel(
            name="PersonalDataRead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(auto_now_add=True)),
                ("what", models.CharField(max_length=40)),
                (
                    "dossier",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="dossiers.dossier",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "lượt xem dữ liệu cá nhân",
                "verbose_name_plural": "nhật ký xem dữ liệu cá nhân",
            },
        ),
    ]
