"""``GET /api/v1/indicators`` (SPEC §12.5): a leader's figures for an agency subtree and a
period, with a personal token; the same ``board.indicators_for`` as the dashboard. An agency
outside the token holder's subtree, or a token that is not a leader's, gets 404."""

from datetime import date

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from motcua import clock
from motcua.agencies.models import Agency
from motcua.api.auth import StaffAuth
from motcua.api.dossiers import vn_time
from motcua.api.errors import FieldErrors, error_responses
from motcua.reports import access
from motcua.reports.board import indicators_for
from motcua.reports.figures import Scope
from motcua.reports.periods import period_errors, period_from

router = Router(tags=["indicators"], auth=StaffAuth())
NOT_FOUND = "Không tìm thấy cơ quan."


class IndicatorQuery(Schema):
    agency: str = Field(description="Mã cơ quan; số liệu gồm cơ quan đó và mọi cơ quan cấp dưới.")
    from_: date | None = Field(
        None, alias="from", description="Ngày đầu kỳ (YYYY-MM-DD); mặc định: đầu tháng này."
    )
    to: date | None = Field(None, description="Ngày cuối kỳ, tính cả ngày đó; mặc định: hôm nay.")


class FigureOut(Schema):
    value: float | None = Field(description="null: chưa có dữ liệu (không phải 0).")
    formula: str


class GroupOut(Schema):
    group: str
    points: int
    scored: float | None = Field(description="Điểm đạt trên các tiêu chí tính được.")
    scorable: float = Field(description="Điểm tối đa của các tiêu chí tính được.")
    missing: list[str] = Field(description="Tiêu chí cần dữ liệu Motcua chưa có.")


class IndicatorsOut(Schema):
    agency: str
    from_: date = Field(alias="from")
    to: date
    as_of: str
    received: int
    received_online: int
    received_desk: int
    received_post: int
    finished_early: int
    finished_on_time: int
    finished_late: int
    open_on_time: int
    open_overdue: int
    on_time_rate: float | None
    average_processing_days: float | None
    online_procedure_share: float | None
    online_share: float | None
    online_payment_share: float | None
    electronic_result_share: float | None
    digitisation_share: float | None
    reuse_share: float | None
    satisfaction: float | None
    feedback_on_time_rate: float | None
    formulas: dict[str, str]
    qd766: list[GroupOut]


def _number(value):
    return None if value is None else (value if isinstance(value, int) else float(value))


@router.get(
    "/indicators",
    response={200: IndicatorsOut, **error_responses(401, 404, 422)},
    by_alias=True,
    summary="Chỉ số giải quyết thủ tục hành chính của một cơ quan và các cơ quan cấp dưới",
)
def indicators(request: HttpRequest, query: Query[IndicatorQuery]):
    agency = Agency.objects.filter(code=query.agency).first()
    agency_ids = access.subtree_for(request.auth, agency) if agency else None
    if agency_ids is None:
        raise HttpError(404, NOT_FOUND)
    now = clock.now()
    errors = period_errors(query.from_, query.to, now=now)
    if errors:
        raise FieldErrors(errors)
    period, first, last = period_from(query.from_, query.to, now=now)
    found = indicators_for(Scope(agency_ids), period, now)
    out = {f.key: _number(f.value) for f in found.figures}
    return {
        "agency": agency.code,
        "from": first,
        "to": last,
        "as_of": vn_time(found.as_of).isoformat(),
        **out,
        "formulas": {f.key: str(f.formula) for f in found.figures},
        "qd766": [
            {
                "group": str(g.label),
                "points": g.points,
                "scored": _number(g.scored),
                "scorable": float(g.scorable),
                "missing": [str(p.label) for p in g.missing],
            }
            for g in found.points
        ],
    }
