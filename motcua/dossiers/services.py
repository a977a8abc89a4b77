"""Writing dossiers: receive, move through the internal process, return (SPEC §4–§6).

Every status change goes through ``dossier_apply``: one transition table, one optimistic
version check, one audit event, the applicant's message written to the outbox in the same
transaction. The desk, the API and the management commands all call these functions.
"""

from __future__ import annotations

import functools
import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, Desk, Membership, Role, Unit
from motcua.agencies.selectors import person_name
from motcua.catalog.models import ProcedureVersion, ProcessStep
from motcua.dossiers.files import IncomingFile
from motcua.dossiers.models import (
    OPEN_STATUSES,
    Attachment,
    DeskNotice,
    Dossier,
    DossierCodeCounter,
    DossierDocument,
    DossierEvent,
    ReceiptKey,
    ResultDelivery,
    Status,
)
from motcua.notifications.models import Notification
from motcua.notifications.services import notification_enqueue, notification_rows
from motcua.pgsql import execute_prepared, insert_sql, rows_json
from motcua.workcalendar.calendar import (
    VN_TZ,
    add_working_time,
    compute_due_at,
    to_local,
    working_time_between,
)
from motcua.workcalendar.selectors import calendar_get

GENESIS_HASH = "0" * 64


class StaleDossier(Exception):
    """Someone else changed the dossier since the page was loaded."""

    message = _("Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại trang rồi thao tác lại.")


class TransitionRefused(ValidationError):
    pass


# --- the transition table (SPEC §4) ----------------------------------------------------

#: action → (statuses it may start from, status it leads to; None: decided by the action).
TRANSITIONS: dict[str, tuple[tuple[Status, ...], Status | None]] = {
    "receive": ((), Status.RECEIVED),
    "forward": ((Status.RECEIVED, Status.PROCESSING), None),
    "send_back": ((Status.PROCESSING,), Status.PROCESSING),
    "request_supplement": ((Status.RECEIVED, Status.PROCESSING), Status.WAITING_APPLICANT),
    "supplement_received": ((Status.WAITING_APPLICANT,), Status.PROCESSING),
    "request_payment": ((Status.PROCESSING,), Status.WAITING_PAYMENT),
    "payment_received": ((Status.WAITING_PAYMENT,), Status.PROCESSING),
    "extend": (OPEN_STATUSES, None),
    "reject": ((Status.RECEIVED, Status.PROCESSING), Status.REJECTED),
    "stop": (OPEN_STATUSES, Status.STOPPED),
    "withdraw": (OPEN_STATUSES, Status.WITHDRAWN),
    "return_result": ((Status.RESULT_READY,), Status.RETURNED),
}

ACTION_LABELS = {
    "receive": _("Tiếp nhận hồ sơ"),
    "forward": _("Chuyển bước tiếp theo"),
    "approve": _("Phê duyệt, ký kết quả"),
    "send_back": _("Trả lại bước trước"),
    "request_supplement": _("Yêu cầu bổ sung hồ sơ"),
    "supplement_received": _("Nhận hồ sơ bổ sung"),
    "request_payment": _("Yêu cầu thực hiện nghĩa vụ tài chính"),
    "payment_received": _("Đã nhận chứng từ nộp nghĩa vụ tài chính"),
    "extend": _("Xin lỗi và gia hạn thời gian giải quyết"),
    "reject": _("Từ chối giải quyết"),
    "stop": _("Dừng xử lý"),
    "withdraw": _("Công dân rút hồ sơ"),
    "return_result": _("Trả kết quả"),
    "result_ready": _("Đã có kết quả"),
}

#: Which applicant message each action sends (SPEC §6, issue #3 item 9).
MESSAGES = {
    "receive": "received",
    "request_supplement": "supplement_requested",
    "request_payment": "payment_requested",
    "extend": "extended",
    "result_ready": "result_ready",
}


# --- reading helpers ---------------------------------------------------------------------


def _roles_of(user, dossier: Dossier) -> set[str]:
    """The roles ``user`` holds for ``dossier`` right now."""
    roles = set()
    for m in Membership.objects.filter(user=user).only("role", "agency_id", "unit_id", "desk_id"):
        if m.role == Role.DESK_OFFICER and m.desk_id == dossier.receiving_desk_id:
            roles.add("desk")
        if m.agency_id == dossier.deciding_agency_id:
            if m.role == Role.AGENCY_LEADER:
                roles.add("leader")
            if m.role == Role.UNIT_HEAD and m.unit_id == dossier.current_unit_id:
                roles.add("unit_head")
        if dossier.current_role and m.role == dossier.current_role:
            holds = (
                (m.role == Role.DESK_OFFICER and m.desk_id == dossier.receiving_desk_id)
                or (m.role == Role.AGENCY_LEADER and m.agency_id == dossier.deciding_agency_id)
                or (
                    m.role in (Role.SPECIALIST, Role.UNIT_HEAD)
                    and m.unit_id == dossier.current_unit_id
                )
            )
            if holds and dossier.current_assignee_id in (None, user.pk):
                roles.add("holder")
    if dossier.current_assignee_id == user.pk:
        roles.add("holder")
    return roles


def allowed_actions(user, dossier: Dossier) -> list[str]:
    """The actions ``user`` may take on ``dossier`` now, for the buttons on its page."""
    roles = _roles_of(user, dossier)
    status = Status(dossier.status)
    actions = []
    for action, (sources, _target) in TRANSITIONS.items():
        if action == "receive" or status not in sources:
            continue
        if _may(action, roles, dossier):
            actions.append(action)
    return actions


def _may(action: str, roles: set[str], dossier: Dossier) -> bool:
    if action in ("forward", "send_back", "request_supplement", "request_payment"):
        return "holder" in roles
    if action in ("supplement_received", "payment_received"):
        return bool({"desk", "holder"} & roles)
    if action == "extend":
        return not dossier.is_extended and bool({"holder", "leader", "unit_head"} & roles)
    if action in ("reject", "stop"):
        return bool({"leader"} & roles) or ("holder" in roles and action == "reject")
    if action in ("withdraw", "return_result"):
        return "desk" in roles
    return False


# --- codes and time ----------------------------------------------------------------------


def _serial_text(agency: Agency, serial: int) -> str:
    if agency.dossier_code_format == Agency.CodeFormat.NATIONAL:
        block, number = divmod(serial - 1, 9999)
        letters = chr(65 + block // 26 % 26) + chr(65 + block % 26)
        return f"{letters}{number + 1:04d}"
    return f"{serial:04d}"


def _serial_sql(agency: Agency, serial: str) -> str:
    """``_serial_text`` as an SQL expression over the column ``serial`` (PostgreSQL's integer
    division; ``%%`` because the statement has parameters). A test holds the two equal."""
    if agency.dossier_code_format == Agency.CodeFormat.NATIONAL:
        block = f"(({serial} - 1) / 9999)"
        return (
            f"chr(65 + {block} / 26 %% 26) || chr(65 + {block} %% 26) || "
            f"lpad((({serial} - 1) %% 9999 + 1)::text, 4, '0')"
        )
    return f"CASE WHEN {serial} < 10000 THEN lpad({serial}::text, 4, '0') ELSE {serial}::text END"


def _code_prefix(agency: Agency, day) -> str:
    return f"{agency.code}-{day:%y%m%d}-"


def dossier_code_allocate(*, agency: Agency, received_at: datetime) -> str:
    """``{agency code}-{YYMMDD}-{serial}``: the serial restarts each day per agency and is
    taken under a row lock, so concurrent receipts get consecutive, distinct serials. (On
    PostgreSQL the receipt's single statement bumps the counter itself: ``_receive_pg``.)"""
    day = to_local(received_at).date()
    DossierCodeCounter.objects.bulk_create(
        [DossierCodeCounter(agency=agency, day=day, last=0)], ignore_conflicts=True
    )
    counter = DossierCodeCounter.objects.select_for_update().get(agency=agency, day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return _code_prefix(agency, day) + _serial_text(agency, counter.last)


def _now() -> datetime:
    return timezone.now().astimezone(VN_TZ)


def _unit_for(step: ProcessStep, agency: Agency) -> Unit | None:
    if step.role not in (Role.SPECIALIST, Role.UNIT_HEAD):
        return None
    units = list(Unit.objects.filter(agency=agency).order_by("pk"))
    for unit in units:
        if step.unit_function and unit.function == step.unit_function:
            return unit
    return units[0] if units else None


def _enter_step(dossier: Dossier, step: ProcessStep | None, at: datetime, calendar=None) -> None:
    dossier.current_step = step
    dossier.current_assignee = None
    if step is None:
        dossier.current_role, dossier.current_unit = "", None
        dossier.step_started_at = dossier.step_due_at = None
        return
    dossier.current_role = step.role
    dossier.current_unit = _unit_for(step, dossier.deciding_agency)
    dossier.step_started_at = at
    calendar = calendar or calendar_get(agency=dossier.deciding_agency)
    dossier.step_due_at = add_working_time(at, hours=step.budget_hours, calendar=calendar)


_facts: dict[int, tuple[list[ProcessStep], int]] = {}


def version_facts_clear() -> None:
    _facts.clear()


def _version_facts(version: ProcedureVersion) -> tuple[list[ProcessStep], int]:
    """Steps and total fee of a published version, kept per process: a published version
    never changes (a change is a new version)."""
    if version.status != ProcedureVersion.Status.PUBLISHED or version.pk not in _facts:
        facts = (list(version.steps.order_by("order")), sum(f.amount for f in version.fees.all()))
        if version.status != ProcedureVersion.Status.PUBLISHED:
            return facts
        _facts[version.pk] = facts
    return _facts[version.pk]


# --- the audit trail ---------------------------------------------------------------------


def _event(
    dossier: Dossier,
    *,
    action: str,
    actor,
    at: datetime,
    status_before: str,
    step_before: int | None,
    unit_name: str = "",
    note: str = "",
    data: dict | None = None,
    after: tuple[int, str] | None = None,
) -> DossierEvent:
    """The next event of ``dossier``'s chain, hashed, not saved; ``after`` is the (seq, hash)
    of the last event, None for a new dossier, whose chain starts at the genesis hash."""
    seq, prev_hash = (after[0] + 1, after[1]) if after else (1, GENESIS_HASH)
    event = DossierEvent(
        dossier=dossier,
        seq=seq,
        action=action,
        actor=_user(actor),
        actor_name=person_name(actor) if actor else "Hệ thống",
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
    return event


def _record(dossier: Dossier, **event) -> DossierEvent:
    """Append an event to the chain of a dossier already saved (see ``_event``)."""
    last = (
        DossierEvent.objects.filter(dossier=dossier)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    row = _event(dossier, after=last, **event)
    row.save()
    return row


def audit_verify(*, dossier_ids=None) -> list[str]:
    """Codes of the dossiers whose event chain is broken (changed, deleted or reordered)."""
    broken = []
    events = DossierEvent.objects.order_by("dossier_id", "seq").select_related("dossier")
    if dossier_ids is not None:
        events = events.filter(dossier_id__in=dossier_ids)
    current, current_code, prev_hash, expected_seq, bad = None, "", GENESIS_HASH, 1, False
    for event in events.iterator(chunk_size=2000):
        if event.dossier_id != current:
            if bad:
                broken.append(current_code)
            current, current_code = event.dossier_id, event.dossier.code
            prev_hash, expected_seq, bad = GENESIS_HASH, 1, False
        if bad:
            continue
        if (
            event.seq != expected_seq
            or event.prev_hash != prev_hash
            or event.compute_hash() != event.hash
        ):
            bad = True
        prev_hash, expected_seq = event.hash, event.seq + 1
    if bad:
        broken.append(current_code)
    # A dossier whose events were all deleted has no chain at all.
    empty = Dossier.objects.filter(events__isnull=True)
    if dossier_ids is not None:
        empty = empty.filter(pk__in=dossier_ids)
    broken += list(empty.values_list("code", flat=True))
    return broken


# --- receiving ---------------------------------------------------------------------------


def _phone(raw: str) -> str:
    """A phone number as typed, without the spaces and dots people put in it."""
    return re.sub(r"[\s.]", "", raw)


def _user(actor):
    """``actor`` when it is a saved user; None for the system or a peer system."""
    return actor if actor is not None and actor.pk else None


CCCD_RE = re.compile(r"^\d{12}$")
TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")
PHONE_RE = re.compile(r"^(\+84|0)\d{9,10}$")


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
    """Everything the desk (or a peer system) hands over for one dossier."""

    applicant: Applicant
    channel: int = 1
    documents: list[tuple[int | None, str, int, int]] = field(default_factory=list)
    files: list[IncomingFile] = field(default_factory=list)
    result_delivery: str = ResultDelivery.DESK
    delivery_address: str = ""
    sets_received: int = 1
    received_at: datetime | None = None


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
    phone = _phone(applicant.phone)
    if phone and not PHONE_RE.match(phone):
        errors["applicant.phone"] = _("Số điện thoại không hợp lệ (ví dụ 0912345678).")
    if applicant.email and "@" not in applicant.email:
        errors["applicant.email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    if applicant.type not in (1, 2, 3, 4):
        errors["applicant.type"] = _("Loại chủ hồ sơ phải là 1, 2, 3 hoặc 4.")
    return errors


def _store_files(dossier: Dossier, files: list[IncomingFile], actor, saved: list[str]):
    """Write the files to storage (names appended to ``saved`` at once, so a failure later
    can delete them) and return their unsaved ``Attachment`` rows."""
    rows = []
    for incoming in files:  # copied from its temporary file in parts, named by its content
        name = default_storage.save(
            f"dossiers/{dossier.received_at:%Y/%m}/{uuid.uuid4().hex}.{incoming.extension}",
            incoming,
        )
        saved.append(name)
        rows.append(
            Attachment(
                dossier=dossier,
                file=name,
                original_name=incoming.name[:255],
                content_type=incoming.content_type,
                size=incoming.size,
                sha256=incoming.sha256,
                uploaded_by=_user(actor),
            )
        )
    return rows


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


NOT_PUBLISHED = _("Thủ tục này không còn áp dụng; chọn phiên bản đang áp dụng.")


def dossier_receive(
    *,
    desk: Desk,
    procedure_version: ProcedureVersion,
    receipt: Receipt,
    actor=None,
    deciding_agency: Agency | None = None,
    submission: SubmissionKey | None = None,
) -> Dossier:
    """Receive a complete dossier: allocate its code, count its due time (SPEC §5, §6), put
    it at the first step of its internal process, and tell the applicant. Bad input raises
    ``ValidationError`` with a message per field and stores nothing, files included. With a
    ``submission`` key used before, raises ``AlreadyReceived`` and stores nothing."""
    from motcua.dossiers.files import file_errors

    errors = applicant_errors(receipt.applicant)
    errors.update(file_errors(receipt.files))
    if procedure_version.status != ProcedureVersion.Status.PUBLISHED:
        errors["procedure"] = NOT_PUBLISHED
    if receipt.result_delivery == ResultDelivery.POST and not receipt.delivery_address.strip():
        errors["delivery_address"] = _("Nhận kết quả qua bưu chính cần địa chỉ nhận.")
    received_at = receipt.received_at or _now()
    if received_at.tzinfo is None:
        errors["received_at"] = _("Thời điểm tiếp nhận phải kèm múi giờ (+07:00).")
    elif received_at > _now() + timedelta(minutes=5):
        errors["received_at"] = _("Thời điểm tiếp nhận không được ở tương lai.")
    if errors:
        raise ValidationError(errors)

    dossier = _new_dossier(desk, procedure_version, receipt, deciding_agency, received_at)
    saved: list[str] = []
    try:
        if connection.vendor == "postgresql":
            _receive_pg(dossier, receipt, actor, submission, saved)
        else:
            with transaction.atomic():
                _receive_orm(dossier, receipt, actor, submission, saved)
    except BaseException:
        for name in saved:  # nothing was stored: no file may outlive the failed receipt
            default_storage.delete(name)
        raise
    return dossier


def _new_dossier(desk, version, receipt, deciding_agency, received_at) -> Dossier:
    """The unsaved dossier, at the first step of its process, with its due time."""
    deciding = deciding_agency or desk.agency
    calendar = calendar_get(agency=deciding)
    due_at = compute_due_at(received_at, version.processing_time, version.time_unit, calendar)
    steps, fee_total = _version_facts(version)
    applicant = receipt.applicant
    dossier = Dossier(
        procedure_version=version,
        receiving_desk=desk,
        receiving_agency=desk.agency,
        deciding_agency=deciding,
        channel=receipt.channel,
        status=Status.RECEIVED,
        applicant_type=applicant.type,
        applicant_name=applicant.name.strip(),
        applicant_id_number=applicant.id_number.strip(),
        applicant_phone=_phone(applicant.phone),
        applicant_email=applicant.email.strip(),
        applicant_address=applicant.address.strip(),
        authorised_name=applicant.authorised_name.strip(),
        authorised_id_number=applicant.authorised_id_number.strip(),
        result_delivery=receipt.result_delivery,
        delivery_address=receipt.delivery_address,
        sets_received=receipt.sets_received,
        fee_amount=fee_total,
        received_at=received_at,
        due_at=due_at,
        original_due_at=due_at,
    )
    _enter_step(dossier, steps[0] if steps else None, received_at, calendar)
    return dossier


def _rows_after_insert(dossier: Dossier, receipt: Receipt, actor, saved: list[str]):
    """The dossier's checklist, files and first event, once it has its id."""
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
    attachments = _store_files(dossier, receipt.files, actor, saved)
    event = _event(
        dossier,
        action="receive",
        actor=actor,
        at=_now(),
        status_before="",
        step_before=None,
        data={"due_at": dossier.due_at.isoformat(), "files": len(receipt.files)},
    )
    return documents, attachments, event


def dossier_already_received(submission: SubmissionKey) -> AlreadyReceived | None:
    row = (
        ReceiptKey.objects.select_related("dossier")
        .filter(sender=submission.sender, key=submission.key)
        .first()
    )
    if row is None:
        return None
    return AlreadyReceived(row.dossier, row.request_hash == submission.request_hash)


def _receive_orm(dossier, receipt, actor, submission, saved) -> None:
    """Receiving through the ORM, in the caller's transaction (SQLite: an IMMEDIATE
    transaction, so writers are serialised and the key check cannot race)."""
    if submission and (earlier := dossier_already_received(submission)):
        raise earlier
    version = ProcedureVersion.objects.filter(pk=dossier.procedure_version_id)
    if not version.filter(status=ProcedureVersion.Status.PUBLISHED).exists():
        raise ValidationError({"procedure": NOT_PUBLISHED})  # superseded since it was read
    dossier.code = f"pending-{uuid.uuid4().hex}"
    dossier.save(force_insert=True)
    documents, attachments, event = _rows_after_insert(dossier, receipt, actor, saved)
    DossierDocument.objects.bulk_create(documents)
    Attachment.objects.bulk_create(attachments)
    event.save()
    agency, received_at = dossier.receiving_agency, dossier.received_at
    dossier.code = dossier_code_allocate(agency=agency, received_at=received_at)
    Dossier.objects.filter(pk=dossier.pk).update(code=dossier.code)
    notification_enqueue(dossier=dossier, kind="received")
    if submission:
        ReceiptKey.objects.create(dossier=dossier, **asdict(submission))


def _receive_pg(dossier, receipt, actor, submission, saved) -> None:
    """Receiving on PostgreSQL: the dossier's id is reserved first (its first event's hash
    covers it), then every row (submission key, code counter, dossier, checklist, files,
    event, messages) goes in ONE statement: one round trip, atomic on its own, and the
    per-agency counter row is locked only until that statement commits. The code is made
    from the counter inside the statement, and put into the messages there."""
    table = Dossier._meta.db_table
    [(dossier.pk,)] = execute_prepared("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
    placeholder = dossier.code = f"{{code:{uuid.uuid4().hex}}}"
    documents, attachments, event = _rows_after_insert(dossier, receipt, actor, saved)
    keys = [ReceiptKey(dossier=dossier, **asdict(submission))] if submission else []
    agency = dossier.receiving_agency
    day = to_local(dossier.received_at).date()
    params = {
        "keys": rows_json(keys),
        "dossier": rows_json([dossier], with_pk=True),
        "documents": rows_json(documents),
        "files": rows_json(attachments),
        "event": rows_json([event]),
        "messages": rows_json(notification_rows(dossier=dossier, kind="received")),
        "with_key": bool(keys),
        "version": dossier.procedure_version_id,
        "agency": agency.pk,
        "day": day,
        "prefix": _code_prefix(agency, day),
        "placeholder": placeholder,
    }
    rows = execute_prepared(_receipt_statement(agency.dossier_code_format), params)
    row = rows[0] if rows else None
    if row is None:  # the key was used before, or the version stopped being published
        if submission and (earlier := dossier_already_received(submission)):
            raise earlier
        raise ValidationError({"procedure": NOT_PUBLISHED})
    dossier.code = row[0]
    dossier._state.adding, dossier._state.db = False, connection.alias


@functools.cache
def _receipt_statement(code_format: str) -> str:
    """The one statement of ``_receive_pg`` (its text depends only on the code format)."""
    published = (
        f"EXISTS (SELECT 1 FROM {ProcedureVersion._meta.db_table} "
        f"WHERE id = %(version)s AND status = '{ProcedureVersion.Status.PUBLISHED}')"
    )
    counter = DossierCodeCounter._meta.db_table
    serial = _serial_sql(Agency(dossier_code_format=code_format), "c.last")
    with_code = 'replace(r."{}", %(placeholder)s, d.code)'
    parts = [
        insert_sql(
            "keys",
            ReceiptKey,
            where=published,
            suffix="ON CONFLICT (sender, key) DO NOTHING RETURNING 1",
        ),
        f"c AS (INSERT INTO {counter} (agency_id, day, last) "
        f"SELECT %(agency)s, %(day)s::date, 1 "
        f"WHERE {published} AND (NOT %(with_key)s OR EXISTS (SELECT 1 FROM keys)) "
        f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {counter}.last + 1 RETURNING last)",
        insert_sql(
            "dossier",
            Dossier,
            with_pk=True,
            after=["c"],
            suffix="RETURNING code",
            exprs={"code": f"%(prefix)s || {serial}"},
        ),
        insert_sql("documents", DossierDocument, after=["dossier"]),
        insert_sql("files", Attachment, after=["dossier"]),
        insert_sql("event", DossierEvent, after=["dossier"]),
        insert_sql(
            "messages",
            Notification,
            after=["dossier d"],
            exprs={"subject": with_code.format("subject"), "body": with_code.format("body")},
        ),
    ]
    return f"WITH {', '.join(parts)} SELECT code FROM dossier"


def desk_notice_create(
    *,
    kind: str,
    desk: Desk,
    procedure_version: ProcedureVersion,
    applicant: Applicant,
    items: list[str],
    reason: str,
    officer,
) -> DeskNotice:
    """Form 02 (request to complete: nothing is received) or form 03 (refusal at the desk)."""
    errors = {k: v for k, v in applicant_errors(applicant).items() if k != "applicant.phone"}
    items = [item.strip() for item in items if item.strip()]
    if kind == DeskNotice.Kind.COMPLETE and not items:
        errors["items"] = _("Liệt kê đầy đủ, một lần, mọi giấy tờ cần bổ sung.")
    if not reason.strip():
        errors["reason"] = _("Ghi rõ lý do.")
    if errors:
        raise ValidationError(errors)
    return DeskNotice.objects.create(
        kind=kind,
        desk=desk,
        procedure_version=procedure_version,
        applicant_name=applicant.name.strip(),
        applicant_id_number=applicant.id_number.strip(),
        applicant_phone=_phone(applicant.phone),  # stored as a dossier stores it
        applicant_address=applicant.address.strip(),
        items=items,
        reason=reason.strip(),
        officer=officer,
    )


# --- acting on a dossier -----------------------------------------------------------------


def dossier_apply(
    *, dossier_id: int, action: str, actor, expected_version: int | None, note: str = "", **params
) -> Dossier:
    """The one place that changes a dossier's status or step (SPEC §4)."""
    if action not in TRANSITIONS or action == "receive":
        raise TransitionRefused(_("Thao tác không tồn tại."))
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure_version", "deciding_agency", "current_step", "current_unit")
            .get(pk=dossier_id)
        )
        if expected_version is not None and dossier.version != expected_version:
            raise StaleDossier(StaleDossier.message)
        sources, target = TRANSITIONS[action]
        if Status(dossier.status) not in sources:
            raise TransitionRefused(
                _("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(status)s”.")
                % {
                    "action": str(ACTION_LABELS[action]).lower(),
                    "status": dossier.get_status_display().lower(),
                }
            )
        if actor is not None and not _may(action, _roles_of(actor, dossier), dossier):
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này với hồ sơ."))
        status_before = dossier.status
        step_before = dossier.current_step.order if dossier.current_step_id else None
        unit_name = dossier.current_unit.name if dossier.current_unit_id else ""
        step_due_before = dossier.step_due_at
        now = _now()
        handler = HANDLERS[action]
        recorded_action, data = handler(dossier, now=now, note=note, **params)
        if step_due_before is not None:
            data["step_due_at"] = step_due_before.isoformat()
        if target is not None and recorded_action != "result_ready":
            dossier.status = target
        dossier.version += 1
        dossier.save()
        _record(
            dossier,
            action=recorded_action,
            actor=actor,
            at=now,
            status_before=status_before,
            step_before=step_before,
            unit_name=unit_name,
            note=note,
            data=data,
        )
        kind = MESSAGES.get(recorded_action)
        if kind:
            notification_enqueue(dossier=dossier, kind=kind)
    return dossier


def _require(note: str, message: str) -> None:
    if not note.strip():
        raise ValidationError({"note": message})


def _forward(dossier: Dossier, *, now, note, **_other):
    steps, _fee = _version_facts(dossier.procedure_version)
    orders = [s.order for s in steps]
    position = orders.index(dossier.current_step.order) if dossier.current_step_id else -1
    is_approval = dossier.current_role == Role.AGENCY_LEADER
    following = steps[position + 1] if position + 1 < len(steps) else None
    last = following is None or (following is steps[-1] and following.role == Role.DESK_OFFICER)
    if last:
        # The result comes back to the desk: the dossier is finished (lateness judged now).
        _enter_step(dossier, following, now)
        dossier.status, dossier.finished_at = Status.RESULT_READY, now
        return "result_ready", {"late": now > dossier.due_at}
    _enter_step(dossier, following, now)
    dossier.status = Status.PROCESSING
    return ("approve" if is_approval else "forward"), {"to_step": following.order}


def _send_back(dossier: Dossier, *, now, note, **_other):
    _require(note, _("Ghi lý do trả lại bước trước."))
    steps, _fee = _version_facts(dossier.procedure_version)
    position = [s.order for s in steps].index(dossier.current_step.order)
    if position == 0:
        raise TransitionRefused(_("Hồ sơ đang ở bước đầu tiên, không có bước trước."))
    _enter_step(dossier, steps[position - 1], now)
    return "send_back", {"to_step": steps[position - 1].order}


def _pause(dossier: Dossier, *, now, note, action, message, **_other):
    _require(note, message)
    dossier.paused_at = now
    if action == "request_supplement":
        dossier.supplement_count += 1
    return action, {}


def _resume(dossier: Dossier, *, now, note, action, **_other):
    """SPEC §6: the appointment moves later by the working time spent waiting."""
    calendar = calendar_get(agency=dossier.deciding_agency)
    waited = working_time_between(dossier.paused_at, now, calendar)
    hours = waited.total_seconds() / 3600
    if hours > 0:
        dossier.due_at = add_working_time(dossier.due_at, hours=hours, calendar=calendar)
        if dossier.step_due_at:
            dossier.step_due_at = add_working_time(
                dossier.step_due_at, hours=hours, calendar=calendar
            )
    dossier.paused_at = None
    return action, {"waited_hours": round(hours, 2), "due_at": dossier.due_at.isoformat()}


def _extend(dossier: Dossier, *, now, note, new_due_at: datetime | None = None, **_other):
    """Form 04: apology and a new appointment, once only (SPEC §6)."""
    if dossier.is_extended:
        raise TransitionRefused(_("Hồ sơ đã được gia hạn một lần; không được gia hạn lần nữa."))
    _require(note, _("Ghi lý do chậm trễ và lời xin lỗi."))
    if new_due_at is None or new_due_at.tzinfo is None:
        raise ValidationError({"new_due_at": _("Chọn ngày giờ hẹn trả mới.")})
    if new_due_at <= dossier.due_at:
        raise ValidationError({"new_due_at": _("Ngày hẹn mới phải sau ngày hẹn hiện tại.")})
    previous = dossier.due_at
    dossier.due_at, dossier.extended_at, dossier.extension_reason = new_due_at, now, note
    return "extend", {"previous_due_at": previous.isoformat(), "due_at": new_due_at.isoformat()}


def _close(dossier: Dossier, *, now, note, action, message, **_other):
    _require(note, message)
    dossier.closing_note = note
    _enter_step(dossier, None, now)
    return action, {}


def _return_result(
    dossier: Dossier, *, now, note, returned_to: str = "", postal_tracking: str = "", **_other
):
    if dossier.result_delivery == ResultDelivery.POST:
        if not postal_tracking.strip():
            raise ValidationError({"postal_tracking": _("Nhập số vận đơn bưu chính.")})
    elif not returned_to.strip():
        raise ValidationError({"returned_to": _("Nhập họ tên người nhận kết quả.")})
    dossier.returned_at, dossier.returned_to = now, returned_to.strip()
    dossier.postal_tracking = postal_tracking.strip()
    _enter_step(dossier, None, now)
    return "return_result", {"delivery": dossier.result_delivery}


HANDLERS = {
    "forward": _forward,
    "send_back": _send_back,
    "request_supplement": lambda d, **kw: _pause(
        d, action="request_supplement", message=_("Liệt kê giấy tờ cần bổ sung và lý do."), **kw
    ),
    "supplement_received": lambda d, **kw: _resume(d, action="supplement_received", **kw),
    "request_payment": lambda d, **kw: _pause(
        d, action="request_payment", message=_("Ghi khoản nghĩa vụ tài chính cần nộp."), **kw
    ),
    "payment_received": lambda d, **kw: _resume(d, action="payment_received", **kw),
    "extend": _extend,
    "reject": lambda d, **kw: _close(
        d, action="reject", message=_("Ghi rõ lý do từ chối giải quyết."), **kw
    ),
    "stop": lambda d, **kw: _close(d, action="stop", message=_("Ghi rõ lý do dừng xử lý."), **kw),
    "withdraw": lambda d, **kw: _close(
        d, action="withdraw", message=_("Ghi nội dung đề nghị rút hồ sơ của công dân."), **kw
    ),
    "return_result": _return_result,
}
