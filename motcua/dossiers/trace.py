"""The dossier's trace (SPEC §4): append-only events, hash-chained per dossier, and the
dossier row chained to its last event.

- Each event carries the SHA-256 of its own canonical form, which includes the previous
  event's hash: a changed, deleted or reordered event breaks the chain.
- The dossier row carries ``state_hash``, over its last event's hash and the fields of
  ``STATE_FIELDS``: a row edited behind the services' back (a due time moved, a status set,
  the last event deleted and the row rolled back) no longer matches.
- ``audit_verify`` checks both for every dossier (``manage.py verify_audit``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from motcua.dossiers.access import Actor, actor_name, actor_user
from motcua.dossiers.models import Dossier, DossierEvent

GENESIS_HASH = "0" * 64

#: The dossier fields its state hash covers: what the trace proves about the row — every
#: column but the primary key, the hash itself, the folded name the inbox search derives from
#: the applicant's name, and the code. The code is made inside the receipt's statement on
#: PostgreSQL, after the hash: checkpoints record it instead (``checkpoint_take``).
STATE_FIELDS = (
    "uid",
    "status",
    "procedure_version_id",
    "receiving_desk_id",
    "deciding_agency_id",
    "channel",
    "applicant_type",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "result_delivery",
    "fee_amount",
    "received_at",
    "due_at",
    "original_due_at",
    "paused_at",
    "finished_at",
    "returned_at",
    "extended_at",
    "supplement_count",
    "current_step_id",
    "current_role",
    "current_unit_id",
    "current_assignee_id",
    "step_due_at",
    "version",
    # since migration 0011 (STATE_FORMAT 2)
    "receiving_agency_id",
    "authorised_name",
    "authorised_id_number",
    "delivery_address",
    "sets_received",
    "applicant_user_id",
    "submitted_at",
    "result_kind",
    "step_started_at",
    "extension_reason",
    "returned_to",
    "postal_tracking",
    "closing_note",
)
#: Fields added since format 2, hashed only when they hold something: the state hash of
#: every row written before them stays what it was.
LATER_STATE_FIELDS = ("completion_requested_at", "completion_count", "extension_proposed_at")

#: Which list of fields ``state_hash`` covers; a checkpoint records it, so one taken under an
#: earlier format is still checked against the fields it covered then.
STATE_FORMAT = 2
STATE_FIELDS_BY_FORMAT = {1: STATE_FIELDS[: STATE_FIELDS.index("version") + 1], 2: STATE_FIELDS}


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if value is None or isinstance(value, int | str):
        return value
    return str(value)


def state_hash(dossier: Dossier, last_event_hash: str, *, format: int = STATE_FORMAT) -> str:
    state = {name: _plain(getattr(dossier, name)) for name in STATE_FIELDS_BY_FORMAT[format]}
    if format >= 2:
        for name in LATER_STATE_FIELDS:
            if value := getattr(dossier, name):
                state[name] = _plain(value)
    state["last_event"] = last_event_hash
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def event_build(
    dossier: Dossier,
    *,
    action: str,
    actor: Actor,
    at: datetime,
    status_before: str,
    step_before: int | None,
    unit_name: str = "",
    note: str = "",
    data: dict | None = None,
    after: tuple[int, str] | None = None,
) -> DossierEvent:
    """The next event of ``dossier``'s chain, hashed, not saved; ``after`` is the (seq, hash)
    of the last event, None for a new dossier, whose chain starts at the genesis hash. Also
    sets the dossier's ``state_hash`` to follow it (the caller saves the dossier)."""
    seq, prev_hash = (after[0] + 1, after[1]) if after else (1, GENESIS_HASH)
    user = actor_user(actor)
    event = DossierEvent(
        dossier=dossier,
        seq=seq,
        action=action,
        actor=user if user is not None and user.pk else None,
        actor_name=actor_name(actor),
        at=at,
        status_before=status_before,
        status_after=dossier.status,
        step_before=step_before,
        step_after=dossier.current_step.order if dossier.current_step_id else None,
        unit_name=unit_name,
        note=note,
        data=data or {},
        prev_hash=prev_hash,
    )
    event.hash = event.compute_hash()
    dossier.state_hash = state_hash(dossier, event.hash)
    return event


def event_append(dossier: Dossier, **event) -> DossierEvent:
    """Append an event to the chain of a dossier already saved (see ``event_build``); the
    caller holds the dossier's row lock and saves the dossier after."""
    last = (
        DossierEvent.objects.filter(dossier=dossier)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    row = event_build(dossier, after=last, **event)
    row.save()
    return row


def audit_verify(*, dossier_ids=None) -> list[str]:
    """Codes (or uids, for a dossier not yet received) of the dossiers whose trace does not
    hold: an event changed, deleted or reordered, or the row changed behind the trace."""
    broken: list[str] = []
    dossiers = Dossier.objects.order_by("pk")
    if dossier_ids is not None:
        dossiers = dossiers.filter(pk__in=dossier_ids)
    events = DossierEvent.objects.order_by("dossier_id", "seq").select_related("dossier")
    if dossier_ids is not None:
        events = events.filter(dossier_id__in=dossier_ids)
    chains: dict[int, tuple[bool, str]] = {}  # dossier id → (chain holds, last hash)
    current, prev_hash, expected_seq, ok = None, GENESIS_HASH, 1, True
    for event in events.iterator(chunk_size=2000):
        if event.dossier_id != current:
            if current is not None:
                chains[current] = (ok, prev_hash)
            current, prev_hash, expected_seq, ok = event.dossier_id, GENESIS_HASH, 1, True
        if ok and (
            event.seq != expected_seq
            or event.prev_hash != prev_hash
            or event.compute_hash() != event.hash
        ):
            ok = False
        prev_hash, expected_seq = event.hash, event.seq + 1
    if current is not None:
        chains[current] = (ok, prev_hash)
    for dossier in dossiers.iterator(chunk_size=2000):
        ok, last_hash = chains.get(dossier.pk, (False, GENESIS_HASH))  # no events: broken
        if not ok or dossier.state_hash != state_hash(dossier, last_hash):
            broken.append(dossier.code or str(dossier.uid))
    return broken


# --- checkpoints -------------------------------------------------------------------------------

CHECKPOINT_SALT = "motcua.trace.checkpoint"


def _heads():
    """(uid, last seq, last event hash, state hash, code) of every dossier, by uid."""
    from django.db.models import OuterRef, Subquery

    last = DossierEvent.objects.filter(dossier=OuterRef("pk")).order_by("-seq")
    rows = (
        Dossier.objects.annotate(
            last_seq=Subquery(last.values("seq")[:1]),
            last_hash=Subquery(last.values("hash")[:1]),
        )
        .order_by("uid")
        .values_list("uid", "last_seq", "last_hash", "state_hash", "code")
    )
    for uid, seq, event_hash, state, code in rows.iterator(chunk_size=5000):
        yield [str(uid), seq or 0, event_hash or "", state, code or ""]


def _heads_digest(heads) -> str:
    """Over each head's fields as recorded (four before the code was, five since)."""
    return hashlib.sha256("".join(" ".join(map(str, h)) + "\n" for h in heads).encode()).hexdigest()


def _sign(*parts) -> str:
    from django.conf import settings
    from django.utils.crypto import salted_hmac

    secret = settings.TRACE_SIGNING_KEY or settings.SECRET_KEY
    message = "|".join(str(p) for p in parts)
    return salted_hmac(CHECKPOINT_SALT, message, secret=secret, algorithm="sha256").hexdigest()


def checkpoint_take() -> dict:
    """Record a signed checkpoint of every chain head; returns it, heads included, as the
    document to export and keep apart from the database."""
    from motcua import clock
    from motcua.dossiers.models import TraceCheckpoint

    heads = list(_heads())
    digest = _heads_digest(heads)
    previous = TraceCheckpoint.objects.order_by("-taken_at", "-pk").first()
    taken_at = clock.now().isoformat(timespec="seconds")
    prev_signature = previous.signature if previous else ""
    signature = _sign(taken_at, len(heads), digest, prev_signature)
    TraceCheckpoint.objects.create(
        taken_at=clock.now(),
        dossiers=len(heads),
        digest=digest,
        previous=prev_signature,
        signature=signature,
    )
    return {
        "taken_at": taken_at,
        "dossiers": len(heads),
        "digest": digest,
        "previous": prev_signature,
        "signature": signature,
        "state_format": STATE_FORMAT,
        "heads": heads,
    }


def checkpoint_verify(document: dict) -> list[str]:
    """What no longer matches an exported checkpoint: its signature, then every head it
    recorded (the event at that seq must still have that hash; a dossier with no event since
    must still have that state). Codes (or uids) of the dossiers rewritten since, or a
    message about the document itself; empty when all holds."""
    heads = document.get("heads", [])
    digest = _heads_digest(heads)
    signed = _sign(
        document.get("taken_at"), document.get("dossiers"), digest, document.get("previous", "")
    )
    if digest != document.get("digest") or signed != document.get("signature"):
        return ["Tệp điểm chốt không khớp chữ ký: đã bị sửa, hoặc ký bằng khóa khác."]
    problems = []
    recorded_format = document.get("state_format", 1)
    by_uid = {str(d.uid): d for d in Dossier.objects.only("uid", "code", "state_hash")}
    for uid, seq, event_hash, state, *code in heads:
        dossier = by_uid.get(uid)
        if dossier is None:
            problems.append(uid)
            continue
        at_seq = DossierEvent.objects.filter(dossier=dossier, seq=seq).values_list(
            "hash", flat=True
        )
        newer = DossierEvent.objects.filter(dossier=dossier, seq__gt=seq).exists()
        if recorded_format != STATE_FORMAT and not newer and dossier.state_hash != state:
            # The row was re-hashed over more fields since (migration 0011): the state it
            # had then is what the fields it covered then still give.
            whole = Dossier.objects.get(pk=dossier.pk)
            state_now = state_hash(whole, event_hash, format=recorded_format)
        else:
            state_now = dossier.state_hash
        if (
            list(at_seq) != [event_hash]
            or (not newer and state_now != state)
            or (code and code[0] and dossier.code != code[0])
        ):
            problems.append(dossier.code or uid)
    return problems
