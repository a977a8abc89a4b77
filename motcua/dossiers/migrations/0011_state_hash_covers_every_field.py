"""The row's state hash covers every column but the code (trace.STATE_FORMAT 2): each row
whose hash still holds over the fields of format 1 is re-hashed over the new list; a row that
already failed its check keeps its old hash, so ``verify_audit`` still reports it."""

import hashlib
import json
from datetime import UTC, datetime

from django.db import migrations

# The lists as trace.STATE_FIELDS_BY_FORMAT gives them when this migration was written.
FORMAT_1 = (
    "uid", "status", "procedure_version_id", "receiving_desk_id", "deciding_agency_id",
    "channel", "applicant_type", "applicant_name", "applicant_id_number", "applicant_phone",
    "applicant_email", "applicant_address", "result_delivery", "fee_amount", "received_at",
    "due_at", "original_due_at", "paused_at", "finished_at", "returned_at", "extended_at",
    "supplement_count", "current_step_id", "current_role", "current_unit_id",
    "current_assignee_id", "step_due_at", "version",
)  # fmt: skip
FORMAT_2 = FORMAT_1 + (
    "receiving_agency_id", "authorised_name", "authorised_id_number", "delivery_address",
    "sets_received", "applicant_user_id", "submitted_at", "result_kind", "step_started_at",
    "extension_reason", "returned_to", "postal_tracking", "closing_note",
)  # fmt: skip


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if value is None or isinstance(value, int | str):
        return value
    return str(value)


def _hash(dossier, fields, last_event):
    state = {name: _plain(getattr(dossier, name)) for name in fields}
    state["last_event"] = last_event
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def rehash(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    Event = apps.get_model("dossiers", "DossierEvent")
    for dossier in Dossier.objects.iterator(chunk_size=2000):
        last = Event.objects.filter(dossier_id=dossier.pk).order_by("-seq").first()
        last_hash = last.hash if last else "0" * 64
        if dossier.state_hash == _hash(dossier, FORMAT_1, last_hash):
            Dossier.objects.filter(pk=dossier.pk).update(
                state_hash=_hash(dossier, FORMAT_2, last_hash)
            )


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0010_agency_activity_index")]

    operations = [migrations.RunPython(rehash, migrations.RunPython.noop, elidable=False)]
