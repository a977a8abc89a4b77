"""The rating endpoint of the public API (SPEC §12.3), under ``/api/v1/public``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from motcua.api.dossiers import DossierCode
from motcua.api.errors import FieldErrors, RateLimited, error_responses
from motcua.api.inputs import text
from motcua.clientaddress import client_address, rate_limit_key
from motcua.dossiers.public_lookup import TooManyLookups, dossier_public_lookup
from motcua.ratings.models import CRITERIA, Rating
from motcua.ratings.services import AlreadyRated, rating_submit
from motcua.workcalendar.calendar import VN_TZ

router = Router(tags=["dossiers"])

#: 3 rất hài lòng, 2 hài lòng, 1 không hài lòng (an integer: not "2", not true).
Score = Annotated[int, Field(ge=1, le=3, strict=True)]


class CriteriaIn(Schema):
    """Each criterion of SPEC §8, optional, on the same scale as ``overall``."""

    model_config = ConfigDict(extra="forbid")

    time_taken: Score | None = Field(None, description=str(CRITERIA["time_taken"]))
    visits: Score | None = Field(None, description=str(CRITERIA["visits"]))
    staff_attitude: Score | None = Field(None, description=str(CRITERIA["staff_attitude"]))
    procedure_clarity: Score | None = Field(None, description=str(CRITERIA["procedure_clarity"]))
    online_service: Score | None = Field(None, description=str(CRITERIA["online_service"]))


class RatingIn(Schema):
    overall: Score = Field(description="3 = rất hài lòng, 2 = hài lòng, 1 = không hài lòng.")
    criteria: CriteriaIn = Field(default_factory=CriteriaIn)


class RatingOut(Schema):
    code: str
    overall: int
    criteria: dict[str, int | None]
    at: datetime


@router.post(
    "/public/dossiers/{code}/rating",
    response={201: RatingOut, **error_responses(400, 404, 409, 422, 429)},
    summary="Đánh giá mức độ hài lòng",
)
def dossier_rating(
    request: HttpRequest, code: Path[DossierCode], payload: RatingIn, verify: text(20) = ""
):
    """The applicant rates a returned dossier, once (SPEC §8): overall and per criterion.
    ``verify`` is the look-up's (last 4 digits of the phone or ID number), with its limits:
    the same 404 for a wrong code and a wrong value, 429 per address and per dossier. A
    dossier not returned yet: 422; a second rating: 409, nothing stored."""
    status = dossier_public_lookup(
        address=rate_limit_key(client_address(request)), code=code, verify=verify
    )
    if isinstance(status, TooManyLookups):
        raise RateLimited(status.message(), retry_after=status.retry_after)
    if status is None:
        raise HttpError(404, "Không tìm thấy hồ sơ.")
    criteria = payload.criteria.model_dump()
    try:
        rating = rating_submit(
            dossier_id=status["_id"],
            overall=payload.overall,
            criteria=criteria,
            channel=Rating.Channel.API,
        )
    except AlreadyRated as exc:
        raise HttpError(409, str(exc)) from None
    except ValidationError as exc:
        errors = getattr(exc, "error_dict", None)
        if errors:
            raise FieldErrors({k: " ".join(v) for k, v in exc.message_dict.items()}) from None
        raise FieldErrors({}, detail=" ".join(exc.messages)) from None
    return Status(
        201,
        {
            "code": status["code"],
            "overall": rating.overall,
            "criteria": {name: getattr(rating, name) for name in CRITERIA},
            "at": rating.at.astimezone(VN_TZ),
        },
    )
