"""The public REST API (SPEC §12), version 1. Paths and fields here are a contract: extend them,
never rename them. Endpoints parse input, call one selector or service and shape the answer."""

from datetime import datetime
from typing import Literal

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.http import HttpRequest
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError

from motcua.agencies.models import Agency, AgencyLevel
from motcua.agencies.selectors import agency_tree
from motcua.api.errors import (
    FieldErrors,
    document_errors,
    error_responses,
    install_error_handlers,
)
from motcua.api.inputs import CalendarMoment, Number, column, number_in, text
from motcua.catalog.models import Field as CatalogField
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.selectors import procedure_get_published, procedure_search
from motcua.workcalendar.calendar import FIRST_DAY, LAST_DAY, VN_TZ, TimeUnit, compute_due_at
from motcua.workcalendar.selectors import calendar_get


class MotcuaAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return document_errors(super().get_openapi_schema(*args, **kwargs))

    def get_openapi_operation_id(self, operation) -> str:
        """The endpoint's name (``calendar_due``), which generated clients name their calls by."""
        return operation.view_func.__name__


api = MotcuaAPI(
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
install_error_handlers(api)


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
    processing_days: Number
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
    budget_hours: Number


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
    days: Number
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


#: Paging of the catalog: far beyond any catalog, and within what every database counts.
MAX_OFFSET = 1_000_000
MAX_LIMIT = 200

ProcedureCode = column(Procedure, "code", min_length=1)


class ProcedureFilter(Schema):
    q: text(200) = ""
    field: column(CatalogField, "code") = ""
    level: column(AgencyLevel, "code") = ""
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    limit: int = Field(50, ge=1, le=MAX_LIMIT)


@api.get(
    "/procedures",
    response={200: ProcedurePage, **error_responses(422)},
    tags=["catalog"],
    summary="Tra cứu thủ tục",
)
def procedures(request: HttpRequest, filters: Query[ProcedureFilter]):
    """Published procedures matching ``q`` (diacritics optional), best first; ``offset``
    0 to 1,000,000 and ``limit`` 1 to 200 (beyond the last one, an empty page)."""
    result = procedure_search(
        query=filters.q,
        field_code=filters.field,
        level_code=filters.level,
        offset=filters.offset,
        limit=filters.limit,
    )
    return {"count": result.total, "results": [_procedure_out(v) for v in result.versions]}


@api.get(
    "/procedures/{code}",
    response={200: ProcedureDetailOut, **error_responses(404, 422)},
    tags=["catalog"],
    summary="Một thủ tục",
)
def procedure(request: HttpRequest, code: Path[ProcedureCode]):
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


#: ``unit`` as a plain enumeration of strings, which every generated client can pass.
UnitName = Literal[tuple(unit.value for unit in TimeUnit)]


class DueQuery(Schema):
    start: CalendarMoment = Field(
        description=(
            f"Thời điểm nhận, ISO 8601 kèm độ lệch múi giờ, từ {FIRST_DAY.year} đến hết "
            f"{LAST_DAY.year}."
        )
    )
    days: number_in(0, 3650) = Field(description="Thời hạn, từ 0 đến 3650.")
    agency: column(Agency, "code") = Field("", description="Mã cơ quan; để trống: lịch chuẩn.")
    unit: UnitName = TimeUnit.WORKING_DAYS.value


@api.get(
    "/calendar/due",
    response={200: DueOut, **error_responses(404, 422)},
    tags=["calendar"],
    summary="Tính ngày hẹn trả",
)
def calendar_due(request: HttpRequest, params: Query[DueQuery]):
    """The due time of ``days`` of processing time received at ``start`` (SPEC §6), on the
    agency's calendar, or the standard one when ``agency`` is left out. The calendar counts
    from 1976 to 2100 (Viet Nam on +07:00 all year, national holidays known): a ``start``
    outside, or a due time past 2100, is a 422. Times are answered with +07:00."""
    agency = None
    if params.agency:
        agency = Agency.objects.filter(code=params.agency).first()
        if agency is None:
            raise HttpError(404, "Không tìm thấy cơ quan.")
    try:
        due = compute_due_at(params.start, params.days, params.unit, calendar_get(agency=agency))
    except ValueError as exc:  # a fractional number of calendar days, a due time past 2100
        raise FieldErrors({"days": str(exc)}) from exc
    return {
        "due_at": due,
        "start": params.start.astimezone(VN_TZ),
        "agency": params.agency or None,
        "days": params.days,
        "time_unit": params.unit,
    }


from motcua.api.dossiers import router as dossier_router  # noqa: E402
from motcua.api.staff import router as staff_router  # noqa: E402

api.add_router("", dossier_router)
api.add_router("", staff_router)

from motcua.reports.api import router as indicators_router  # noqa: E402

api.add_router("", indicators_router)

from motcua.tickets.api import router as queue_router  # noqa: E402

api.add_router("", queue_router)

from motcua.feedback.api import router as feedback_router  # noqa: E402
from motcua.ratings.api import router as rating_router  # noqa: E402

api.add_router("", rating_router)
api.add_router("", feedback_router)
from motcua.payments.api import router as payments_router  # noqa: E402

api.add_router("", payments_router)
