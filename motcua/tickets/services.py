"""Writes of the desk floor: take a ticket, and at a counter call the next one, call again,
no-show, transfer, finish; link the dossier received from a ticket; close a day.

Each is one transaction. A call also writes the board's ``Announcement`` and, on PostgreSQL,
``NOTIFY``s it in the same transaction (``push.py``): boards hear of it when, and only if, it
commits. Who may work at a counter is ``access.may_work_at``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from motcua import clock
from motcua.agencies.models import Desk
from motcua.dossiers.access import Actor, actor_user
from motcua.pgsql import execute_prepared
from motcua.tickets import access, push
from motcua.tickets.models import (
    Announcement,
    Counter,
    Service,
    Ticket,
    TicketCall,
    TicketDay,
    TicketDossier,
)
from motcua.tickets.selectors import (
    event_of,
    queue_order,
    waiting_before,
    waiting_counts,
    waiting_for_counter,
)
from motcua.workcalendar.calendar import VN_TZ

#: The day's first ticket is 1001: four digits read well aloud and on the board.
NUMBER_BASE = 1000

_NEXT_NUMBER = (
    f"INSERT INTO {TicketDay._meta.db_table} (desk_id, day, last) VALUES (%s, %s, 1) "
    f"ON CONFLICT (desk_id, day) DO UPDATE SET last = {TicketDay._meta.db_table}.last + 1 "
    "RETURNING last"
)


def ticket_number_next(*, desk_id: int, day: date) -> int:
    """The desk's next serial of ``day`` (1, 2, …): ONE atomic upsert of the day's counter
    row, on SQLite and PostgreSQL alike. Concurrent takers wait for the row, never share a
    value; the row stays locked until the caller's transaction ends."""
    return execute_prepared(_NEXT_NUMBER, [desk_id, day])[0][0]


@dataclass(frozen=True)
class Taken:
    ticket: Ticket
    waiting_before: int


def ticket_take(
    *,
    desk: Desk,
    service_id: int,
    priority: bool = False,
    priority_reason: str = "",
    serve_after: datetime | None = None,
) -> Taken:
    """A new ticket of ``desk`` for the service; numbers are unique per desk and day, also
    under concurrency. The first ticket of a day closes the days before (``queue_day_close``)."""
    service = Service.objects.filter(pk=service_id, desk=desk, is_active=True).first()
    if service is None:
        raise ValidationError({"service": _("Bộ phận một cửa này không có dịch vụ đã chọn.")})
    if priority_reason and priority_reason not in Ticket.PriorityReason.values:
        raise ValidationError({"priority_reason": _("Đối tượng ưu tiên không hợp lệ.")})
    now = clock.now()
    day = now.astimezone(VN_TZ).date()
    with transaction.atomic():
        serial = ticket_number_next(desk_id=desk.pk, day=day)
        ticket = Ticket.objects.create(
            desk=desk,
            service=service,
            day=day,
            number=NUMBER_BASE + serial,
            priority=bool(priority or priority_reason),
            priority_reason=priority_reason,
            issued_at=now,
            queued_at=now,
            serve_after=serve_after,
        )
        if serial == 1:
            queue_day_close(desk_id=desk.pk, before=day)
    return Taken(ticket, waiting_before(ticket, now=now))


def _counter_locked(counter_id: int, actor: Actor) -> Counter:
    """The counter, locked (two clicks at one counter are served one after the other), if
    ``actor`` works there; else PermissionDenied."""
    counter = Counter.objects.select_for_update().select_related("desk").get(pk=counter_id)
    if not access.may_work_at(actor, counter):
        raise PermissionDenied(_("Bạn không làm việc tại quầy này."))
    return counter


def _open_turn(counter: Counter) -> TicketCall | None:
    return (
        TicketCall.objects.select_for_update()
        .select_related("ticket")
        .filter(counter=counter, ended_at__isnull=True)
        .first()
    )


NO_TURN = "Quầy chưa gọi số nào, hoặc số đang gọi đã kết thúc."


def _end_turn(turn: TicketCall, outcome: str, now: datetime) -> None:
    ticket = turn.ticket
    if turn.day != now.astimezone(VN_TZ).date():
        # Left open on an earlier day: its real end is unknown, so it measures nothing.
        outcome = TicketCall.Outcome.UNFINISHED
        now = turn.called_at
    turn.ended_at, turn.outcome = now, outcome
    turn.save(update_fields=["ended_at", "outcome"])
    if outcome == TicketCall.Outcome.TRANSFERRED:
        return
    ticket.status = (
        Ticket.Status.NO_SHOW if outcome == TicketCall.Outcome.NO_SHOW else Ticket.Status.DONE
    )
    ticket.finished_at = now
    ticket.save(update_fields=["status", "finished_at"])


def _announce(ticket: Ticket, counter: Counter, kind: str, now: datetime) -> Announcement:
    announcement = Announcement.objects.create(
        desk_id=counter.desk_id, day=ticket.day, counter=counter, ticket=ticket, kind=kind, at=now
    )
    announcement.ticket, announcement.counter = ticket, counter
    event = event_of(announcement)
    event["waiting"] = waiting_counts(counter.desk_id, day=ticket.day)
    push.publish(counter.desk_id, event)
    return announcement


@transaction.atomic
def ticket_call_next(*, counter_id: int, actor: Actor) -> Ticket | None:
    """Call the next ticket to the counter (the order is ``selectors.queue_order``: priority
    first, then booked tickets whose slot has started, then walk-ins, each oldest first), or
    None when nobody waits. The ticket being served there is finished first."""
    counter = _counter_locked(counter_id, actor)
    now = clock.now()
    day = now.astimezone(VN_TZ).date()
    if (turn := _open_turn(counter)) is not None:
        _end_turn(turn, TicketCall.Outcome.SERVED, now)
    # SKIP LOCKED: two counters calling at once take two different tickets.
    ticket = (
        queue_order(waiting_for_counter(counter, day=day), now=now)
        .select_related("service")
        .select_for_update(skip_locked=True, of=("self",))
        .first()
    )
    if ticket is None:
        return None
    last_end = ticket.calls.filter(ended_at__isnull=False).order_by("-ended_at").first()
    # This wait began at the issue (a booked ticket's: at its slot) or at the transfer.
    waiting_since = (
        last_end.ended_at
        if last_end
        else max(ticket.issued_at, ticket.serve_after or ticket.issued_at)
    )
    user = actor_user(actor)
    TicketCall.objects.create(
        ticket=ticket,
        desk_id=counter.desk_id,
        day=day,
        counter=counter,
        officer=user,
        service=ticket.service,
        waiting_since=min(waiting_since, now),
        called_at=now,
    )
    ticket.status, ticket.counter, ticket.officer = Ticket.Status.CALLED, counter, user
    ticket.for_counter = None
    ticket.called_at = ticket.called_at or now
    ticket.save(update_fields=["status", "counter", "officer", "for_counter", "called_at"])
    _announce(ticket, counter, Announcement.Kind.CALL, now)
    return ticket


@transaction.atomic
def ticket_recall(*, counter_id: int, actor: Actor) -> Ticket:
    """Call the ticket being served at the counter again (the board says it once more)."""
    counter = _counter_locked(counter_id, actor)
    turn = _open_turn(counter)
    if turn is None:
        raise ValidationError(_(NO_TURN))
    now = clock.now()
    turn.recalls += 1
    turn.save(update_fields=["recalls"])
    turn.ticket.service  # noqa: B018 - loaded for the event
    _announce(turn.ticket, counter, Announcement.Kind.RECALL, now)
    return turn.ticket


@transaction.atomic
def ticket_finish(*, counter_id: int, actor: Actor, no_show: bool = False) -> Ticket:
    """End the turn at the counter: served, or the holder did not come (no-show)."""
    counter = _counter_locked(counter_id, actor)
    turn = _open_turn(counter)
    if turn is None:
        raise ValidationError(_(NO_TURN))
    outcome = TicketCall.Outcome.NO_SHOW if no_show else TicketCall.Outcome.SERVED
    _end_turn(turn, outcome, clock.now())
    return turn.ticket


@transaction.atomic
def ticket_transfer(
    *,
    counter_id: int,
    actor: Actor,
    to_service_id: int | None = None,
    to_counter_id: int | None = None,
) -> Ticket:
    """Send the ticket being served to another service (any counter serving it calls it) or
    to one counter (only that counter calls it). It keeps its first place in line."""
    counter = _counter_locked(counter_id, actor)
    turn = _open_turn(counter)
    if turn is None:
        raise ValidationError(_(NO_TURN))
    ticket = turn.ticket
    to_service = to_counter = None
    if to_service_id:
        to_service = Service.objects.filter(
            pk=to_service_id, desk_id=counter.desk_id, is_active=True
        ).first()
        if to_service is None:
            raise ValidationError({"to_service": _("Dịch vụ không thuộc bộ phận này.")})
    if to_counter_id:
        to_counter = Counter.objects.filter(
            pk=to_counter_id, desk_id=counter.desk_id, is_active=True
        ).first()
        if to_counter is None or to_counter.pk == counter.pk:
            raise ValidationError({"to_counter": _("Chọn một quầy khác đang mở của bộ phận.")})
    if to_service is None and to_counter is None:
        raise ValidationError(_("Chọn dịch vụ hoặc quầy nhận chuyển."))
    _end_turn(turn, TicketCall.Outcome.TRANSFERRED, clock.now())
    ticket.status = Ticket.Status.WAITING
    ticket.service = to_service or ticket.service
    ticket.for_counter = to_counter
    ticket.save(update_fields=["status", "service", "for_counter"])
    return ticket


def ticket_for_receipt(*, ticket_id: int, actor: Actor) -> Ticket | None:
    """The ticket a desk officer is receiving a dossier from: one called at a counter of
    their desk today (None otherwise: the receipt goes on without the link)."""
    desks = access.desks_of(actor)
    return (
        Ticket.objects.select_related("service")
        .filter(pk=ticket_id, desk_id__in=desks, day=clock.now().astimezone(VN_TZ).date())
        .exclude(status=Ticket.Status.WAITING)
        .first()
    )


def ticket_dossier_attach(*, ticket: Ticket, dossier, actor: Actor) -> TicketDossier | None:
    """Record that ``dossier`` was received from ``ticket`` (after ``dossier_receive``, at
    the same desk). A dossier comes from one ticket: a second call changes nothing."""
    if dossier.receiving_desk_id != ticket.desk_id or ticket.desk_id not in access.desks_of(actor):
        return None
    link, _created = TicketDossier.objects.get_or_create(
        dossier=dossier, defaults={"ticket": ticket, "at": clock.now()}
    )
    return link


def queue_day_close(*, desk_id: int | None = None, before: date) -> int:
    """Close the queues of the days before ``before``: waiting tickets expire, turns left
    open end as unfinished (they measure nothing). Returns how many tickets it closed."""
    desk_filter = Q(desk_id=desk_id) if desk_id else Q()
    open_turns = TicketCall.objects.filter(desk_filter, day__lt=before, ended_at__isnull=True)
    for turn in open_turns.select_related("ticket"):
        turn.ended_at, turn.outcome = turn.called_at, TicketCall.Outcome.UNFINISHED
        turn.save(update_fields=["ended_at", "outcome"])
    stale = Ticket.objects.filter(desk_filter, day__lt=before)
    called = stale.filter(status=Ticket.Status.CALLED).update(status=Ticket.Status.DONE)
    expired = stale.filter(status=Ticket.Status.WAITING).update(status=Ticket.Status.EXPIRED)
    return called + expired
