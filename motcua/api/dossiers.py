"""Dossier endpoints of the public API (SPEC §12)."""

import binascii
import hashlib
import uuid
from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from ninja import Field, Header, Path, Router, Schema, Status
from ninja.errors import HttpError

from motcua.agencies.models import Agency
from motcua.agencies.selectors import intake_desk
from motcua.api.auth import ApiKeyAuth, StaffAuth
from motcua.api.errors import FieldErrors, FileTooLarge, RateLimited, error_responses
from motcua.api.inputs import CalendarMoment, column, text
from motcua.api.models import ApiKey
from motcua.catalog.models import Procedure
from motcua.catalog.selectors import (
    procedure_version_for_receipt,
    procedure_version_for_receipt_forget,
)
from motcua.clientaddress import client_address, rate_limit_key
from motcua.dossiers import access, papers
from motcua.dossiers.files import IncomingFile
from motcua.dossiers.models import Attachment, Channel, Dossier, DossierDocument, ReceiptKey
from motcua.dossiers.public_lookup import TooManyLookups, dossier_public_lookup
from motcua.dossiers.services import (
    AlreadyReceived,
    Applicant,
    Receipt,
    SubmissionKey,
    dossier_already_received,
    dossier_receive,
    dossier_submit,
)
from motcua.follow.selectors import dossier_follow
from motcua.tickets.selectors import dossier_ticket
from motcua.workcalendar.calendar import VN_TZ

router = Router(tags=["dossiers"])


# Strings are as long as the columns they go to (or are compared with), on every database.
DossierCode = column(Dossier, "code", min_length=1)
IdempotencyKey = column(ReceiptKey, "key")


class ApplicantIn(Schema):
    type: int = Field(1, strict=True)
    name: column(Dossier, "applicant_name")
    id_number: column(Dossier, "applicant_id_number")
    phone: column(Dossier, "applicant_phone") = ""
    email: column(Dossier, "applicant_email") = ""
    address: column(Dossier, "applicant_address") = ""


class DocumentIn(Schema):
    name: column(DossierDocument, "name")
    filename: column(Attachment, "original_name")
    content_base64: str


class DossierIn(Schema):
    procedure: column(Procedure, "code")
    agency: column(Agency, "code")
    applicant: ApplicantIn
    channel: int = Field(1, strict=True)
    received_at: CalendarMoment | None = None
    documents: list[DocumentIn] = []


class DossierCreated(Schema):
    code: str = Field(
        description="Mã hồ sơ. Hồ sơ trực tuyến (channel 2) chưa được tiếp nhận thì chưa có "
        "mã: khi đó là uid của hồ sơ (32 chữ số hex), các đường dẫn /dossiers/{code} nhận nó; "
        "mã được cấp khi bộ phận một cửa tiếp nhận (accept), và GET /dossiers/{uid} khi đó "
        "trả hồ sơ với mã của nó."
    )
    status: str
    dvcqg_status: int = Field(description="2 khi tiếp nhận ngay (channel 1, 3); 1 khi nộp "
                              "trực tuyến (channel 2), chờ bộ phận một cửa kiểm tra.")  # fmt: skip
    received_at: datetime | None = Field(description="null khi chưa tiếp nhận (DVCQG 1).")
    due_at: datetime | None = Field(description="null khi chưa tiếp nhận (DVCQG 1).")


class EventOut(Schema):
    at: datetime
    action: str
    status: str
    step: int | None
    unit: str
    actor: str
    note: str


class EarlierPaperOut(Schema):
    form: str
    number: str = Field(description="Số giấy (“1/PBS”); rỗng nếu chưa cấp số (cấp khi in).")
    issued_at: datetime
    event: int = Field(description="Thứ tự sự kiện trong lịch sử đã ban hành giấy này.")


class QueueTicketOut(Schema):
    number: int = Field(description="Số thứ tự.")
    day: date
    service: str = Field(description="Dịch vụ xếp hàng của lượt tiếp nhận hồ sơ.")
    counter: int = Field(description="Số quầy tiếp nhận.")
    officer: str = Field(description="Cán bộ gọi số và tiếp nhận.")
    issued_at: datetime = Field(description="Lúc lấy số.")
    called_at: datetime = Field(description="Lúc được gọi ở lượt tiếp nhận hồ sơ.")
    waiting_minutes: int = Field(
        description="Thời gian chờ (phút): từ lúc lấy số (hoặc được chuyển, hoặc giờ hẹn) đến "
        "lúc được gọi, cộng các lượt đến lượt tiếp nhận hồ sơ."
    )
    service_minutes: int | None = Field(
        description="Thời gian phục vụ (phút) của lượt tiếp nhận: từ lúc gọi đến khi kết thúc; "
        "null khi quầy còn đang phục vụ."
    )


class DossierOut(Schema):
    code: str = Field(
        description="Mã hồ sơ; hồ sơ nộp trực tuyến chưa được tiếp nhận thì chưa có mã: khi "
        "đó là uid của hồ sơ (32 chữ số hex), mọi đường dẫn đều nhận."
    )
    status: str
    dvcqg_status: int
    received_at: datetime | None = Field(description="Chưa tiếp nhận (DVCQG 1, 3): null.")
    due_at: datetime | None
    procedure: str
    procedure_version: int
    receiving_agency: str
    deciding_agency: str
    channel: int
    applicant: ApplicantIn
    version: int = Field(description="Phiên bản: tăng sau mỗi thao tác; gửi kèm khi thao tác.")
    allowed_actions: list[str] = Field(
        description="Thao tác người gọi được làm với hồ sơ lúc này (khóa API: không có)."
    )
    assignee: str | None = Field(description="Tên đăng nhập của người được giao bước hiện tại.")
    step: int | None = Field(description="Thứ tự bước hiện tại trong quy trình; null khi xong.")
    step_name: str
    step_due_at: datetime | None
    forms: list[str] = Field(description="Các mẫu giấy tờ hồ sơ đang có (01…06), tải dạng PDF.")
    earlier_papers: list[EarlierPaperOut] = Field(
        default_factory=list,
        description="Giấy tờ có số đã ban hành trước giấy mới nhất cùng mẫu (ví dụ phiếu 02 "
        "lần đầu khi đã yêu cầu bổ sung lần hai): in lại đúng như đã ban hành bằng "
        "GET /dossiers/{code}/forms/{form}?event={event}.",
    )
    queue_ticket: QueueTicketOut | None = Field(
        description="Số thứ tự hồ sơ được tiếp nhận từ đó; null khi hồ sơ không qua xếp hàng."
    )
    history: list[EventOut]


class PublicStep(Schema):
    at: datetime
    action: str
    label: str = Field(
        description="Sự kiện theo lời của người dân (“Đang thẩm định”, không phải tên thao tác "
        "của cán bộ); các việc nội bộ (phân công, ý kiến, đề xuất) không có ở đây."
    )
    status: str
    unit: str = Field(
        description="Đơn vị đang giữ hồ sơ sau sự kiện (bước vừa tới); rỗng khi bước không "
        "thuộc đơn vị nào (bộ phận một cửa, lãnh đạo cơ quan)."
    )


class PublicFee(Schema):
    amount: int = Field(description="Số tiền (đồng).")
    state: str = Field(
        description="unpaid, pending, paid, cancelled, refunded (SPEC §10), hoặc rỗng."
    )
    label: str


class PublicDossier(Schema):
    code: str
    procedure: str
    status: str
    dvcqg_status: int
    received_at: datetime
    due_at: datetime
    steps: list[PublicStep]
    headline: str = Field(description="Hồ sơ đang ở đâu, theo lời của người dân.")
    late: bool = Field(description="Quá hạn: chưa xong mà đã qua hẹn trả, hoặc xong sau hẹn.")
    extended: bool = Field(description="Đã gia hạn một lần (mẫu 04).")
    original_due_at: datetime | None = Field(description="Hẹn trả trước khi gia hạn.")
    extension_reason: str = Field(description="Lý do gia hạn (lời xin lỗi của mẫu 04).")
    missing_documents: list[str] = Field(description="Giấy tờ cần bổ sung, khi đang chờ bổ sung.")
    fee: PublicFee | None = Field(
        description="Phí, lệ phí phải nộp, như ứng dụng thanh toán đọc; null khi không có."
    )
    may_rate: bool = Field(description="Đã trả kết quả và chưa đánh giá.")


def vn_time(moment: datetime | None) -> datetime | None:
    """SPEC §6: times are given in Vietnam time, with their offset."""
    return moment.astimezone(VN_TZ) if moment is not None else None


def _created(dossier: Dossier) -> dict:
    """SPEC §6: times are given in Vietnam time, with their offset."""
    return {
        "code": dossier.ref,
        "status": dossier.status,
        "dvcqg_status": dossier.dvcqg_status,
        "received_at": vn_time(dossier.received_at),
        "due_at": vn_time(dossier.due_at),
    }


def _unprocessable(errors: dict[str, str]):
    raise FieldErrors({_request_path(name): message for name, message in errors.items()})


def _request_path(name: str) -> str:
    """A service's field name as the field of this request: its files are ``documents``."""
    if name == "files":
        return "documents"
    if name.startswith("files."):
        return f"documents.{name.removeprefix('files.')}.content_base64"
    return name


def _decode_documents(documents: list[DocumentIn], submission) -> list[IncomingFile]:
    files, errors = [], {}
    for i, doc in enumerate(documents):
        try:  # decoded in parts into a temporary file, cut off past the size limit
            files.append(IncomingFile.from_base64(doc.filename or doc.name, doc.content_base64))
        except (binascii.Error, ValueError):
            errors[f"documents.{i}.content_base64"] = "Nội dung tệp phải mã hóa base64 hợp lệ."
            continue
        if files[-1].too_large:  # the same answer as a body over the API's own limit
            raise FileTooLarge
    if errors:
        _refuse(errors, submission)
    return files


@router.post(
    "/dossiers",
    response={201: DossierCreated, 200: DossierCreated, **error_responses(400, 401, 413, 422)},
    auth=ApiKeyAuth(),
    summary="Nhận hồ sơ từ hệ thống khác",
)
def dossier_create(
    request: HttpRequest,
    payload: DossierIn,
    idempotency_key: Annotated[IdempotencyKey, Header(alias="Idempotency-Key")],
):
    """Receive a dossier from a peer system. The same ``Idempotency-Key`` (at most 200
    characters, never cut) returns the same dossier, never a second one; a validation error
    is a 422 with a message per field, and nothing is stored. ``channel`` 2 (online, e.g.
    forwarded by the national portal) is submitted, not received: DVCQG 1, no code, no due
    time until the desk accepts it (SPEC §12.3); ``code`` is then its uid."""
    api_key: ApiKey = request.auth
    actor = access.actor_for_api_key(api_key)
    key = idempotency_key.strip()
    if not key:
        _unprocessable({"Idempotency-Key": "Thiếu tiêu đề Idempotency-Key."})
    submission = SubmissionKey(
        sender=f"api:{api_key.pk}", key=key, request_hash=hashlib.sha256(request.body).hexdigest()
    )
    try:
        # The key is written in the receipt's own statement: a concurrent request with the
        # same key waits for it, then finds this dossier; a refused request leaves no key.
        dossier = _receive(actor, payload, submission)
    except AlreadyReceived as earlier:
        if not earlier.same_request:
            message = "Idempotency-Key này đã dùng cho một yêu cầu khác."
            raise FieldErrors({"Idempotency-Key": message}) from None
        return Status(200, _created(earlier.dossier))
    return Status(201, _created(dossier))


def _receive(actor: access.PeerSystem, payload: DossierIn, submission: SubmissionKey) -> Dossier:
    errors = {}
    version = procedure_version_for_receipt(code=payload.procedure)
    if version is None:
        errors["procedure"] = "Không có thủ tục đang áp dụng với mã này."
    desk = intake_desk(agency_code=payload.agency)
    if desk is None:
        errors["agency"] = (
            "Cơ quan chưa có bộ phận một cửa."
            if Agency.objects.filter(code=payload.agency).exists()
            else "Không có cơ quan với mã này."
        )
    elif not access.may_receive_at(actor, desk):
        errors["agency"] = "Khóa API không được nhận hồ sơ cho cơ quan này."
    if payload.channel not in (1, 2, 3):
        errors["channel"] = "Kênh phải là 1 (trực tiếp), 2 (trực tuyến) hoặc 3 (bưu chính)."
    if errors:
        _refuse(errors, submission)
    a = payload.applicant
    receipt = Receipt(
        applicant=Applicant(
            name=a.name,
            id_number=a.id_number,
            type=a.type,
            phone=a.phone,
            email=a.email,
            address=a.address,
        ),
        channel=payload.channel,
        received_at=payload.received_at,
        files=_decode_documents(payload.documents, submission),
        documents=[(None, d.name, 0, 1) for d in payload.documents],
    )

    write = dossier_submit if payload.channel == Channel.ONLINE else dossier_receive

    def attempt(version):
        try:
            dossier = write(
                desk=desk,
                procedure_version=version,
                receipt=receipt,
                actor=actor,
                submission=submission,
            )
            return dossier, {}
        except ValidationError as exc:
            return None, {k: " ".join(v) for k, v in exc.message_dict.items()}

    dossier, errors = attempt(version)
    if set(errors) == {"procedure"}:
        # The version this process kept was superseded since: receive with the new one.
        procedure_version_for_receipt_forget(code=payload.procedure)
        version = procedure_version_for_receipt(code=payload.procedure)
        if version is not None:
            dossier, errors = attempt(version)
    if dossier is None:
        _refuse(errors, submission)
    return dossier


def _refuse(errors: dict[str, str], submission: SubmissionKey):
    """A 422, unless the key already made a dossier: a retry of a request accepted before
    (say, before its procedure was superseded) gets that dossier back."""
    earlier = dossier_already_received(submission)
    if earlier is not None:
        raise earlier
    _unprocessable(errors)


def _queue_ticket(dossier: Dossier) -> dict | None:
    found = dossier_ticket(dossier)
    if found is None:
        return None
    return {
        **asdict(found),
        "issued_at": vn_time(found.issued_at),
        "called_at": vn_time(found.called_at),
    }


def _accepted_since(actor, ref: str) -> Dossier | None:
    """A system that sent an online dossier (SPEC §12.3) knows it by the uid the 201 gave;
    once the desk accepts it, reading it by that uid still answers, with its code."""
    try:
        uid = uuid.UUID(hex=ref)
    except ValueError:
        return None
    found = access.dossiers_visible(actor).filter(uid=uid).values_list("code", flat=True)
    code = found.first()
    return access.dossier_get_visible(actor, ref=code) if code else None


@router.get(
    "/dossiers/{code}",
    response={200: DossierOut, **error_responses(401, 404, 422)},
    auth=StaffAuth(),
    summary="Một hồ sơ và lịch sử xử lý",
)
def dossier_get(request: HttpRequest, code: Path[DossierCode]):
    """The dossier with its history, for an API key of the receiving or deciding agency (or
    one above them), or for an officer's personal token with the access of the staff pages
    (SPEC §12.2): then ``allowed_actions`` says what they may do now, sent with ``version``
    to ``POST /dossiers/{code}/actions``."""
    actor = request.auth
    dossier = access.dossier_get_visible(actor, ref=code) or _accepted_since(actor, code)
    if dossier is None:
        raise HttpError(404, "Không tìm thấy hồ sơ.")
    access.personal_data_read(actor, dossier, what="api")
    step = dossier.current_step
    return {
        "code": dossier.ref,
        "status": dossier.status,
        "dvcqg_status": dossier.dvcqg_status,
        "received_at": vn_time(dossier.received_at),
        "due_at": vn_time(dossier.due_at),
        "procedure": dossier.procedure_version.procedure.code,
        "procedure_version": dossier.procedure_version.number,
        "receiving_agency": dossier.receiving_agency.code,
        "deciding_agency": dossier.deciding_agency.code,
        "channel": dossier.channel,
        "applicant": {
            "type": dossier.applicant_type,
            "name": dossier.applicant_name,
            "id_number": dossier.applicant_id_number,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "address": dossier.applicant_address,
        },
        "version": dossier.version,
        "allowed_actions": [str(a) for a in access.allowed_actions(actor, dossier)],
        "assignee": dossier.current_assignee.username if dossier.current_assignee_id else None,
        "step": step.order if step else None,
        "step_name": step.name if step else "",
        "step_due_at": vn_time(dossier.step_due_at),
        "forms": [form for form, _title in papers.papers_for(dossier)],
        "earlier_papers": [
            {"form": p.form, "number": p.number, "issued_at": vn_time(p.issued_at), "event": p.seq}
            for p in papers.earlier_papers(dossier)
        ],
        "queue_ticket": _queue_ticket(dossier),
        "history": [
            {
                "at": e.at.astimezone(VN_TZ),
                "action": e.action,
                "status": e.status_after,
                "step": e.step_after,
                "unit": e.unit_name,
                "actor": e.actor_name,
                "note": e.note,
            }
            for e in dossier.events.order_by("seq")
        ],
    }


@router.get(
    "/public/dossiers/{code}",
    response={200: PublicDossier, **error_responses(404, 422, 429)},
    summary="Tra cứu công khai",
)
def dossier_public(request: HttpRequest, code: Path[DossierCode], verify: text(20) = ""):
    """No personal data, no internal notes; the same 404 for a wrong code and a wrong
    verification value; rate-limited per address and per dossier (429, with ``Retry-After``)."""
    status = dossier_public_lookup(
        address=rate_limit_key(client_address(request)), code=code, verify=verify
    )
    if isinstance(status, TooManyLookups):
        raise RateLimited(status.message(), retry_after=status.retry_after)
    if status is None:
        raise HttpError(404, "Không tìm thấy hồ sơ.")
    # The busiest endpoint: the answer is written directly with the documented fields
    # instead of being validated again against the schema.
    follow = dossier_follow(status)
    fee = follow["payment"]
    answer = {name: follow[name] for name in PUBLIC_FIELDS}
    answer["fee"] = (
        {"amount": fee.amount, "state": fee.state, "label": fee.label} if fee is not None else None
    )
    return JsonResponse(answer, json_dumps_params={"ensure_ascii": False})


PUBLIC_FIELDS = [name for name in PublicDossier.model_fields if name != "fee"]
