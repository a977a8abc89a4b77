"""A proposal of form 04 waiting for the agency's leader is a column of the dossier row
(``extension_proposed_at``), so the leader's inbox finds it through a small partial index.
Open dossiers already proposed and not yet extended get the time of their latest proposal;
the row's state hash covers the column when it is set (``trace.LATER_STATE_FIELDS``), so each
such row whose hash still held is re-hashed, and a row that already failed its check keeps
its old hash, so ``verify_audit`` still reports it (as migration 0011 does)."""

import hashlib
import json
from datetime import UTC, datetime

from django.db import migrations, models

# The fields as trace.STATE_FIELDS (format 2) and LATER_STATE_FIELDS give them when this
# migration was written.
FORMAT_2 = (
    "uid", "status", "procedure_version_id", "receiving_desk_id", "deciding_agency_id",
    "channel", "applicant_type", "applicant_name", "applicant_id_number", "applicant_phone",
    "applicant_email", "applicant_address", "result_delivery", "fee_amount", "received_at",
    "due_at", "original_due_at", "paused_at", "finished_at", "returned_at", "extended_at",
    "supplement_count", "current_step_id", "current_role", "current_unit_id",
    "current_assignee_id", "step_due_at", "version",
    "receiving_agency_id", "authorised_name", "authorised_id_number", "delivery_address",
    "sets_received", "applicant_user_id", "submitted_at", "result_kind", "step_started_at",
    "extension_reason", "returned_to", "postal_tracking", "closing_note",
)  # fmt: skip
LATER_BEFORE = ("completion_requested_at", "completion_count")
LATER_AFTER = (*LATER_BEFORE, "extension_proposed_at")
OPEN = ["received", "processing", "waiting_applicant", "waiting_payment"]


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if value is None or isinstance(value, int | str):
        return value
    return str(value)


def _hash(dossier, later, last_event):
    state = {name: _plain(getattr(dossier, name)) for name in FORMAT_2}
    for name in later:
        if value := getattr(dossier, name):
            state[name] = _plain(value)
    state["last_event"] = last_event
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def pending_proposals(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    Event = apps.get_model("dossiers", "DossierEvent")
    proposed = Event.objects.filter(action="propose_extension").values("dossier_id")
    waiting = Dossier.objects.filter(pk__in=proposed, status__in=OPEN, extended_at__isnull=True)
    for dossier in waiting.iterator(chunk_size=500):
        events = Event.objects.filter(dossier_id=dossier.pk).order_by("-seq")
        last = events.first()
        proposal = events.filter(action="propose_extension").first()
        held = dossier.state_hash == _hash(dossier, LATER_BEFORE, last.hash)
        dossier.extension_proposed_at = proposal.at
        fields = {"extension_proposed_at": proposal.at}
        if held:
            fields["state_hash"] = _hash(dossier, LATER_AFTER, last.hash)
        Dossier.objects.filter(pk=dossier.pk).update(**fields)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0012_online_completion")]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="extension_proposed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="đề xuất gia hạn lúc"),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(
                    (
                        "status__in",
                        [
                            "submitted",
                            "received",
                            "processing",
                            "waiting_applicant",
                            "waiting_payment",
                            "result_ready",
                        ],
                    ),
                    ("extension_proposed_at__isnull", False),
                ),
                fields=["deciding_agency", "due_at"],
                name="dossier_proposal_inbox_idx",
            ),
        ),
        migrations.RunPython(pending_proposals, migrations.RunPython.noop, elidable=False),
    ]
