"""The public REST API (SPEC §12), version 1. Paths and fields here are a contract: extend them,
never rename them. Endpoints parse input, call one selector or service and shape the answer."""

from datetime import datetime
from decimal import Decimal

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError

from motcua.agencies.models import Agency
from motcua.agencies.selectors import agency_tree
from motcua.api.errors import FieldErrors
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import procedure_get_published, procedure_search
from motcua.workcalendar.calendar import VN_TZ, TimeUnit, compute_due_at
from motcua.workcalendar.selectors import calendar_get

api = NinjaAPI(
    title="Motcua API",
    version="1",
    description=(
        "API của hệ thống Một cửa điện tử Motcua (SPEC §12). Thời gian theo ISO 8601 kèm độ "
        "lệch múi giờ, giờ Việt Nam (+07:00)."
    ),
    # Swagger UI, served from the installed package, sets inline styles: allow them there only.
    docs_decorator=csp_update({"style-src": [UNSAFE_INLINE]}),
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    """422 with one Vietnamese message per field."""
    errors = {}
    for error in exc.errors:
        name = ".".join(str(part) for part in error.get("loc", [])[1:]) or "body"
        errors[name] = _vietnamese_message(error)
    return api.create_response(
        request, {"detail": "Dữ liệu không hợp lệ.", "errors": errors}, status=422
    )


@api.exception_handler(RequestDataTooBig)
def body_too_big(request, exc: RequestDataTooBig):
    """A body past DATA_UPLOAD_MAX_MEMORY_SIZE is refused before it is read (413)."""
    mb = settings.ATTACHMENT_MAX_MB
    return api.create_response(
        request,
        {
            "detail": f"Yêu cầu quá lớn: tối đa {settings.API_BODY_MAX_BYTES / 2**20:.1f} MB, "
            f"đủ cho một tệp {mb} MB đã mã hóa base64. Hãy giảm dung lượng tệp (quét với độ "
            "phân giải thấp hơn hoặc nén lại)."
        },
        status=413,
    )


@api.exception_handler(FieldErrors)
def field_errors(request, exc: FieldErrors):
    return api.create_response(
        request, {"detail": "Dữ liệu không hợp lệ.", "errors": exc.errors}, status=422
    )


def _vietnamese_message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "Thiếu giá trị bắt buộc."
    if kind.startswith("datetime"):
        return "Phải là thời điểm ISO 8601, ví dụ 2026-11-23T10:00:00+07:00."
    if kind.startswith(("decimal", "float", "int")):
        return "Phải là một số."
    if "greater_than" in kind or "less_than" in kind:
        return "Giá trị nằm ngoài khoảng cho phép."
    return error.get("msg", "Giá trị không hợp lệ.")


# --- schemas -----------------------------------------------------------------------------


class FeeOut(Schema):
    description: str
    amount: int
    paid_when: str
    exemptions: str


class ProcedureOut(Schema):
    code: str
    name: str
    field: list[str]
    agency_levels: list[str]
    processing_days: Decimal
    time_unit: str
    online_level: str
    fee: int
    fees: list[FeeOut]


class DocumentOut(Schema):
    name: str
    originals: int
    copies: int
    optional: bool


class StepOut(Schema):
    order: int
    name: str
    role: str
    unit_function: str
    budget_hours: Decimal


class ProcedureDetailOut(ProcedureOut):
    version: int
    decision: str
    result_document: str
    legal_basis: str
    is_interop: bool
    interop_level: str | None
    documents: list[DocumentOut]
    steps: list[StepOut]


class ProcedurePage(Schema):
    count: int
    results: list[ProcedureOut]


class AgencyOut(Schema):
    code: str
    name: str
    level: str
    address: str
    phone: str
    children: list["AgencyOut"]


class DueOut(Schema):
    due_at: datetime
    start: datetime
    agency: str | None
    days: Decimal
    time_unit: str


def _procedure_out(version: ProcedureVersion) -> dict:
    fees = list(version.fees.all())
    return {
        "code": version.procedure.code,
        "name": version.name,
        "field": [f.name for f in version.fields.all()],
        "agency_levels": [level.code for level in version.agency_levels.all()],
        "processing_days": version.processing_time,
        "time_unit": version.time_unit,
        "online_level": version.online_level,
        "fee": fees[0].amount if fees else 0,
        "fees": [
            {
                "description": f.description,
                "amount": f.amount,
                "paid_when": f.paid_when,
                "exemptions": f.exemptions,
            }
            for f in fees
        ],
    }


# --- endpoints ---------------------------------------------------------------------------


class ProcedureFilter(Schema):
    q: str = ""
    field: str = ""
    level: str = ""
    offset: int = 0
    limit: int = 50


@api.get("/procedures", response=ProcedurePage, tags=["catalog"], summary="Tra cứu thủ tục")
def procedures(request: HttpRequest, filters: Query[ProcedureFilter]):
    """Published procedures matching ``q`` (diacritics optional), best first."""
    result = procedure_search(
        query=filters.q[:200],
        field_code=filters.field,
        level_code=filters.level,
        offset=max(0, filters.offset),
        limit=min(max(1, filters.limit), 200),
    )
    return {"count": result.total, "results": [_procedure_out(v) for v in result.versions]}


@api.get("/procedures/{code}", response=ProcedureDetailOut, tags=["catalog"], summary="Một thủ tục")
def procedure(request: HttpRequest, code: str):
    version = procedure_get_published(code=code)
    if version is None:
        raise HttpError(404, "Không tìm thấy thủ tục.")
    return {
        **_procedure_out(version),
        "version": version.number,
        "decision": version.decision,
        "result_document": version.result_document,
        "legal_basis": version.legal_basis,
        "is_interop": version.is_interop,
        "interop_level": version.interop_level.code if version.interop_level_id else None,
        "documents": [
            {
                "name": d.name,
                "originals": d.originals,
                "copies": d.copies,
                "optional": d.is_optional,
            }
            for d in version.documents.all()
        ],
        "steps": list(
            version.steps.values("order", "name", "role", "unit_function", "budget_hours")
        ),
    }


def _agency_node(node: dict) -> dict:
    agency = node["agency"]
    return {
        "code": agency.code,
        "name": agency.name,
        "level": agency.level.code,
        "address": agency.address,
        "phone": agency.phone,
        "children": [_agency_node(child) for child in node["children"]],
    }


@api.get("/agencies", response=list[AgencyOut], tags=["agencies"], summary="Cây cơ quan")
def agencies(request: HttpRequest):
    return [_agency_node(node) for node in agency_tree()]


class DueQuery(Schema):
    start: datetime
    days: Decimal
    agency: str | None = None
    unit: TimeUnit = TimeUnit.WORKING_DAYS


@api.get("/calendar/due", response=DueOut, tags=["calendar"], summary="Tính ngày hẹn trả")
def calendar_due(request: HttpRequest, params: Query[DueQuery]):
    """The due time of ``days`` of processing time received at ``start`` (SPEC §6), on the
    agency's calendar, or the standard one when ``agency`` is left out."""
    if params.start.tzinfo is None:
        raise HttpError(422, "Thời điểm “start” phải kèm độ lệch múi giờ, ví dụ +07:00.")
    if params.days < 0 or params.days > 3650:
        raise HttpError(422, "“days” phải từ 0 đến 3650.")
    agency = None
    if params.agency:
        agency = Agency.objects.filter(code=params.agency).first()
        if agency is None:
            raise HttpError(404, "Không tìm thấy cơ quan.")
    try:
        due = compute_due_at(params.start, params.days, params.unit, calendar_get(agency=agency))
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    return {
        "due_at": due,
        "start": params.start.astimezone(VN_TZ),
        "agency": params.agency,
        "days": params.days,
        "time_unit": params.unit,
    }


from motcua.api.dossiers import router as dossier_router  # noqa: E402

api.add_router("", dossier_router)
