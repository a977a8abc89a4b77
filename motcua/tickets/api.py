"""Queue endpoints of the API (SPEC §12.4), under ``/api/v1/queue``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from motcua.agencies.models import Desk
from motcua.api.errors import FieldErrors, RateLimited, error_responses
from motcua.tickets import access, push
from motcua.tickets.auth import OfficerAuth
from motcua.tickets.kiosk import TooManyTickets, take_limited
from motcua.tickets.models import Announcement, Counter, Ticket
from motcua.tickets.selectors import board_state, desks_with_queue, today
from motcua.tickets.services import ticket_call_next
from motcua.workcalendar.calendar import VN_TZ

router = Router(tags=["queue"])

#: Ids are database integers.
Id = Field(ge=1, le=2**31 - 1, strict=True)  # in a JSON body: a number, never "1" or true
CounterId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class QueueTicketIn(Schema):
    desk: int = Id
    service: int = Id
    priority: bool = Field(False, strict=True)
    priority_reason: str = Field(
        "",
        max_length=20,
        description="Đối tượng ưu tiên, bắt buộc khi priority là true (như trang lấy số): "
        + ", ".join(f"{v} ({label})" for v, label in Ticket.PriorityReason.choices)
        + ".",
    )


class QueueTicketOut(Schema):
    number: int
    service: str
    waiting_before: int
    issued_at: datetime
    estimated_wait_minutes: int
    url: str = Field(description="Trang “vị trí của bạn trong hàng đợi” (mã QR trên phiếu).")


class QueueServiceOut(Schema):
    id: int
    code: str
    name: str


class QueueCounterOut(Schema):
    id: int
    number: int
    name: str
    services: list[int]


class QueueDeskOut(Schema):
    id: int
    name: str
    agency: str
    agency_code: str
    services: list[QueueServiceOut]
    counters: list[QueueCounterOut]


class QueueCalledOut(Schema):
    number: int
    service: str
    counter: int


class QueueEventOut(Schema):
    id: int
    kind: str
    number: int
    counter: int
    counter_id: int
    counter_name: str
    service: str
    service_id: int
    priority: bool
    at: datetime
    text: str


class QueueBoardCounter(Schema):
    id: int
    number: int
    name: str
    current: QueueEventOut | None


class QueueBoardWaiting(Schema):
    service_id: int
    service: str
    count: int


class QueueBoardDesk(Schema):
    id: int
    name: str
    agency: str


class QueueBoardOut(Schema):
    desk: QueueBoardDesk
    day: str
    counters: list[QueueBoardCounter]
    recent: list[QueueEventOut]
    waiting: list[QueueBoardWaiting]
    last_event_id: int


@router.post(
    "/queue/tickets",
    response={201: QueueTicketOut, **error_responses(400, 404, 422, 429)},
    summary="Lấy số thứ tự",
)
def queue_ticket_take(request: HttpRequest, payload: QueueTicketIn):
    """A ticket for a service of a desk (public, as the kiosk), while the desk gives out
    numbers (its office sessions, from 30 minutes before each); a priority ticket with its
    reason. Limited per client address per minute and per day, except for a registered kiosk
    (its key in ``X-Kiosk-Key``); at most 999 a desk a day. Numbers are unique per desk and
    day, also under concurrency."""
    desk = Desk.objects.filter(pk=payload.desk).first()
    if desk is None:
        raise HttpError(404, "Không tìm thấy bộ phận một cửa.")
    try:
        taken = take_limited(
            request,
            desk=desk,
            service_id=payload.service,
            priority=payload.priority,
            priority_reason=payload.priority_reason,
        )
    except TooManyTickets as limit:
        raise RateLimited(limit.message(), retry_after=limit.retry_after) from None
    except ValidationError as exc:
        raise FieldErrors({k: " ".join(v) for k, v in exc.message_dict.items()}) from None
    ticket = taken.ticket
    return Status(
        201,
        {
            "number": ticket.number,
            "service": ticket.service.name,
            "waiting_before": taken.waiting_before,
            "issued_at": ticket.issued_at.astimezone(VN_TZ),
            "estimated_wait_minutes": taken.estimated_wait_minutes,
            "url": request.build_absolute_uri(taken.place_url),
        },
    )


@router.get("/queue/desks", response=list[QueueDeskOut], summary="Các bộ phận, dịch vụ và quầy")
def queue_desks(request: HttpRequest):
    desks = desks_with_queue().prefetch_related("services", "counters__services")
    return [
        {
            "id": d.pk,
            "name": d.name,
            "agency": d.agency.name,
            "agency_code": d.agency.code,
            "services": [
                {"id": s.pk, "code": s.code, "name": s.name}
                for s in d.services.all()
                if s.is_active
            ],
            "counters": [
                {
                    "id": c.pk,
                    "number": c.number,
                    "name": c.name,
                    "services": [s.pk for s in c.services.all()],
                }
                for c in d.counters.all()
                if c.is_active
            ],
        }
        for d in desks
    ]


@router.post(
    "/queue/counters/{counter_id}/next",
    response={200: QueueCalledOut, 204: None, **error_responses(401, 404, 422)},
    auth=OfficerAuth(),
    summary="Gọi số tiếp theo tại quầy",
)
def queue_call_next(request: HttpRequest, counter_id: Path[CounterId]):
    """Call the next ticket to the counter (priority tickets first, then booked tickets whose
    slot has started, then the others in order), for a desk officer of the counter's desk;
    204 when nobody waits. The ticket being served at the counter is finished first."""
    actor = request.auth
    counter = Counter.objects.filter(pk=counter_id).first()
    if counter is None or not access.may_work_at(actor, counter):
        raise HttpError(404, "Không tìm thấy quầy.")
    try:
        ticket = ticket_call_next(counter_id=counter.pk, actor=actor)
    except PermissionDenied:
        raise HttpError(404, "Không tìm thấy quầy.") from None
    if ticket is None:
        return Status(204, None)
    return {"number": ticket.number, "service": ticket.service.name, "counter": counter.number}


class BoardQuery(Schema):
    desk: int = Field(ge=1, le=2**31 - 1)  # a query's value is text


def _desk(desk_id: int) -> Desk:
    desk = Desk.objects.select_related("agency").filter(pk=desk_id).first()
    if desk is None:
        raise HttpError(404, "Không tìm thấy bộ phận một cửa.")
    return desk


@router.get(
    "/queue/board",
    response={200: QueueBoardOut, **error_responses(404, 422)},
    summary="Trạng thái màn hình gọi số",
)
def queue_board(request: HttpRequest, params: Query[BoardQuery]):
    """Each counter's current number, the last calls and the waiting count per service."""
    return board_state(_desk(params.desk))


def _after(request: HttpRequest, desk_id: int) -> int:
    """Where the stream starts: after ``Last-Event-ID`` (a reconnecting browser), or after
    ``after`` (the board page's last known call), else after the latest call."""
    for raw in (request.headers.get("Last-Event-ID"), request.GET.get("after")):
        # isascii: "²".isdigit() is true, but int("²") fails.
        if raw and raw.isascii() and raw.isdigit() and len(raw) < 19:
            return int(raw)
    latest = Announcement.objects.filter(desk_id=desk_id, day=today()).aggregate(m=Max("pk"))
    return latest["m"] or 0


# Not in the OpenAPI document: a stream that never ends is no operation a fuzzer or a
# generated client can call. Documented in docs/api.md.
@router.get("/queue/board/stream", include_in_schema=False)
def queue_board_stream(request: HttpRequest, params: Query[BoardQuery]) -> HttpResponse:
    """Server-sent events, one ``call`` event per call or recall, pushed as it happens (on
    an ASGI server); under WSGI the calls since the board's last one, then the end, and the
    browser asks again (``push.stream_once``)."""
    if isinstance(request, ASGIRequest) and push.streams.full():
        response = HttpResponse(
            "Máy chủ đang phục vụ quá nhiều màn hình; màn hình tự cập nhật định kỳ.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(push.STREAMS_FULL_RETRY_SECONDS)
        return response
    desk = _desk(params.desk)
    after = _after(request, desk.pk)
    if not isinstance(request, ASGIRequest):
        response = HttpResponse(
            push.stream_once(desk.pk, after), content_type="text/event-stream; charset=utf-8"
        )
        response["Cache-Control"] = "no-cache"
        return response
    # The stream holds no connection: this thread's, used just now, is closed before it.
    connection.close()
    content = push.stream_async(desk.pk, after)
    response = StreamingHttpResponse(content, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
