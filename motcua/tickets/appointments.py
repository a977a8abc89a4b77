"""Appointments: a time slot booked online for a service, cancelled, reminded the day before,
and turned into a ticket at the kiosk with its booking code.

**Slots.** A desk's day is cut into ``SLOT_MINUTES`` slots within its agency's office
sessions (``workcalendar.calendar_get``: seasons, lunch break, holidays and days off closed,
make-up Saturdays open); only whole slots that have not started are offered, up to
``BOOKING_DAYS`` days ahead. **Capacity** of a slot for a service = the active counters
serving it × the slot's length ÷ the service's average time (rounded down): 2 counters,
30 minutes, 10 minutes each → 6 appointments. Walk-ins are served around them.

**Shared counters.** A counter serving two services gives its 30 minutes once, not to
each: a booking must also fit the counters it shares with the other services' bookings of
that slot. For every group of services booked in the slot (with the new one), their booked
minutes may not exceed 30 × the counters that serve any of them (``slot_room``). 3 counters
(90 minutes), civil on 1 and 2 (10 min), land on 1 and 3 (20 min): 6 civil and 3 land
would need 120 minutes and are no longer accepted.

**Booking** locks the desk's row, checks the slot's room, and bumps the service's count by
one atomic statement that only succeeds below its capacity (``SlotBooking``), so the last
place cannot be booked twice. One phone number or e-mail address books at most
``APPOINTMENTS_PER_CONTACT_PER_DAY`` appointments a day (each sends it a message).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import combinations

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from motcua import clock
from motcua.agencies.models import Desk
from motcua.clientaddress import client_address, rate_limit_key
from motcua.notifications.services import Contact, outbox_put
from motcua.pgsql import execute_prepared
from motcua.ratelimit.store import counter_store
from motcua.tickets.kiosk import KioskTicket, kiosk_ticket
from motcua.tickets.messages import message_data
from motcua.tickets.models import Appointment, Service, SlotBooking
from motcua.tickets.services import ticket_take
from motcua.workcalendar.calendar import VN_TZ
from motcua.workcalendar.selectors import calendar_get

SLOT_MINUTES = 30
BOOKING_DAYS = 14
#: Booking codes: 8 letters and digits that cannot be mistaken for one another.
CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"
CODE_LENGTH = 8
#: Check-ins (booking codes typed at a kiosk) and bookings per client address per minute.
CHECK_INS_PER_MINUTE = 10
BOOKINGS_PER_MINUTE = 5
#: Bookings made in one day for one phone number, or one e-mail address (each is a message
#: to it: nobody sends a number a stream of SMS through the booking page).
APPOINTMENTS_PER_CONTACT_PER_DAY = 3


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    capacity: int
    taken: int
    #: How many more the counters it shares with other services can still take.
    room: int = 10**6

    @property
    def free(self) -> int:
        return max(0, min(self.capacity - self.taken, self.room))


def slot_capacity(service: Service) -> int:
    """Active counters serving ``service`` × slot length ÷ its average time."""
    counters = service.counters.filter(is_active=True).count()
    return counters * SLOT_MINUTES // service.average_minutes


@dataclass(frozen=True)
class DeskLoad:
    """The desk's bookable services: their active counters and average minutes."""

    counters: dict[int, frozenset[int]]
    minutes: dict[int, int]

    @classmethod
    def of(cls, desk_id: int) -> DeskLoad:
        counters: dict[int, set[int]] = {}
        minutes = {}
        for service in Service.objects.filter(desk_id=desk_id).prefetch_related("counters"):
            minutes[service.pk] = service.average_minutes
            counters[service.pk] = {c.pk for c in service.counters.all() if c.is_active}
        return cls({k: frozenset(v) for k, v in counters.items()}, minutes)


def slot_room(load: DeskLoad, service_id: int, taken: dict[int, int]) -> int:
    """How many more bookings of ``service_id`` the slot's counters can take, with
    ``taken`` (service → bookings) already in it: for every group of services booked there
    with it, 30 × the counters serving any of them, less their booked minutes, divided by
    the service's minutes (Hall's condition: a group's work fits only its own counters)."""
    others = [s for s, n in taken.items() if n > 0 and s != service_id and s in load.minutes]
    room = None
    for size in range(len(others) + 1):
        for group in combinations(others, size):
            members = (service_id, *group)
            counters = frozenset().union(*(load.counters[s] for s in members))
            booked = sum(taken.get(s, 0) * load.minutes[s] for s in members)
            spare = (len(counters) * SLOT_MINUTES - booked) // load.minutes[service_id]
            room = spare if room is None else min(room, spare)
    return max(0, room or 0)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=VN_TZ)
    return start, start + timedelta(days=1)


def _taken_on(desk_id: int, start: datetime, end: datetime) -> dict[datetime, dict[int, int]]:
    """Bookings per slot start and service of the desk from ``start`` to ``end``."""
    taken: dict[datetime, dict[int, int]] = {}
    rows = SlotBooking.objects.filter(
        service__desk_id=desk_id, starts_at__gte=start, starts_at__lt=end
    ).values_list("starts_at", "service_id", "taken")
    for moment, service_id, n in rows:
        taken.setdefault(moment.astimezone(VN_TZ), {})[service_id] = n
    return taken


def service_slots(service: Service, day: date) -> list[Slot]:
    """The bookable slots of ``service`` on ``day`` (none on a day off or in the past)."""
    now = clock.now()
    calendar = calendar_get(agency=service.desk.agency)
    capacity = slot_capacity(service)
    if capacity < 1:
        return []
    taken = _taken_on(service.desk_id, *_day_bounds(day))
    load = DeskLoad.of(service.desk_id)
    slots = []
    for session in calendar.sessions_on(day):
        start = datetime.combine(day, session.start, tzinfo=VN_TZ)
        end = datetime.combine(day, session.end, tzinfo=VN_TZ)
        while start + timedelta(minutes=SLOT_MINUTES) <= end:
            finish = start + timedelta(minutes=SLOT_MINUTES)
            if start > now:
                here = taken.get(start, {})
                slots.append(
                    Slot(
                        start,
                        finish,
                        capacity,
                        here.get(service.pk, 0),
                        slot_room(load, service.pk, here),
                    )
                )
            start = finish
    return slots


def booking_days(service: Service) -> list[date]:
    """Days from today on, within ``BOOKING_DAYS``, that still have a slot to book."""
    first = clock.now().astimezone(VN_TZ).date()
    days = [first + timedelta(days=i) for i in range(BOOKING_DAYS + 1)]
    return [d for d in days if any(s.free for s in service_slots(service, d))]


_TAKE_PLACE = (
    f"INSERT INTO {SlotBooking._meta.db_table} (service_id, starts_at, taken) VALUES (%s, %s, 1) "
    f"ON CONFLICT (service_id, starts_at) DO UPDATE SET taken = "
    f"{SlotBooking._meta.db_table}.taken + 1 WHERE {SlotBooking._meta.db_table}.taken < %s "
    "RETURNING taken"
)


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


TOO_MANY_FOR_CONTACT = (
    "Hôm nay số điện thoại hoặc thư điện tử này đã được dùng để đặt %(n)d lịch hẹn. "
    "Vui lòng đặt tiếp vào ngày mai hoặc liên hệ bộ phận một cửa."
)


def _booked_today(**contact) -> int:
    """Appointments booked today (cancelled ones too: each sent a message) for a contact."""
    since, _end = _day_bounds(clock.now().astimezone(VN_TZ).date())
    return Appointment.objects.filter(created_at__gte=since, **contact).count()


def _clean_phone(phone: str) -> str:
    digits = "".join(c for c in phone if c in "0123456789")  # not "²" nor "٣"
    return digits if 9 <= len(digits) <= 11 else ""


def appointment_book(
    *, service_id: int, starts_at: datetime, name: str, phone: str, email: str = ""
) -> Appointment:
    """Book ``starts_at`` (the start of a slot offered by ``service_slots``) for one person;
    a confirmation with the booking code is sent. Bad input changes nothing."""
    service = (
        Service.objects.select_related("desk__agency")
        .filter(pk=service_id, is_active=True, bookable=True)
        .first()
    )
    errors = {}
    if service is None:
        raise ValidationError({"service": _("Dịch vụ này không nhận đặt lịch hẹn.")})
    name, email = name.strip(), email.strip()
    name_max = Appointment._meta.get_field("name").max_length
    email_max = Appointment._meta.get_field("email").max_length
    if not name or len(name) > name_max or "\x00" in name:
        errors["name"] = _("Nhập họ tên (tối đa %(n)d ký tự).") % {"n": name_max}
    phone = "" if "\x00" in phone else _clean_phone(phone)
    if not phone:
        errors["phone"] = _("Nhập số điện thoại di động (9 đến 11 chữ số).")
    if phone and _booked_today(phone=phone) >= APPOINTMENTS_PER_CONTACT_PER_DAY:
        errors["phone"] = _(TOO_MANY_FOR_CONTACT) % {"n": APPOINTMENTS_PER_CONTACT_PER_DAY}
    if len(email) > email_max or "\x00" in email:
        errors["email"] = _("Địa chỉ thư điện tử không hợp lệ (tối đa %(n)d ký tự).") % {
            "n": email_max
        }
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Địa chỉ thư điện tử không hợp lệ.")
        else:
            if _booked_today(email__iexact=email) >= APPOINTMENTS_PER_CONTACT_PER_DAY:
                errors["email"] = _(TOO_MANY_FOR_CONTACT) % {"n": APPOINTMENTS_PER_CONTACT_PER_DAY}
    starts_at = starts_at.astimezone(VN_TZ)
    horizon = clock.now().astimezone(VN_TZ).date() + timedelta(days=BOOKING_DAYS)
    slot = None
    if starts_at.date() <= horizon:
        slot = next(
            (s for s in service_slots(service, starts_at.date()) if s.starts_at == starts_at), None
        )
    if slot is None:
        errors["starts_at"] = _("Khung giờ này không còn nhận đặt lịch. Hãy chọn khung giờ khác.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # One booking of the desk at a time: the room of a slot depends on every service's.
        Desk.objects.select_for_update().filter(pk=service.desk_id).first()
        here = _taken_on(
            service.desk_id, slot.starts_at, slot.starts_at + timedelta(minutes=SLOT_MINUTES)
        ).get(slot.starts_at, {})
        full = _("Khung giờ này vừa hết chỗ. Hãy chọn khung giờ khác.")
        if slot_room(DeskLoad.of(service.desk_id), service.pk, here) < 1:
            raise ValidationError({"starts_at": full})
        # The moment as the ORM stores it (SQLite: UTC text), so both writers agree.
        moment = SlotBooking._meta.get_field("starts_at").get_db_prep_value(
            slot.starts_at, connection
        )
        if not execute_prepared(_TAKE_PLACE, [service.pk, moment, slot.capacity]):
            raise ValidationError({"starts_at": full})
        appointment = Appointment.objects.create(
            desk=service.desk,
            service=service,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            code=_new_code(),
            name=name,
            phone=phone,
            email=email,
            created_at=clock.now(),
        )
        _message(appointment, "appointment_booked")
    return appointment


def _code(raw: str) -> str:
    """A booking code as typed (spaces, lower case), or "" when it cannot be one (no code
    holds a NUL byte, which PostgreSQL cannot even compare)."""
    code = raw.strip().upper()
    return "" if "\x00" in code or len(code) > CODE_LENGTH * 2 else code


def appointment_get(*, code: str) -> Appointment | None:
    code = _code(code)
    if not code:
        return None
    return Appointment.objects.select_related("service", "desk__agency").filter(code=code).first()


def appointment_cancel(*, code: str, verify: str) -> Appointment:
    """Cancel a booking that has not started, by its code and the last 4 digits of the phone
    number it was booked with; its place goes back to the slot."""
    appointment = appointment_get(code=code)
    verify = verify.strip()
    if appointment is None or len(verify) != 4 or not appointment.phone.endswith(verify):
        raise ValidationError(_("Không tìm thấy lịch hẹn với mã và số điện thoại này."))
    if appointment.status != Appointment.Status.BOOKED:
        raise ValidationError(_("Lịch hẹn này đã được hủy hoặc đã dùng để lấy số."))
    if appointment.starts_at <= clock.now():
        raise ValidationError(_("Lịch hẹn đã đến giờ, không hủy được nữa."))
    with transaction.atomic():
        changed = Appointment.objects.filter(
            pk=appointment.pk, status=Appointment.Status.BOOKED
        ).update(status=Appointment.Status.CANCELLED, cancelled_at=clock.now())
        if changed:
            SlotBooking.objects.filter(
                service_id=appointment.service_id, starts_at=appointment.starts_at, taken__gt=0
            ).update(taken=F("taken") - 1)
            _message(appointment, "appointment_cancelled")
    appointment.refresh_from_db()
    return appointment


@dataclass(frozen=True)
class CheckInRefused(Exception):
    text: str
    retry_after: int = 0

    def message(self) -> str:
        return self.text


def appointment_check_in(*, desk, code: str) -> KioskTicket:
    """The ticket of a booking, at the kiosk of its desk on its day: served from the slot's
    start, before walk-ins (``selectors.queue_order``). Later than one slot after its end,
    the booking has lapsed and the ticket is an ordinary one."""
    now = clock.now()
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update().filter(code=code, desk=desk).first()
            if (code := _code(code))
            else None
        )
        if appointment is None or appointment.status == Appointment.Status.CANCELLED:
            raise CheckInRefused(_("Không tìm thấy lịch hẹn với mã này tại bộ phận này."))
        if appointment.status == Appointment.Status.CHECKED_IN:
            raise CheckInRefused(_("Mã đặt lịch này đã được dùng để lấy số."))
        local = appointment.starts_at.astimezone(VN_TZ)
        if local.date() != now.astimezone(VN_TZ).date():
            raise CheckInRefused(
                _("Lịch hẹn của ông/bà vào %(when)s, không phải hôm nay.")
                % {"when": f"{local:%H:%M %d/%m/%Y}"}
            )
        lapsed = now > appointment.ends_at + timedelta(minutes=SLOT_MINUTES)
        taken = ticket_take(
            desk=desk,
            service_id=appointment.service_id,
            serve_after=None if lapsed else appointment.starts_at,
        )
        appointment.status, appointment.ticket = Appointment.Status.CHECKED_IN, taken.ticket
        appointment.save(update_fields=["status", "ticket"])
    return kiosk_ticket(taken.ticket, taken.waiting_before)


def appointment_check_in_limited(request, *, desk, code: str) -> KioskTicket:
    """``appointment_check_in`` behind a per-address limit (codes are not to be guessed)."""
    address = rate_limit_key(client_address(request))
    count, _seen = counter_store().hit(f"queue:checkin:{address}", window=60)
    if count.value > CHECK_INS_PER_MINUTE:
        raise CheckInRefused(
            _("Nhập mã quá nhiều lần. Vui lòng thử lại sau %(seconds)d giây.")
            % {"seconds": count.retry_after()},
            count.retry_after(),
        )
    return appointment_check_in(desk=desk, code=code)


def booking_allowed(request) -> int:
    """0 when the client may book or cancel now, else the seconds to wait."""
    address = rate_limit_key(client_address(request))
    count, _seen = counter_store().hit(f"queue:book:{address}", window=60)
    return 0 if count.value <= BOOKINGS_PER_MINUTE else count.retry_after()


def appointment_reminders_send(*, now: datetime | None = None) -> int:
    """Remind, the day before, everyone booked for tomorrow (``manage.py
    send_appointment_reminders``, run daily by cron). Each is reminded once."""
    now = now or clock.now()
    tomorrow = now.astimezone(VN_TZ).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time(0), tzinfo=VN_TZ)
    due = Appointment.objects.select_related("service", "desk__agency").filter(
        status=Appointment.Status.BOOKED,
        reminded_at__isnull=True,
        starts_at__gte=start,
        starts_at__lt=start + timedelta(days=1),
    )
    sent = 0
    for appointment in due:
        with transaction.atomic():
            if Appointment.objects.filter(pk=appointment.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                _message(appointment, "appointment_reminder")
                sent += 1
    return sent


def _message(appointment: Appointment, kind: str) -> None:
    """Queue the message ``kind`` (registered with its templates in ``tickets.messages``)."""
    outbox_put(
        about=f"appointment:{appointment.code}",
        kind=kind,
        data=message_data(appointment),
        contacts=[Contact("sms", appointment.phone), Contact("email", appointment.email)],
    )


def confirmation_token(appointment: Appointment) -> str:
    return signing.dumps(appointment.code, salt="motcua.appointment")


def appointment_from_token(token: str) -> Appointment | None:
    try:
        code = signing.loads(token, salt="motcua.appointment", max_age=BOOKING_DAYS * 86400 * 2)
    except signing.BadSignature:
        return None
    return appointment_get(code=code)
