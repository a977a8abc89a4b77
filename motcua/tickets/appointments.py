"""Appointments: a time slot booked online for a service, cancelled, reminded the day before,
and turned into a ticket at the kiosk with its booking code.

**Slots.** A desk's day is cut into ``SLOT_MINUTES`` slots within its agency's office
sessions (``workcalendar.calendar_get``: seasons, lunch break, holidays and days off closed,
make-up Saturdays open); only whole slots that have not started are offered, up to
``BOOKING_DAYS`` days ahead. **Capacity** of a slot for a service = the active counters
serving it × the slot's length ÷ the service's average time (rounded down): 2 counters,
30 minutes, 10 minutes each → 6 appointments. Walk-ins are served around them.

**Booking** bumps the slot's count by one atomic statement that only succeeds below the
capacity (``SlotBooking``), so the last place cannot be booked twice.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from motcua import clock
from motcua.catalog.text import strip_diacritics
from motcua.clientaddress import client_address, rate_limit_key
from motcua.notifications.services import Contact, outbox_put
from motcua.pgsql import execute_prepared
from motcua.ratelimit.store import counter_store
from motcua.tickets.kiosk import KioskTicket, kiosk_ticket
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


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    capacity: int
    taken: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)


def slot_capacity(service: Service) -> int:
    """Active counters serving ``service`` × slot length ÷ its average time."""
    counters = service.counters.filter(is_active=True).count()
    return counters * SLOT_MINUTES // service.average_minutes


def service_slots(service: Service, day: date) -> list[Slot]:
    """The bookable slots of ``service`` on ``day`` (none on a day off or in the past)."""
    now = clock.now()
    calendar = calendar_get(agency=service.desk.agency)
    capacity = slot_capacity(service)
    if capacity < 1:
        return []
    taken = dict(
        SlotBooking.objects.filter(
            service=service,
            starts_at__gte=datetime.combine(day, time(0), tzinfo=VN_TZ),
            starts_at__lt=datetime.combine(day + timedelta(days=1), time(0), tzinfo=VN_TZ),
        ).values_list("starts_at", "taken")
    )
    taken = {moment.astimezone(VN_TZ): n for moment, n in taken.items()}
    slots = []
    for session in calendar.sessions_on(day):
        start = datetime.combine(day, session.start, tzinfo=VN_TZ)
        end = datetime.combine(day, session.end, tzinfo=VN_TZ)
        while start + timedelta(minutes=SLOT_MINUTES) <= end:
            finish = start + timedelta(minutes=SLOT_MINUTES)
            if start > now:
                slots.append(Slot(start, finish, capacity, taken.get(start, 0)))
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


def _clean_phone(phone: str) -> str:
    digits = "".join(c for c in phone if c.isdigit())
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
    if not name or len(name) > 200:
        errors["name"] = _("Nhập họ tên (tối đa 200 ký tự).")
    if not (phone := _clean_phone(phone)):
        errors["phone"] = _("Nhập số điện thoại di động (9 đến 11 chữ số).")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Địa chỉ thư điện tử không hợp lệ.")
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
        # The moment as the ORM stores it (SQLite: UTC text), so both writers agree.
        moment = SlotBooking._meta.get_field("starts_at").get_db_prep_value(
            slot.starts_at, connection
        )
        if not execute_prepared(_TAKE_PLACE, [service.pk, moment, slot.capacity]):
            raise ValidationError(
                {"starts_at": _("Khung giờ này vừa hết chỗ. Hãy chọn khung giờ khác.")}
            )
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


def appointment_get(*, code: str) -> Appointment | None:
    return (
        Appointment.objects.select_related("service", "desk__agency")
        .filter(code=code.strip().upper()[: CODE_LENGTH * 2])
        .first()
    )


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
            Appointment.objects.select_for_update()
            .filter(code=code.strip().upper()[: CODE_LENGTH * 2], desk=desk)
            .first()
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


# SMS texts without diacritics, as the dossiers' (they fit one message on every phone).
TEXTS = {
    "appointment_booked": "Da dat lich {service} luc {when} tai {desk}. Ma dat lich: {code}. "
    "Nhap ma tai may lay so khi den.",
    "appointment_reminder": "Nhac lich hen {service} luc {when} tai {desk}. Ma dat lich: "
    "{code}. Vui long den dung gio.",
    "appointment_cancelled": "Da huy lich hen {service} luc {when} (ma {code}).",
}


def _message(appointment: Appointment, kind: str) -> None:
    when = appointment.starts_at.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")
    body = TEXTS[kind].format(
        service=strip_diacritics(appointment.service.name)[:40],
        when=when,
        desk=strip_diacritics(appointment.desk.agency.short_name or appointment.desk.name)[:40],
        code=appointment.code,
    )
    outbox_put(
        about=f"appointment:{appointment.code}",
        kind=kind,
        body=body,
        contacts=[
            Contact("sms", appointment.phone),
            Contact("email", appointment.email, f"Lịch hẹn {appointment.code}"),
        ],
    )


def confirmation_token(appointment: Appointment) -> str:
    return signing.dumps(appointment.code, salt="motcua.appointment")


def appointment_from_token(token: str) -> Appointment | None:
    try:
        code = signing.loads(token, salt="motcua.appointment", max_age=BOOKING_DAYS * 86400 * 2)
    except signing.BadSignature:
        return None
    return appointment_get(code=code)
