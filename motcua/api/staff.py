"""The staff API (SPEC §12.2): the officers' mobile app and other systems do what the staff
pages do — the inbox, every action on a dossier, each paper as PDF — with an officer's personal
token (or a peer system's key), through the same access rules (``access``), the same service
(``dossier_apply``), the same trace and the same papers (``papers``).

An outsider — who may not see the dossier — gets 404 before anything else is looked at.
"""

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from motcua.api.auth import StaffAuth
from motcua.api.dossiers import DossierCode, vn_time
from motcua.api.errors import FieldErrors, FileTooLarge, error_responses
from motcua.api.inputs import CalendarMoment, column, text
from motcua.dossiers import access, papers, selectors
from motcua.dossiers.files import IncomingFile
from motcua.dossiers.models import Attachment, Dossier
from motcua.dossiers.selectors import COUNT_CAP, INBOXES, capped_number, inbox_page, inbox_queryset
from motcua.dossiers.services import StaleDossier, dossier_apply
from motcua.dossiers.services.actions import NOTE_MAX_LENGTH
from motcua.dossiers.services.notices import MAX_ITEM_LENGTH, MAX_ITEMS
from motcua.dossiers.transitions import SYSTEM_ACTIONS, TABLE, Relation

router = Router(tags=["staff"], auth=StaffAuth())
APPLICANT_ONLY = frozenset({Relation.APPLICANT})

NOT_FOUND = "Không tìm thấy hồ sơ."


def _visible(actor, code: str, *, what: str) -> Dossier:
    """The dossier if ``actor`` may see it, else 404 (an overseer's read is recorded)."""
    dossier = access.dossier_get_visible(actor, ref=code)
    if dossier is None:
        raise HttpError(404, NOT_FOUND)
    access.personal_data_read(actor, dossier, what=what)
    return dossier


# --- the inbox ---------------------------------------------------------------------------

BoxName = Literal[tuple(INBOXES)]


class InboxQuery(Schema):
    box: BoxName = Field("unit", description="Hộp: của tôi, của đơn vị, sắp đến hạn, quá hạn.")


class InboxItem(Schema):
    code: str = Field(description="Mã hồ sơ, hoặc uid khi hồ sơ trực tuyến chưa có mã.")
    procedure: str = Field(description="Mã thủ tục.")
    procedure_name: str
    applicant_name: str
    status: str
    dvcqg_status: int
    due_at: datetime | None
    step: int | None = Field(description="Thứ tự bước hiện tại trong quy trình.")
    step_name: str
    unit: str = Field(description="Đơn vị đang giữ bước hiện tại (nếu có).")
    step_due_at: datetime | None
    assignee: str | None = Field(description="Tên đăng nhập của người được giao bước.")
    extended: bool = Field(description="Đã gia hạn (mẫu 04).")
    extension_proposed: bool = Field(
        default=False,
        description="Có đề xuất gia hạn (mẫu 04) đang chờ lãnh đạo cơ quan duyệt: hồ sơ nằm "
        "trong hộp “unit” của lãnh đạo.",
    )


class InboxOut(Schema):
    items: list[InboxItem] = Field(
        description="Theo hạn trả, sớm nhất trước (hồ sơ chưa có hạn sau cùng); tối đa như "
        "trang hộp hồ sơ (MOTCUA_INBOX_PAGE_SIZE, mặc định 50)."
    )
    count: int = Field(description=f"Số hồ sơ trong hộp, đếm tới {COUNT_CAP}.")
    count_capped: bool = Field(
        description=f"true khi có từ {COUNT_CAP} hồ sơ trở lên (trang ghi “{COUNT_CAP}+”)."
    )


def _item(d: Dossier) -> dict:
    step = d.current_step
    return {
        "code": d.ref,
        "procedure": d.procedure_version.procedure.code,
        "procedure_name": d.procedure_version.name,
        "applicant_name": d.applicant_name,
        "status": d.status,
        "dvcqg_status": d.dvcqg_status,
        "due_at": vn_time(d.due_at),
        "step": step.order if step else None,
        "step_name": step.name if step else "",
        "unit": d.current_unit.name if d.current_unit_id else "",
        "step_due_at": vn_time(d.step_due_at),
        "assignee": d.current_assignee.username if d.current_assignee_id else None,
        "extended": d.extended_at is not None,
        "extension_proposed": d.extension_pending,
    }


@router.get(
    "/inbox",
    response={200: InboxOut, **error_responses(401, 422)},
    summary="Hộp hồ sơ của cán bộ",
)
def inbox(request: HttpRequest, params: Query[InboxQuery]):
    """The boxes of the staff page ``/can-bo/ho-so/``, the same dossiers in the same order:
    ``mine`` (assigned to me), ``unit`` (waiting at my desk, unit or leader's step),
    ``due_soon``, ``overdue``. A peer system's key has no inbox (empty)."""
    actor = request.auth
    dossiers = inbox_page(actor=actor, box=params.box, limit=settings.INBOX_PAGE_SIZE)
    count = capped_number(inbox_queryset(actor=actor, box=params.box))
    return {
        "items": [_item(d) for d in dossiers],
        "count": count,
        "count_capped": count >= selectors.COUNT_CAP,
    }


# --- acting --------------------------------------------------------------------------------

#: Every action of the transition table that staff may do: not those only the system records
#: (a fee paid), nor the applicant's own (completing an online dossier, done from their
#: account's pages); any other name is refused (422) before anything.
STAFF_ACTIONS = tuple(
    dict.fromkeys(
        action.value
        for (action, _status), rule in TABLE.items()
        if rule.who - APPLICANT_ONLY and action not in SYSTEM_ACTIONS
    )
)
ActionName = Literal[STAFF_ACTIONS]

User = get_user_model()


class FileIn(Schema):
    filename: column(Attachment, "original_name", min_length=1)
    content_base64: str


class ActionIn(Schema):
    action: ActionName
    version: int = Field(strict=True, description="Phiên bản hồ sơ đã đọc (GET /dossiers/{code}).")
    note: text(NOTE_MAX_LENGTH) = Field(
        "", description="Ghi chú, lý do (bắt buộc với một số thao tác)."
    )
    new_due_at: CalendarMoment | None = Field(None, description="Hẹn trả mới (gia hạn).")
    assignee: column(User, "username", min_length=1) | None = Field(
        None, description="Tên đăng nhập của cán bộ được giao (phân công)."
    )
    missing_documents: list[text(MAX_ITEM_LENGTH)] | None = Field(
        None, max_length=MAX_ITEMS, description="Giấy tờ cần bổ sung (yêu cầu bổ sung)."
    )
    returned_to: column(Dossier, "returned_to") = Field(
        "", description="Người nhận kết quả (trả kết quả tại bộ phận một cửa)."
    )
    postal_tracking: column(Dossier, "postal_tracking") = Field(
        "", description="Số vận đơn (trả kết quả qua bưu chính)."
    )
    paper_result: bool = Field(
        False,
        strict=True,
        description="Kết quả là bản giấy (phê duyệt, có kết quả, khi không đính kèm tệp).",
    )
    result_file: FileIn | None = Field(
        None, description="Kết quả đã ký, PDF (phê duyệt, có kết quả)."
    )
    files: list[FileIn] = Field(
        [], max_length=10, description="Tệp làm việc (ý kiến xử lý: dự thảo, biên bản…)."
    )


class ActionDone(Schema):
    code: str = Field(description="Mã hồ sơ (được cấp khi tiếp nhận hồ sơ trực tuyến).")
    status: str
    dvcqg_status: int
    due_at: datetime | None
    version: int


def _files(payload: ActionIn) -> dict:
    """The result and working files, decoded into temporary files (422 on bad base64)."""
    errors, found = {}, {"paper_result": payload.paper_result}

    def decode(field: str, item: FileIn):
        try:
            incoming = IncomingFile.from_base64(item.filename, item.content_base64)
        except ValueError:
            errors[f"{field}.content_base64"] = "Nội dung tệp phải mã hóa base64 hợp lệ."
            return None
        if incoming.too_large:  # the same answer as a body over the API's own limit
            raise FileTooLarge
        return incoming

    if payload.result_file is not None:
        found["result_file"] = decode("result_file", payload.result_file)
    if payload.files:
        found["files"] = [decode(f"files.{i}", item) for i, item in enumerate(payload.files)]
    if errors:
        raise FieldErrors(errors)
    return found


STALE = (
    "Hồ sơ đã thay đổi sau phiên bản bạn gửi (có người vừa thao tác). Đọc lại hồ sơ rồi "
    "thao tác lại với phiên bản mới."
)


@router.post(
    "/dossiers/{code}/actions",
    response={200: ActionDone, **error_responses(400, 401, 404, 409, 422)},
    summary="Thao tác trên hồ sơ",
)
def dossier_action(request: HttpRequest, code: Path[DossierCode], payload: ActionIn):
    """Do ``action`` on the dossier, exactly as the staff page's button does (the same
    permission checks, the same service, the same trace). ``409`` when ``version`` is not the
    current one; ``422`` when the action is refused — wrong status, wrong person, a rule of the
    process or of due times — with the reason in ``detail`` (and per field in ``errors``).
    After a 409 or a 422 nothing has changed."""
    actor = request.auth
    dossier = _visible(actor, code, what="action")
    params = {
        "new_due_at": payload.new_due_at,
        "returned_to": payload.returned_to,
        "postal_tracking": payload.postal_tracking,
    }
    # Given only when sent, so each action's own default stands otherwise.
    if payload.assignee is not None:
        params["assignee"] = payload.assignee
    if payload.missing_documents is not None:
        params["missing_documents"] = list(payload.missing_documents)
    params.update(_files(payload))
    try:
        dossier = dossier_apply(
            dossier_id=dossier.pk,
            action=payload.action,
            actor=actor,
            expected_version=payload.version,
            note=payload.note,
            **params,
        )
    except StaleDossier:
        raise HttpError(409, STALE) from None
    except PermissionDenied as exc:
        raise FieldErrors({}, detail=str(exc) or str(access.FORBIDDEN)) from None
    except ValidationError as exc:
        raise _refused(exc) from None
    return {
        "code": dossier.ref,
        "status": dossier.status,
        "dvcqg_status": dossier.dvcqg_status,
        "due_at": vn_time(dossier.due_at),
        "version": dossier.version,
    }


def _refused(exc: ValidationError) -> FieldErrors:
    """A refusal by the table, a guard or an action's rule: the reason as ``detail``, and
    per field of the body when the service named one."""
    errors = {}
    by_field = exc.message_dict if hasattr(exc, "error_dict") else {}
    for field, messages in by_field.items():
        if field.split(".")[0] not in ActionIn.model_fields:
            continue
        if field.startswith("files."):  # a working file refused for its content
            field += ".content_base64"
        errors[field] = " ".join(messages)
    return FieldErrors(errors, detail=" ".join(exc.messages))


# --- papers --------------------------------------------------------------------------------

FormNumber = Literal["01", "02", "03", "04", "05", "06"]

PDF_ANSWER = {
    "description": "Giấy tờ dạng PDF, in như trang cán bộ in.",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
}


class PaperEvent(Schema):
    event: int | None = Field(
        default=None,
        ge=1,
        le=10**9,
        description="Thứ tự sự kiện đã ban hành giấy (earlier_papers); bỏ trống: giấy mới nhất.",
    )


@router.get(
    "/dossiers/{code}/forms/{form}",
    response={**error_responses(401, 404, 422)},
    openapi_extra={"responses": {200: PDF_ANSWER}},
    summary="Một mẫu giấy tờ của hồ sơ (PDF)",
)
def dossier_form(
    request: HttpRequest,
    code: Path[DossierCode],
    form: Path[FormNumber],
    event: Query[PaperEvent],
):
    """Form ``form`` (01…06, SPEC §7) of the dossier as PDF, the same paper the staff page
    prints; 404 when the dossier has no such paper now (its ``forms`` lists those it has).
    With ``event``, an earlier paper of the form as it was issued (the dossier's
    ``earlier_papers``)."""
    dossier = _visible(request.auth, code, what=f"paper {form}")
    try:
        paper = papers.dossier_paper(dossier, form, event.event)
    except papers.NoSuchPaper:
        raise HttpError(404, "Hồ sơ chưa có giấy tờ theo mẫu này.") from None
    response = HttpResponse(paper.pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mau-{form}-{dossier.ref}.pdf"'
    return response
