"""Reads of the desk floor: the queue's order, a ticket's place, the board, the desks.

**The queue's order** (``queue_order``, one rule for calling and for "people ahead"). The
tickets a counter may call are the day's waiting tickets of the services it serves, and those
transferred to that counter. They are served in four bands, each oldest first:

0. **priority** tickets — the elderly, people with disabilities, pregnant women, people with a
   child under 6, war invalids and others with merit (Luật Người cao tuổi 2009; Luật Người
   khuyết tật 2010; ND 118/2025 on serving them first at the one-stop desk). *Our choice* of
   rule: strictly first, with no quota of ordinary calls between them — the law says they are
   served first, and at a commune desk they are few;
1. **booked** tickets whose slot has started (an appointment checked in at the kiosk), by
   slot — served at the booked time, before the walk-ins from then;
2. **walk-ins**, and transferred tickets, which keep their first place in line;
3. booked tickets whose slot has not started yet: called early only when nobody else waits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from motcua import clock
from motcua.agencies.models import Desk
from motcua.tickets.models import Announcement, Counter, Service, Ticket, TicketCall
from motcua.workcalendar.calendar import VN_TZ


def today() -> date:
    return clock.now().astimezone(VN_TZ).date()


def queue_order(queryset: QuerySet[Ticket], *, now: datetime) -> QuerySet[Ticket]:
    """``queryset`` in the order tickets are called (module docstring)."""
    band = Case(
        When(priority=True, then=Value(0)),
        When(serve_after__lte=now, then=Value(1)),
        When(serve_after__isnull=True, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return queryset.annotate(
        queue_band=band, queue_key=Coalesce("serve_after", "queued_at")
    ).order_by("queue_band", "queue_key", "queued_at", "number")


def waiting_for_counter(counter: Counter, *, day: date) -> QuerySet[Ticket]:
    """The day's tickets ``counter`` may call: its services', and those sent to it."""
    services = counter.services.values("pk")
    return Ticket.objects.filter(
        desk_id=counter.desk_id, day=day, status=Ticket.Status.WAITING
    ).filter(Q(for_counter=counter) | Q(for_counter__isnull=True, service__in=services))


def waiting_before(ticket: Ticket, *, now: datetime) -> int:
    """How many tickets of the same service will be called before ``ticket`` (its place in
    the queue, 0 = next). One query over the day's waiting tickets of that service."""
    if ticket.status != Ticket.Status.WAITING:
        return 0
    line = queue_order(
        Ticket.objects.filter(
            desk_id=ticket.desk_id,
            day=ticket.day,
            service_id=ticket.service_id,
            status=Ticket.Status.WAITING,
        ),
        now=now,
    ).values_list("pk", flat=True)
    ids = list(line)
    return ids.index(ticket.pk) if ticket.pk in ids else 0


#: Recent turns that measure a service's time, when there are enough of them.
MEASURED_DAYS = 30
MEASURED_MIN_SAMPLES = 10


def service_minutes(service: Service, *, now: datetime) -> float:
    """The average service time of ``service``: measured over the last 30 days when it has
    at least 10 finished turns, else the configured ``average_minutes``."""
    rows = list(
        TicketCall.objects.filter(
            service=service,
            outcome=TicketCall.Outcome.SERVED,
            called_at__gte=now - timedelta(days=MEASURED_DAYS),
        )
        .order_by("-called_at")
        .values_list("called_at", "ended_at")[:500]
    )
    if len(rows) < MEASURED_MIN_SAMPLES:
        return float(service.average_minutes)
    total = sum((end - start).total_seconds() for start, end in rows if end)
    return max(1.0, total / 60 / len(rows))


def estimated_wait_minutes(service: Service, ahead: int, *, now: datetime) -> int:
    """People ahead × average service time ÷ open counters serving the service."""
    counters = service.counters.filter(is_active=True).count() or 1
    return round(ahead * service_minutes(service, now=now) / counters)


def desks_with_queue() -> QuerySet[Desk]:
    """Desks that have at least one active service, for the kiosk and booking pages."""
    return (
        Desk.objects.filter(services__is_active=True)
        .select_related("agency")
        .distinct()
        .order_by("agency__name", "name")
    )


def desk_services(desk: Desk) -> list[Service]:
    return list(desk.services.filter(is_active=True).order_by("order", "name"))


def event_of(announcement: Announcement) -> dict:
    """One call as the board and the stream carry it."""
    ticket, counter = announcement.ticket, announcement.counter
    return {
        "id": announcement.pk,
        "kind": announcement.kind,
        "number": ticket.number,
        "counter": counter.number,
        "counter_id": counter.pk,
        "counter_name": counter.name,
        "service": ticket.service.name,
        "service_id": ticket.service_id,
        "priority": ticket.priority,
        "at": announcement.at.astimezone(VN_TZ).isoformat(),
        "text": f"Mời số {ticket.number} đến quầy số {counter.number}",
    }


def announcements_after(desk_id: int, after_id: int, *, day: date) -> list[dict]:
    """The day's calls of a desk after ``after_id`` (a board catching up), oldest first."""
    rows = (
        Announcement.objects.filter(desk_id=desk_id, day=day, pk__gt=after_id)
        .select_related("ticket__service", "counter")
        .order_by("pk")[:200]
    )
    return [event_of(a) for a in rows]


def waiting_counts(desk_id: int, *, day: date) -> dict[int, int]:
    """Waiting tickets per service id (services with none are left out)."""
    rows = (
        Ticket.objects.filter(desk_id=desk_id, day=day, status=Ticket.Status.WAITING)
        .values("service_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["service_id"]: row["n"] for row in rows}


#: Calls the board lists besides the current number of each counter.
BOARD_RECENT = 6


def board_state(desk: Desk) -> dict:
    """The board's state: each counter's current number, the last calls, waiting counts."""
    day = today()
    counters = list(desk.counters.filter(is_active=True).order_by("number"))
    latest_ids = (
        Announcement.objects.filter(desk=desk, day=day)
        .values("counter_id")
        .annotate(last=Max("pk"))
        .order_by()
        .values_list("last", flat=True)
    )
    recent = list(
        Announcement.objects.filter(desk=desk, day=day)
        .select_related("ticket__service", "counter")
        .order_by("-pk")[:BOARD_RECENT]
    )
    latest = {
        a.counter_id: a
        for a in Announcement.objects.filter(pk__in=list(latest_ids)).select_related(
            "ticket__service", "counter"
        )
    }
    waiting = waiting_counts(desk.pk, day=day)
    return {
        "desk": {"id": desk.pk, "name": desk.name, "agency": desk.agency.name},
        "day": day.isoformat(),
        "counters": [
            {
                "id": c.pk,
                "number": c.number,
                "name": c.name,
                "current": event_of(latest[c.pk]) if c.pk in latest else None,
            }
            for c in counters
        ],
        "recent": [event_of(a) for a in recent],
        "waiting": [
            {"service_id": s.pk, "service": s.name, "count": waiting.get(s.pk, 0)}
            for s in desk_services(desk)
        ],
        "last_event_id": recent[0].pk if recent else 0,
    }


def counter_current(counter: Counter) -> TicketCall | None:
    """The turn open at ``counter`` (the ticket being served), if any."""
    return (
        TicketCall.objects.filter(counter=counter, ended_at__isnull=True)
        .select_related("ticket__service")
        .first()
    )


# --- statistics ------------------------------------------------------------------------


#: Turns whose length is a service time (a no-show's or an unfinished one's is not).
MEASURED_OUTCOMES = (TicketCall.Outcome.SERVED, TicketCall.Outcome.TRANSFERRED)


@dataclass
class Figure:
    label: str
    count: int = 0
    wait_seconds: float = 0.0
    waits: int = 0
    service_seconds: float = 0.0
    services: int = 0

    @property
    def average_wait(self) -> float | None:
        """Minutes, or None without a measured turn."""
        return self.wait_seconds / self.waits / 60 if self.waits else None

    @property
    def average_service(self) -> float | None:
        return self.service_seconds / self.services / 60 if self.services else None


def desk_statistics(desk: Desk, *, start: date, end: date) -> dict:
    """Tickets per day, and the average wait (issued or transferred → called) and service
    time (called → end of the turn, no-shows left out) per service, counter and officer, for
    the days ``start``…``end``. Computed from the turns themselves (no batch, no drift)."""
    from motcua.agencies.selectors import person_name

    per_day = dict(
        Ticket.objects.filter(desk=desk, day__range=(start, end))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
        .values_list("day", "n")
    )
    days = []
    day = start
    while day <= end and len(days) < 366:
        days.append((day, per_day.get(day, 0)))
        day += timedelta(days=1)
    groups: dict[str, dict] = {"service": {}, "counter": {}, "officer": {}}
    calls = TicketCall.objects.filter(desk=desk, day__range=(start, end)).select_related(
        "service", "counter", "officer"
    )
    for call in calls.iterator(chunk_size=2000):
        keys = {
            "service": (call.service_id, call.service.name),
            "counter": (call.counter_id, str(call.counter)),
            "officer": (call.officer_id, person_name(call.officer) if call.officer else "—"),
        }
        for group, (key, label) in keys.items():
            figure = groups[group].setdefault(key, Figure(label))
            figure.count += 1
            figure.wait_seconds += (call.called_at - call.waiting_since).total_seconds()
            figure.waits += 1
            if call.ended_at and call.outcome in MEASURED_OUTCOMES:
                figure.service_seconds += (call.ended_at - call.called_at).total_seconds()
                figure.services += 1
    return {
        "days": days,
        "total": sum(n for _, n in days),
        **{
            group: sorted(figures.values(), key=lambda f: f.label)
            for group, figures in groups.items()
        },
    }


def ticket_sources(desk, *, day: date) -> list[tuple[str, int, int]]:
    """The addresses that took tickets of ``desk`` on ``day`` (not registered kiosks), the
    most first: (address, tickets not yet called, of which priority). For a bulk cancel."""
    rows = (
        Ticket.objects.filter(
            desk=desk, day=day, status=Ticket.Status.WAITING, called_at__isnull=True
        )
        .exclude(source="")
        .values("source")
        .annotate(n=Count("pk"), priority=Count("pk", filter=Q(priority=True)))
        .order_by("-n", "source")
    )
    return [(r["source"], r["n"], r["priority"]) for r in rows[:20]]


# --- the dossier a ticket brought -------------------------------------------------------


@dataclass(frozen=True)
class DossierTicket:
    """The queue ticket a dossier was received from (the dossier page and the staff API):
    the wait is the ticket's, from taking it (or its transfer, or its slot) to the call of
    the turn at which the dossier was received, summed over its turns; the service time is
    that turn's, from the call to its end (None while the counter still serves it)."""

    number: int
    day: date
    service: str
    counter: int
    officer: str
    issued_at: datetime
    called_at: datetime
    waiting_minutes: int
    service_minutes: int | None


def dossier_ticket(dossier) -> DossierTicket | None:
    """None when the dossier came without a ticket (online, by post, or at the desk without
    one). Two queries."""
    from motcua.agencies.selectors import person_name
    from motcua.tickets.models import TicketDossier

    link = TicketDossier.objects.filter(dossier_id=dossier.pk).select_related("ticket").first()
    if link is None:
        return None
    calls = link.ticket.calls.select_related("counter", "officer", "service")
    turns = list(calls.order_by("called_at", "pk"))
    if not turns:
        return None
    upto = [t for t in turns if t.called_at <= link.at] or turns[:1]
    turn = upto[-1]
    waited = sum(((t.called_at - t.waiting_since) for t in upto), timedelta())
    served = turn.ended_at - turn.called_at if turn.ended_at else None
    return DossierTicket(
        number=link.ticket.number,
        day=link.ticket.day,
        service=turn.service.name,
        counter=turn.counter.number,
        officer=person_name(turn.officer),
        issued_at=link.ticket.issued_at,
        called_at=turn.called_at,
        waiting_minutes=_minutes(waited),
        service_minutes=None if served is None else _minutes(served),
    )


def _minutes(span: timedelta) -> int:
    return max(0, round(span.total_seconds() / 60))
