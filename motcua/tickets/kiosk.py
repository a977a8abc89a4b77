"""Taking a ticket from the public (the kiosk page and ``POST /api/v1/queue/tickets``),
behind per-address limits against flooding: ``QUEUE_TICKETS_PER_MINUTE`` tickets per client
address (an IPv6 /64) per minute, counted in the shared store (``motcua/ratelimit``), and
``QUEUE_TICKETS_PER_ADDRESS_PER_DAY`` a day, counted from the day's tickets themselves.

A touch screen at the desk gives numbers to every citizen from one address: it is registered
as a ``KioskDevice`` with its own key (``manage.py kiosk_device_add``) and sends it — the
kiosk page keeps it in a cookie (``/lay-so/{desk}/?may={key}`` once), an API client in the
``X-Kiosk-Key`` header — and is then exempt from both limits. The desk's daily cap, its
office hours and the priority reason hold for everyone (``services.ticket_take``)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua import clock
from motcua.clientaddress import client_address, rate_limit_key
from motcua.ratelimit.store import counter_store
from motcua.tickets.models import KioskDevice, Ticket
from motcua.tickets.selectors import estimated_wait_minutes
from motcua.tickets.services import ticket_take
from motcua.workcalendar.calendar import VN_TZ

MINUTE = 60
KIOSK_HEADER = "X-Kiosk-Key"
KIOSK_COOKIE = "motcua_kiosk"


@dataclass(frozen=True)
class TooManyTickets(Exception):
    retry_after: int
    per_day: bool = False

    def message(self) -> str:
        if self.per_day:
            return _(
                "Địa chỉ mạng này đã lấy %(n)d số thứ tự hôm nay. Nếu ông/bà đang ở bộ phận "
                "một cửa, mời lấy số tại máy lấy số hoặc hỏi cán bộ."
            ) % {"n": settings.QUEUE_TICKETS_PER_ADDRESS_PER_DAY}
        return ngettext(
            "Lấy số quá nhiều lần. Vui lòng thử lại sau %(seconds)d giây.",
            "Lấy số quá nhiều lần. Vui lòng thử lại sau %(seconds)d giây.",
            self.retry_after,
        ) % {"seconds": self.retry_after}


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def kiosk_device_add(*, desk, name: str) -> tuple[KioskDevice, str]:
    """Register a touch screen of ``desk``; returns it and its key (shown once, only its
    hash is kept)."""
    key = secrets.token_urlsafe(24)
    device = KioskDevice.objects.create(
        desk=desk, name=name, key_hash=_hash(key), created_at=clock.now()
    )
    return device, key


def kiosk_device(request, desk) -> KioskDevice | None:
    """The registered, active kiosk of ``desk`` the request comes from (its key in the
    header or the cookie), else None."""
    key = request.headers.get(KIOSK_HEADER) or request.COOKIES.get(KIOSK_COOKIE) or ""
    if not key or len(key) > 100:
        return None
    return KioskDevice.objects.filter(key_hash=_hash(key), desk=desk, is_active=True).first()


def _seconds_to_midnight(now: datetime) -> int:
    local = now.astimezone(VN_TZ)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=VN_TZ)
    return max(1, int((midnight - local).total_seconds()))


@dataclass(frozen=True)
class KioskTicket:
    ticket: Ticket
    waiting_before: int
    estimated_wait_minutes: int

    @property
    def place_url(self) -> str:
        return reverse("tickets:place", args=[self.ticket.token])


def take_limited(request, *, desk, service_id: int, priority=False, priority_reason=""):
    """``ticket_take`` for a client of the public, counted against its address's limits
    (a registered kiosk of the desk is not)."""
    device = kiosk_device(request, desk)
    address = "" if device else rate_limit_key(client_address(request))
    if address:
        count, _seen = counter_store().hit(f"queue:take:{address}", window=MINUTE)
        if count.value > settings.QUEUE_TICKETS_PER_MINUTE:
            raise TooManyTickets(count.retry_after())
        now = clock.now()
        today = now.astimezone(VN_TZ).date()
        taken_today = Ticket.objects.filter(day=today, source=address).count()
        if taken_today >= settings.QUEUE_TICKETS_PER_ADDRESS_PER_DAY:
            raise TooManyTickets(_seconds_to_midnight(now), per_day=True)
    taken = ticket_take(
        desk=desk,
        service_id=service_id,
        priority=priority,
        priority_reason=priority_reason,
        source=address,
        kiosk=device,
    )
    return kiosk_ticket(taken.ticket, taken.waiting_before)


def kiosk_ticket(ticket: Ticket, ahead: int) -> KioskTicket:
    minutes = estimated_wait_minutes(ticket.service, ahead, now=clock.now())
    return KioskTicket(ticket, ahead, minutes)
