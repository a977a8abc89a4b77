"""Appointments: slots from office hours and holidays, capacity, booking, cancelling, the
reminder the day before, and check-in at the kiosk."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from motcua.notifications.models import Notification
from motcua.tickets.appointments import (
    CheckInRefused,
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    appointment_reminders_send,
    service_slots,
    slot_capacity,
)
from motcua.tickets.models import Appointment, SlotBooking
from motcua.tickets.services import ticket_call_next, ticket_take
from motcua.workcalendar.calendar import VN_TZ

pytestmark = pytest.mark.django_db


def vn(y, mo, d, h, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=VN_TZ)


def book(floor, at, **kw):
    data = {"name": "Nguyễn Văn An", "phone": "0912 345 678", **kw}
    return appointment_book(service_id=floor.civil.pk, starts_at=at, **data)


def test_capacity_is_counters_times_slot_over_service_time(floor):
    assert slot_capacity(floor.civil) == 2 * 30 // 10  # counters 1 and 2 serve it
    assert slot_capacity(floor.land) == 2 * 30 // 20


def test_slots_follow_office_hours_and_skip_the_past(floor):
    slots = service_slots(floor.civil, date(2026, 11, 23))  # now: Monday 09:00
    starts = [s.starts_at for s in slots]
    assert starts[0] == vn(2026, 11, 23, 9, 30)  # 09:00 has started
    assert vn(2026, 11, 23, 11, 0) in starts and vn(2026, 11, 23, 11, 30) not in starts
    assert starts[-1] == vn(2026, 11, 23, 16, 30)  # afternoon 13:00–17:00
    assert vn(2026, 11, 23, 12, 0) not in starts  # lunch


def test_no_slot_on_a_weekend_or_a_holiday(floor):
    assert service_slots(floor.civil, date(2026, 11, 28)) == []  # Saturday
    assert service_slots(floor.civil, date(2026, 9, 2)) == []  # Quốc khánh (in the past too)
    assert service_slots(floor.civil, date(2027, 1, 1)) == []  # Tết Dương lịch
    assert service_slots(floor.civil, date(2026, 11, 24)) == []  # Ngày Văn hóa (from 2026)


def test_booking_sends_the_code_and_takes_a_place(floor):
    appointment = book(floor, vn(2026, 11, 25, 8, 0), email="an@example.vn")
    assert len(appointment.code) == 8 and appointment.phone == "0912345678"
    assert SlotBooking.objects.get().taken == 1
    bodies = list(Notification.objects.values_list("medium", "kind", "body"))
    assert {m for m, _, _ in bodies} == {"sms", "email"}
    assert all(kind == "appointment_booked" and appointment.code in b for _, kind, b in bodies)


def test_a_full_slot_takes_no_more(floor):
    at = vn(2026, 11, 25, 8, 0)
    for _ in range(3):  # land: 2 counters × 30 / 20 = 3
        appointment_book(service_id=floor.land.pk, starts_at=at, name="B", phone="0912000111")
    with pytest.raises(ValidationError) as refused:
        appointment_book(service_id=floor.land.pk, starts_at=at, name="C", phone="0912000112")
    assert set(refused.value.message_dict) == {"starts_at"}
    for _ in range(6):
        book(floor, at)  # civil: 2 counters × 30 / 10 = 6
    with pytest.raises(ValidationError):
        book(floor, at)
    assert Appointment.objects.filter(service=floor.civil).count() == 6


def test_a_time_that_is_no_slot_is_refused_and_nothing_is_stored(floor):
    for at in (vn(2026, 11, 25, 8, 10), vn(2026, 11, 28, 8, 0), vn(2026, 11, 23, 8, 0)):
        with pytest.raises(ValidationError):
            book(floor, at)
    with pytest.raises(ValidationError) as refused:
        book(floor, vn(2026, 11, 25, 8, 0), name="", phone="12")
    assert set(refused.value.message_dict) == {"name", "phone"}
    assert not Appointment.objects.exists() and not SlotBooking.objects.exists()


def test_cancelling_needs_the_phone_and_gives_the_place_back(floor):
    appointment = book(floor, vn(2026, 11, 25, 8, 0))
    with pytest.raises(ValidationError):
        appointment_cancel(code=appointment.code, verify="0000")
    cancelled = appointment_cancel(code=appointment.code.lower(), verify="5678")
    assert cancelled.status == Appointment.Status.CANCELLED
    assert SlotBooking.objects.get().taken == 0
    with pytest.raises(ValidationError):
        appointment_cancel(code=appointment.code, verify="5678")  # once


def test_the_reminder_goes_the_day_before_once(floor, clock):
    tomorrow = book(floor, vn(2026, 11, 26, 8, 0))
    book(floor, vn(2026, 11, 27, 8, 0))
    Notification.objects.all().delete()
    assert appointment_reminders_send(now=vn(2026, 11, 25, 16, 0)) == 1
    assert appointment_reminders_send(now=vn(2026, 11, 25, 17, 0)) == 0
    reminders = Notification.objects.filter(kind="appointment_reminder")
    assert reminders.count() == 1 and tomorrow.code in reminders.first().body


def test_check_in_gives_a_ticket_served_at_the_booked_time(floor, alice, clock):
    appointment = book(floor, vn(2026, 11, 23, 10, 0))
    clock(vn(2026, 11, 23, 9, 40))
    walk_in = ticket_take(desk=floor.desk, service_id=floor.civil.pk).ticket
    booked = appointment_check_in(desk=floor.desk, code=appointment.code).ticket
    assert booked.serve_after == vn(2026, 11, 23, 10, 0)
    clock(vn(2026, 11, 23, 10, 0))
    later = ticket_take(desk=floor.desk, service_id=floor.civil.pk).ticket
    assert ticket_call_next(counter_id=floor.civil_only.pk, actor=alice) == booked
    assert ticket_call_next(counter_id=floor.civil_only.pk, actor=alice) == walk_in
    assert later.number > booked.number
    with pytest.raises(CheckInRefused):
        appointment_check_in(desk=floor.desk, code=appointment.code)  # used


def test_check_in_on_another_day_or_desk_is_refused(floor, other_agency_officer, clock):
    from motcua.agencies.models import Desk

    appointment = book(floor, vn(2026, 11, 25, 8, 0))
    with pytest.raises(CheckInRefused, match="không phải hôm nay"):
        appointment_check_in(desk=floor.desk, code=appointment.code)
    clock(vn(2026, 11, 25, 7, 50))
    other = Desk.objects.get(agency__code="000.02.31.H99")
    with pytest.raises(CheckInRefused):
        appointment_check_in(desk=other, code=appointment.code)
    assert appointment_check_in(desk=floor.desk, code=appointment.code).ticket.number == 1001


def test_a_lapsed_booking_gives_an_ordinary_ticket(floor, clock):
    appointment = book(floor, vn(2026, 11, 23, 9, 30))
    clock(vn(2026, 11, 23, 10, 31))  # more than one slot after its end
    assert appointment_check_in(desk=floor.desk, code=appointment.code).ticket.serve_after is None


def test_booking_pages(client, floor):
    page = client.get(reverse("tickets:booking", args=[floor.desk.pk]) + "?ngay=2026-11-25")
    assert page.status_code == 200 and "08:00–08:30" in page.text
    response = client.post(
        reverse("tickets:booking", args=[floor.desk.pk]),
        {
            "dich-vu": floor.civil.pk,
            "ngay": "2026-11-25",
            "khung-gio": "2026-11-25T08:00:00+07:00",
            "name": "Trần Thị Bình",
            "phone": "0987654321",
        },
    )
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    done = client.get(response["Location"])
    assert appointment.code in done.text
    cancel = client.post(
        reverse("tickets:booking_cancel"), {"code": appointment.code, "verify": "4321"}
    )
    assert "Đã hủy lịch hẹn" in cancel.text


def test_the_kiosk_checks_a_booking_in(client, floor, clock):
    appointment = book(floor, vn(2026, 11, 23, 10, 0))
    response = client.post(
        reverse("tickets:kiosk", args=[floor.desk.pk]), {"booking": appointment.code}
    )
    assert response.status_code == 302
    assert "Phục vụ theo lịch hẹn từ" in client.get(response["Location"]).text
    again = client.post(
        reverse("tickets:kiosk", args=[floor.desk.pk]), {"booking": appointment.code}
    )
    assert again.status_code == 422 and "đã được dùng" in again.text
