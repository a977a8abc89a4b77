"""The feedback endpoint of the public API (SPEC §12.3)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from motcua.agencies.models import Agency
from motcua.api.errors import FieldErrors, RateLimited, error_responses
from motcua.api.inputs import column, text
from motcua.catalog.models import Procedure
from motcua.clientaddress import client_address, rate_limit_key
from motcua.dossiers.access import SYSTEM
from motcua.dossiers.models import Dossier
from motcua.feedback.models import Feedback
from motcua.feedback.services import TooManyFeedback, feedback_submit
from motcua.workcalendar.calendar import VN_TZ

router = Router(tags=["feedback"])


class AboutIn(Schema):
    """Exactly one of the three: the code of a procedure, an agency or a dossier."""

    model_config = ConfigDict(extra="forbid")

    procedure: column(Procedure, "code") | None = None
    agency: column(Agency, "code") | None = None
    dossier: column(Dossier, "code") | None = None


class FeedbackIn(Schema):
    about: AboutIn
    name: column(Feedback, "name")
    phone: column(Feedback, "phone") = Field("", description="Điện thoại hoặc email: ít nhất một.")
    email: column(Feedback, "email") = ""
    content: text(5000)


class FeedbackCreated(Schema):
    code: str
    due_at: datetime = Field(description="Hạn trả lời: 15 ngày làm việc (SPEC §6, §8).")


@router.post(
    "/public/feedback",
    response={201: FeedbackCreated, **error_responses(400, 422, 429)},
    summary="Gửi phản ánh, kiến nghị",
)
def feedback_create(request: HttpRequest, payload: FeedbackIn):
    """Feedback (PAKN) about a procedure, an agency or a dossier, routed to the agency that
    answers it; ``due_at`` is 15 working days on that agency's calendar. The person is told
    that it was received and, later, the answer (SMS, e-mail). Limited per client address
    (``MOTCUA_FEEDBACK_PER_HOUR``, 429)."""
    given = [(kind, code) for kind, code in payload.about.model_dump().items() if code]
    if len(given) != 1:
        raise FieldErrors({"about": "Cho đúng một trong: procedure, agency, dossier."})
    about, code = given[0]
    try:
        feedback = feedback_submit(
            about=about,
            code=code,
            name=payload.name,
            phone=payload.phone,
            email=payload.email,
            content=payload.content,
            address=rate_limit_key(client_address(request)),
            actor=SYSTEM,
        )
    except TooManyFeedback as exc:
        raise RateLimited(exc.message(), retry_after=exc.retry_after) from None
    except ValidationError as exc:
        raise FieldErrors({k: " ".join(v) for k, v in exc.message_dict.items()}) from None
    return Status(201, {"code": feedback.code, "due_at": feedback.due_at.astimezone(VN_TZ)})
