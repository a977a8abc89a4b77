"""Receiving a dossier (SPEC §4, §5, §6): at the desk, from a peer system, or online.

``dossier_receive`` validates everything first (Vietnamese messages per field; nothing is
stored on error, files included), then describes every row the receipt writes once
(``receipt_rows``: the dossier at its first step with its due time, its checklist, files,
first event, the applicant's messages and the sender's submission key) and hands them to one
of two writers:

- ``_write_orm``: the ORM, in one transaction (SQLite: IMMEDIATE, so writers are
  serialised); the code is allocated under the counter row's lock.
- ``_write_pg``: PostgreSQL, ONE prepared statement (ADR 0008): the code counter is bumped
  and the code made inside it, so the counter row is locked only while it commits.

Both apply the same rules to the same rows — the submission key used once, the procedure
version still published, the code's text, the code put into the messages — and a test runs
the same receipts through both on PostgreSQL and compares every row.
"""

from __future__ import annotations

import functools
import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext_lazy as _

from motcua import clock
from motcua.agencies.models import Agency, Desk
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import codes, deadlines, process, tallies
from motcua.dossiers.access import (
    Actor,
    Citizen,
    PeerSystem,
    actor_user,
    may_receive_at,
    may_submit_to,
)
from motcua.dossiers.files import IncomingFile
from motcua.dossiers.messages import message_rows
from motcua.dossiers.models import (
    Attachment,
    DayTally,
    Dossier,
    DossierCodeCounter,
    DossierDocument,
    DossierEvent,
    ReceiptKey,
    ResultDelivery,
    Status,
)
from motcua.dossiers.trace import event_build
from motcua.dossiers.transitions import SPECS, Action
from motcua.notifications.models import Notification
from motcua.pgsql import execute_prepared, insert_sql, rows_json
from motcua.workcalendar.calendar import to_local
from motcua.workcalendar.selectors import calendar_get

CCCD_RE = re.compile(r"^\d{12}$")
TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")
PHONE_RE = re.compile(r"^(\+84|0)\d{9,10}$")
NOT_PUBLISHED = _("Thủ tục này không còn áp dụng; chọn phiên bản đang áp dụng.")
#: How many times a receipt whose code clashed (with a code imported from elsewhere) is
#: tried again after the counter is moved past the clash.
CODE_ATTEMPTS = 3


@dataclass
class Applicant:
    name: str
    id_number: str
    type: int = 1
    phone: str = ""
    email: str = ""
    address: str = ""
    authorised_name: str = ""
    authorised_id_number: str = ""


@dataclass
class Receipt:
    """Everything the desk, a peer system or a citizen hands over for one dossier."""

    applicant: Applicant
    channel: int = 1
    documents: list[tuple[int | None, str, int, int]] = field(default_factory=list)
    files: list[IncomingFile] = field(default_factory=list)
    result_delivery: str = ResultDelivery.DESK
    delivery_address: str = ""
    sets_received: int = 1
    received_at: datetime | None = None


@dataclass(frozen=True)
class SubmissionKey:
    """A sender's idempotency key for one submission (see ``ReceiptKey``)."""

    sender: str
    key: str
    request_hash: str


class AlreadyReceived(Exception):
    """The submission key was used before: ``dossier`` is what it created. ``same_request``
    is False when the key came back with a different request (a sender's bug)."""

    def __init__(self, dossier: Dossier, same_request: bool):
        super().__init__(dossier.code)
        self.dossier, self.same_request = dossier, same_request


def phone_clean(raw: str) -> str:
    """A phone number as typed, without the spaces and dots people put in it."""
    return re.sub(r"[\s.]", "", raw)


def applicant_errors(applicant: Applicant) -> dict[str, str]:
    errors = {}
    if not applicant.name.strip():
        errors["applicant.name"] = _("Nhập họ tên (hoặc tên tổ chức) của chủ hồ sơ.")
    number = applicant.id_number.strip()
    if applicant.type == 2:
        if not TAX_CODE_RE.match(number):
            errors["applicant.id_number"] = _(
                "Mã số thuế phải có 10 chữ số (hoặc 10 số, gạch ngang, 3 số)."
            )
    elif not CCCD_RE.match(number):
        errors["applicant.id_number"] = _("Số định danh cá nhân (CCCD) phải có đúng 12 chữ số.")
    phone = phone_clean(applicant.phone)
    if phone and not PHONE_RE.match(phone):
        errors["applicant.phone"] = _("Số điện thoại không hợp lệ (ví dụ 0912345678).")
    if applicant.email and "@" not in applicant.email:
        errors["applicant.email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    if applicant.type not in (1, 2, 3, 4):
        errors["applicant.type"] = _("Loại chủ hồ sơ phải là 1, 2, 3 hoặc 4.")
    for name, column in _APPLICANT_COLUMNS.items():  # as PostgreSQL would, on every database
        value, limit = getattr(applicant, name), Dossier._meta.get_field(column).max_length
        if "\x00" in value:
            errors.setdefault(f"applicant.{name}", _("Không được chứa ký tự NUL."))
        elif len(value.strip()) > limit:
            errors.setdefault(f"applicant.{name}", _("Dài quá %(n)s ký tự.") % {"n": limit})
    return errors


#: The dossier's column for each applicant detail (its length is the limit).
_APPLICANT_COLUMNS = {
    "name": "applicant_name",
    "id_number": "applicant_id_number",
    "phone": "applicant_phone",
    "email": "applicant_email",
    "address": "applicant_address",
    "authorised_name": "authorised_name",
    "authorised_id_number": "authorised_id_number",
}


def _receipt_errors(receipt: Receipt, version: ProcedureVersion) -> dict[str, str]:
    from motcua.dossiers.files import file_errors

    errors = applicant_errors(receipt.applicant)
    errors.update(file_errors(receipt.files))
    if version.status != ProcedureVersion.Status.PUBLISHED:
        errors["procedure"] = NOT_PUBLISHED
    if receipt.result_delivery == ResultDelivery.POST and not receipt.delivery_address.strip():
        errors["delivery_address"] = _("Nhận kết quả qua bưu chính cần địa chỉ nhận.")
    return errors


# --- the rows of one receipt ---------------------------------------------------------------


@dataclass
class ReceiptRows:
    """Every row one receipt writes, unsaved. ``dossier.code`` is a placeholder until a
    writer allocates the real code; the messages carry the placeholder too."""

    dossier: Dossier
    documents: list[DossierDocument]
    attachments: list[Attachment]
    event: DossierEvent
    messages: list[Notification]
    key: ReceiptKey | None


def _new_dossier(
    *, desk: Desk, version: ProcedureVersion, receipt: Receipt, deciding: Agency, status: Status
) -> Dossier:
    applicant = receipt.applicant
    return Dossier(
        code=f"{{code:{uuid.uuid4().hex}}}",
        procedure_version=version,
        receiving_desk=desk,
        receiving_agency=desk.agency,
        deciding_agency=deciding,
        channel=receipt.channel,
        status=status,
        applicant_type=applicant.type,
        applicant_name=applicant.name.strip(),
        applicant_id_number=applicant.id_number.strip(),
        applicant_phone=phone_clean(applicant.phone),
        applicant_email=applicant.email.strip(),
        applicant_address=applicant.address.strip(),
        authorised_name=applicant.authorised_name.strip(),
        authorised_id_number=applicant.authorised_id_number.strip(),
        result_delivery=receipt.result_delivery,
        delivery_address=receipt.delivery_address.strip(),
        sets_received=receipt.sets_received,
        fee_amount=process.version_facts(version)[1],
    )


def start_clock(dossier: Dossier, *, received_at: datetime) -> None:
    """The moment a complete dossier is received (SPEC §4, §6): its due time, and its first
    step of the internal process."""
    calendar = calendar_get(agency=dossier.deciding_agency)
    due_at = deadlines.receipt_due_at(
        version=dossier.procedure_version, received_at=received_at, calendar=calendar
    )
    dossier.received_at, dossier.due_at, dossier.original_due_at = received_at, due_at, due_at
    steps = process.version_facts(dossier.procedure_version)[0]
    process.enter_step(dossier, steps[0] if steps else None, at=received_at, calendar=calendar)


def store_files(dossier: Dossier, files: list[IncomingFile], actor, saved: list[str]):
    """Write the files to storage (names appended to ``saved`` at once, so a failure later
    can delete them) and return their unsaved ``Attachment`` rows."""
    user = actor_user(actor)
    rows = []
    for incoming in files:  # copied from its temporary file in parts, named by its content
        name = default_storage.save(
            f"dossiers/{clock.now():%Y/%m}/{uuid.uuid4().hex}.{incoming.extension}", incoming
        )
        saved.append(name)
        rows.append(
            Attachment(
                dossier=dossier,
                file=name,
                original_name=incoming.name[:255],
                document_name=incoming.label[:500],
                content_type=incoming.content_type,
                size=incoming.size,
                sha256=incoming.sha256,
                uploaded_by=user if user is not None and user.pk else None,
            )
        )
    return rows


def receipt_rows(
    dossier: Dossier,
    receipt: Receipt,
    *,
    actor: Actor,
    action: Action,
    submission: SubmissionKey | None,
    saved: list[str],
) -> ReceiptRows:
    """The rows of one receipt, described once for both writers."""
    documents = [
        DossierDocument(
            dossier=dossier,
            required_document_id=req_id,
            name=name,
            originals=originals,
            copies=copies,
        )
        for req_id, name, originals, copies in receipt.documents
    ]
    attachments = store_files(dossier, receipt.files, actor, saved)
    data: dict = {"files": len(receipt.files)}
    if dossier.due_at is not None:
        data["due_at"] = dossier.due_at.isoformat()
    event = event_build(
        dossier,
        action=action,
        actor=actor,
        at=clock.now(),
        status_before="",
        step_before=None,
        data=data,
    )
    kind = SPECS[action].message
    return ReceiptRows(
        dossier=dossier,
        documents=documents,
        attachments=attachments,
        event=event,
        messages=message_rows(dossier, kind) if kind else [],
        key=ReceiptKey(dossier=dossier, **asdict(submission)) if submission else None,
    )


# --- receiving -----------------------------------------------------------------------------


def dossier_receive(
    *,
    desk: Desk,
    procedure_version: ProcedureVersion,
    receipt: Receipt,
    actor: Actor,
    deciding_agency: Agency | None = None,
    submission: SubmissionKey | None = None,
) -> Dossier:
    """Receive a complete dossier: its code and due time (SPEC §5, §6), its first step, the
    applicant told. Bad input raises ``ValidationError`` with a message per field and stores
    nothing, files included. With a ``submission`` key used before, raises
    ``AlreadyReceived`` and stores nothing."""
    if not may_receive_at(actor, desk):
        raise PermissionDenied(_("Bạn không được tiếp nhận hồ sơ tại bộ phận này."))
    errors = _receipt_errors(receipt, procedure_version)
    now = clock.now()
    received_at = receipt.received_at or now
    errors.update(
        deadlines.received_at_errors(
            received_at=received_at,
            now=now,
            may_backdate=isinstance(actor, PeerSystem) and actor.may_backdate,
        )
    )
    if errors:
        raise ValidationError(errors)
    dossier = _new_dossier(
        desk=desk,
        version=procedure_version,
        receipt=receipt,
        deciding=deciding_agency or desk.agency,
        status=Status.RECEIVED,
    )
    start_clock(dossier, received_at=received_at)
    return _write(dossier, receipt, actor=actor, action=Action.RECEIVE, submission=submission)


def dossier_submit(
    *,
    desk: Desk,
    procedure_version: ProcedureVersion,
    receipt: Receipt,
    actor: Actor,
    deciding_agency: Agency | None = None,
    submission: SubmissionKey | None = None,
) -> Dossier:
    """A dossier submitted online (or by post) and not yet accepted: DVCQG status 1, no code
    and no due time until the desk accepts it (SPEC §4: the clock starts then). A receipt's
    ``received_at`` (a peer system forwarding what a citizen submitted there) is when it
    was submitted, bounded as a receipt's time is (SPEC §12)."""
    if not may_submit_to(actor, desk):
        raise PermissionDenied(_("Không được nộp hồ sơ tới bộ phận này."))
    errors = _receipt_errors(receipt, procedure_version)
    now = clock.now()
    submitted_at = receipt.received_at or now
    errors.update(
        deadlines.received_at_errors(
            received_at=submitted_at,
            now=now,
            may_backdate=isinstance(actor, PeerSystem) and actor.may_backdate,
        )
    )
    if errors:
        raise ValidationError(errors)
    dossier = _new_dossier(
        desk=desk,
        version=procedure_version,
        receipt=receipt,
        deciding=deciding_agency or desk.agency,
        status=Status.SUBMITTED,
    )
    dossier.code, dossier.submitted_at = None, submitted_at
    if isinstance(actor, Citizen):
        dossier.applicant_user = actor.user  # their "my dossiers"
    return _write(dossier, receipt, actor=actor, action=Action.SUBMIT, submission=submission)


def _write(dossier, receipt, *, actor, action, submission) -> Dossier:
    """Build the rows and write them with the database's writer; on any failure, delete the
    files written for them."""
    saved: list[str] = []
    try:
        rows = receipt_rows(
            dossier, receipt, actor=actor, action=action, submission=submission, saved=saved
        )
        if action == Action.SUBMIT:
            _write_orm(rows, submission)  # no code yet: nothing to gain from one statement
        elif connection.vendor == "postgresql":
            for attempt in range(CODE_ATTEMPTS):
                try:
                    if connection.in_atomic_block:  # a failed statement must not doom it
                        with transaction.atomic():
                            _write_pg(rows, submission)
                    else:  # it commits on its own: no transaction, no extra round trip
                        _write_pg(rows, submission)
                    break
                except IntegrityError as exc:
                    if not _is_code_clash(exc) or attempt == CODE_ATTEMPTS - 1:
                        raise
                    # A code already in the table (an import, say): move the counter past it.
                    with transaction.atomic():
                        codes.counter_repair(
                            agency=dossier.receiving_agency, received_at=dossier.received_at
                        )
        else:
            _write_orm(rows, submission)
    except BaseException:
        delete_files(saved)
        raise
    return dossier


def _is_code_clash(exc: IntegrityError) -> bool:
    constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", "") or ""
    return constraint.startswith(Dossier._meta.db_table) and "code" in constraint


def delete_files(saved: list[str]) -> None:
    for name in saved:  # nothing was stored: no file may outlive the failed receipt
        default_storage.delete(name)


def dossier_already_received(submission: SubmissionKey) -> AlreadyReceived | None:
    row = (
        ReceiptKey.objects.select_related("dossier")
        .filter(sender=submission.sender, key=submission.key)
        .first()
    )
    if row is None:
        return None
    return AlreadyReceived(row.dossier, row.request_hash == submission.request_hash)


def _with_code(text: str, placeholder: str, code: str) -> str:
    return text.replace(placeholder, code)


def _insert_children(rows: ReceiptRows) -> None:
    DossierDocument.objects.bulk_create(rows.documents)
    Attachment.objects.bulk_create(rows.attachments)
    rows.event.save()
    Notification.objects.bulk_create(rows.messages)
    if rows.key is not None:
        rows.key.save()


def _write_orm(rows: ReceiptRows, submission: SubmissionKey | None) -> None:
    """The ORM writer, in one transaction (a submitted dossier gets no code)."""
    dossier = rows.dossier
    placeholder = dossier.code
    with transaction.atomic():
        if submission and (earlier := dossier_already_received(submission)):
            raise earlier
        version = ProcedureVersion.objects.filter(pk=dossier.procedure_version_id)
        if not version.filter(status=ProcedureVersion.Status.PUBLISHED).exists():
            raise ValidationError({"procedure": NOT_PUBLISHED})  # superseded since it was read
        if placeholder is not None:
            dossier.code = code_for(dossier)
            for message in rows.messages:
                message.subject = _with_code(message.subject, placeholder, dossier.code)
                message.body = _with_code(message.body, placeholder, dossier.code)
        dossier.save(force_insert=True)
        _insert_children(rows)
        tallies.tally_change(None, tallies.facts_of(dossier))  # ADR 0023


def code_for(dossier: Dossier) -> str:
    """The next free code, in the caller's transaction; past any code already taken."""
    agency, received_at = dossier.receiving_agency, dossier.received_at
    code = codes.code_allocate(agency=agency, received_at=received_at)
    if Dossier.objects.filter(code=code).exists():  # put there by an import, say
        codes.counter_repair(agency=agency, received_at=received_at)
        code = codes.code_allocate(agency=agency, received_at=received_at)
    return code


def _write_pg(rows: ReceiptRows, submission: SubmissionKey | None) -> None:
    """The PostgreSQL writer: every row in ONE statement, atomic on its own."""
    dossier = rows.dossier
    agency = dossier.receiving_agency
    day = to_local(dossier.received_at).date()
    params = {
        "keys": rows_json([rows.key] if rows.key else []),
        "dossier": rows_json([dossier]),
        "documents": rows_json(rows.documents),
        "files": rows_json(rows.attachments),
        "event": rows_json([rows.event]),
        "messages": rows_json(rows.messages),
        "tallies": rows_json(tallies.tally_rows(tallies.contribution(tallies.facts_of(dossier)))),
        "with_key": rows.key is not None,
        "version": dossier.procedure_version_id,
        "agency": agency.pk,
        "day": codes.code_day(day),
        "prefix": codes.code_prefix(agency, day),
        "placeholder": dossier.code,
    }
    found = execute_prepared(_receipt_statement(agency.dossier_code_format), params)
    if not found:  # the key was used before, or the version stopped being published
        if submission and (earlier := dossier_already_received(submission)):
            raise earlier
        raise ValidationError({"procedure": NOT_PUBLISHED})
    placeholder = dossier.code
    dossier.pk, dossier.code = found[0]
    dossier._state.adding, dossier._state.db = False, connection.alias
    for message in rows.messages:
        message.subject = _with_code(message.subject, placeholder, dossier.code)
        message.body = _with_code(message.body, placeholder, dossier.code)


@functools.cache
def _receipt_statement(code_format: str) -> str:
    """The one statement of ``_write_pg`` (its text depends only on the code format)."""
    published = (
        f"EXISTS (SELECT 1 FROM {ProcedureVersion._meta.db_table} "
        f"WHERE id = %(version)s AND status = '{ProcedureVersion.Status.PUBLISHED}')"
    )
    counter = DossierCodeCounter._meta.db_table
    serial = codes.serial_sql(Agency(dossier_code_format=code_format), "c.last")
    with_code = 'replace(r."{}", %(placeholder)s, d.code)'
    dossier_id = {"dossier_id": "n.id"}
    parts = [
        f"n AS (SELECT nextval(pg_get_serial_sequence('{Dossier._meta.db_table}', 'id')) AS id)",
        insert_sql(
            "keys",
            ReceiptKey,
            after=["n"],
            exprs=dossier_id,
            where=published,
            suffix="ON CONFLICT (sender, key) DO NOTHING RETURNING 1",
        ),
        f"c AS (INSERT INTO {counter} (agency_id, code_day, last) "
        f"SELECT %(agency)s, %(day)s, 1 "
        f"WHERE {published} AND (NOT %(with_key)s OR EXISTS (SELECT 1 FROM keys)) "
        f"ON CONFLICT (agency_id, code_day) DO UPDATE SET last = {counter}.last + 1 "
        f"RETURNING last)",
        insert_sql(
            "dossier",
            Dossier,
            after=["c", "n"],
            exprs={"id": "n.id", "code": f"%(prefix)s || {serial}"},
            with_pk=True,
            suffix="RETURNING id, code",
        ),
        insert_sql("documents", DossierDocument, after=["dossier d"], exprs={"dossier_id": "d.id"}),
        insert_sql("files", Attachment, after=["dossier d"], exprs={"dossier_id": "d.id"}),
        insert_sql("event", DossierEvent, after=["dossier d"], exprs={"dossier_id": "d.id"}),
        insert_sql(
            "messages",
            Notification,
            after=["dossier d"],
            exprs={"subject": with_code.format("subject"), "body": with_code.format("body")},
        ),
        # The leaders' tallies (ADR 0023), added to in the same statement.
        insert_sql("tallies", DayTally, after=["dossier d"], suffix=tallies.conflict_clause()),
    ]
    return f"WITH {', '.join(parts)} SELECT id, code FROM dossier"
