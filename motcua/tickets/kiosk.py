"""Taking a ticket from the public (the kiosk page and ``POST /api/v1/queue/tickets``),
behind a per-address limit against flooding: ``QUEUE_TICKETS_PER_MINUTE`` tickets per client
address (an IPv6 /64) per minute, counted in the shared store (``motcua/ratelimit``). A kiosk
is one address: the default (30) is far above what one touch screen issues in a minute."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import ngettext

from motcua import clock
from motcua.clientaddress import client_address, rate_limit_key
from motcua.ratelimit.store import counter_store
from motcua.tickets.models import Ticket
from motcua.tickets.selectors import estimated_wait_minutes
from motcua.tickets.services import ticket_take

MINUTE = 60


@dataclass(frozen=True)
class TooManyTickets(Exception):
    retry_after: int

    def message(self) -> str:
        return ngettext(
            "Lấy số quá nhiều lần. Vui lòng thử lại sau %(seconds)d giây.",
            "Lấy số quá nhiều lần. Vui lòng thử lại sau %(seconds)d giây.",
            self.retry_after,
        ) % {"seconds": self.retry_after}


@dataclass(frozen=True)
class KioskTicket:
    ticket: Ticket
    waiting_before: int
    estimated_wait_minutes: int

    @property
    def place_url(self) -> str:
        return reverse("tickets:place", args=[self.ticket.token])


def take_limited(request, *, desk, service_id: int, priority=False, priority_reason=""):
    """``ticket_take`` for a client of the public, counted against its address's limit."""
    address = rate_limit_key(client_address(request))
    count, _ = counter_store().hit(f"queue:take:{address}", window=MINUTE)
    if count.value > settings.QUEUE_TICKETS_PER_MINUTE:
        raise TooManyTickets(count.retry_after())
    taken = ticket_take(
        desk=desk, service_id=service_id, priority=priority, priority_reason=priority_reason
    )
    return kiosk_ticket(taken.ticket, taken.waiting_before)


def kiosk_ticket(ticket: Ticket, ahead: int) -> KioskTicket:
    minutes = estimated_wait_minutes(ticket.service, ahead, now=clock.now())
    return KioskTicket(ticket, ahead, minutes)
