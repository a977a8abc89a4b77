"""Appointments: slots from office hours and holidays, capacity, booking, cancelling, the
reminder the day before, and check-in at the kiosk."""

import contextlib
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
    for i in range(3):  # land: 2 counters × 30 / 20 = 3
        appointment_book(service_id=floor.land.pk, starts_at=at, name="B", phone=f"091200011{i}")
    with pytest.raises(ValidationError) as refused:
        appointment_book(service_id=floor.land.pk, starts_at=at, name="C", phone="0912000119")
    assert set(refused.value.message_dict) == {"starts_at"}
    # civil alone could take 6 (counters 1, 2); counter 1 also serves land, whose 60 minutes
    # leave the three counters 30: three civil ones.
    for i in range(3):
        book(floor, at, phone=f"098700011{i}")
    with pytest.raises(ValidationError):
        book(floor, at, phone="0987000119")
    assert Appointment.objects.filter(service=floor.civil).count() == 3


def test_counters_shared_by_services_are_booked_once(floor):
    """The attacker's trial: slot 09:00 with 3 counters (90 counter-minutes) took 13
    appointments (180 minutes). Civil first now: 6 civil (60 minutes on counters 1, 2) leave
    counter 3 its 30 minutes for land: one land appointment, 80 minutes in all."""
    at = vn(2026, 11, 25, 9, 0)
    day = at.date()
    for i in range(10):
        with contextlib.suppress(ValidationError):
            book(floor, at, phone=f"09870002{i:02d}")
    slot = next(s for s in service_slots(floor.land, day) if s.starts_at == at)
    assert slot.free == 1
    for i in range(10):
        with contextlib.suppress(ValidationError):
            appointment_book(
                service_id=floor.land.pk, starts_at=at, name="B", phone=f"09120003{i:02d}"
            )
    minutes = sum(a.service.average_minutes for a in Appointment.objects.all())
    assert (Appointment.objects.filter(service=floor.civil).count(), minutes) == (6, 80)
    assert minutes <= 3 * 30
    assert all(s.free == 0 for s in service_slots(floor.civil, day) if s.starts_at == at)


def test_one_phone_or_e_mail_books_a_few_a_day(floor, clock):
    for hour in (8, 9, 10):
        book(floor, vn(2026, 11, 25, hour), email="an@example.vn")
    with pytest.raises(ValidationError) as refused:
        book(floor, vn(2026, 11, 25, 14))
    assert "đã được dùng để đặt 3 lịch hẹn" in refused.value.message_dict["phone"][0]
    with pytest.raises(ValidationError) as refused:
        book(floor, vn(2026, 11, 25, 14), phone="0987654321", email=" AN@Example.vn")
    assert set(refused.value.message_dict) == {"email"}
    assert Notification.objects.filter(medium="sms").count() == 3
    clock(vn(2026, 11, 25, 9, 0))  # the next day
    book(floor, vn(2026, 11, 26, 8))


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


def test_appointment_messages_are_templates_with_an_opt_out_link(floor, client, admin_user):
    """Registered kinds like the dossiers' (editable under Mẫu tin nhắn): the SMS without
    diacritics, the e-mail with them, both with the link that stops them."""
    from motcua.notifications.models import MessageTemplate
    from motcua.notifications.services import message_templates_load, opt_out_set
    from motcua.notifications.texts import template_errors

    message_templates_load()
    kinds = {"appointment_booked", "appointment_reminder", "appointment_cancelled"}
    assert kinds <= set(MessageTemplate.objects.values_list("kind", flat=True))
    for kind in kinds:
        for medium in ("sms", "email"):
            row = MessageTemplate.objects.get(kind=kind, medium=medium)
            assert (
                template_errors(kind=kind, medium=medium, subject=row.subject, body=row.body) == {}
            )
    appointment = book(floor, vn(2026, 11, 25, 8, 0), email="an@example.vn")
    sms = Notification.objects.get(medium="sms")
    email = Notification.objects.get(medium="email")
    assert "/tu-choi/" in sms.body and sms.body.isascii()
    assert "/tu-choi/" in email.body and "Kính gửi ông/bà Nguyễn Văn An" in email.body
    assert (
        "Hộ tịch" in email.body
        and email.subject == f"Lịch hẹn {appointment.code}: Hộ tịch lúc 08:00 25/11/2026"
    )
    # An administrator's edit is what goes out.
    row = MessageTemplate.objects.get(kind="appointment_cancelled", medium="sms")
    client.force_login(admin_user)
    url = reverse("admin:notifications_messagetemplate_change", args=[row.pk])
    answer = client.post(url, {"subject": "", "body": "Lich {code} da huy. Dung: {opt_out_url}"})
    assert answer.status_code == 302
    appointment_cancel(code=appointment.code, verify="5678")
    cancelled = Notification.objects.get(kind="appointment_cancelled", medium="sms")
    assert cancelled.body.startswith(f"Lich {appointment.code} da huy. Dung: http")
    # The number stops them.
    opt_out_set(medium="sms", recipient="0912345678", stopped=True)
    assert not Notification.objects.filter(kind="appointment_booked", required=True).exists()
