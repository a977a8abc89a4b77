"""Input that once gave a 500 on the desk floor's pages: a NUL byte in a form (PostgreSQL
cannot store or compare it; SQLite would keep it), a value longer than its column, a day
outside the calendar's years (``date + timedelta`` overflows), a digit that ``int`` refuses
("²".isdigit() is true). Each is a 4xx with a Vietnamese message, and nothing is saved."""

from datetime import datetime

import pytest
from django.urls import reverse

from motcua.notifications.models import Notification
from motcua.tickets.models import Appointment, SlotBooking, Ticket
from motcua.tickets.services import ticket_call_next, ticket_take
from motcua.workcalendar.calendar import VN_TZ

pytestmark = pytest.mark.django_db

SLOT = datetime(2026, 11, 24, 9, 0, tzinfo=VN_TZ).isoformat()


def booking_form(floor, **changes):
    return {
        "dich-vu": floor.civil.pk,
        "ngay": "2026-11-24",
        "khung-gio": SLOT,
        "name": "Nguyễn Văn An",
        "phone": "0912345678",
        "email": "",
        **changes,
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "A\x00B", "Nhập họ tên"),
        ("phone", "0912\x00345678", "Nhập số điện thoại"),
        ("email", "a\x00b@example.vn", "Địa chỉ thư điện tử không hợp lệ"),
        ("email", "a" * 247 + "@abc.vn" + "xxxxx", "tối đa 254 ký tự"),  # 259 characters
        ("phone", "０９１２３４５６７８", "Nhập số điện thoại"),  # full-width digits
    ],
)
def test_a_booking_form_with_a_bad_field_is_a_422_and_saves_nothing(
    client, floor, field, value, message
):
    url = reverse("tickets:booking", args=[floor.desk.pk])
    response = client.post(url, booking_form(floor, **{field: value}))
    assert response.status_code == 422
    assert message in response.text
    assert not Appointment.objects.exists() and not SlotBooking.objects.exists()
    assert not Notification.objects.exists()


def test_a_booking_code_with_a_nul_byte_is_refused_at_the_kiosk_and_the_cancel_form(client, floor):
    kiosk = client.post(reverse("tickets:kiosk", args=[floor.desk.pk]), {"booking": "ABC\x00DEF"})
    assert kiosk.status_code == 422 and "Không tìm thấy lịch hẹn" in kiosk.text
    assert not Ticket.objects.exists()
    cancel = client.post(reverse("tickets:booking_cancel"), {"code": "AB\x00C", "verify": "5678"})
    assert cancel.status_code == 422 and "Không tìm thấy lịch hẹn" in cancel.text


def test_a_slot_moment_beyond_the_calendar_is_the_slots_message(client, floor):
    url = reverse("tickets:booking", args=[floor.desk.pk])
    for moment in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:00-12:00"):
        response = client.post(url, booking_form(floor, **{"khung-gio": moment}))
        assert response.status_code == 422 and "Khung giờ này" in response.text
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    "query", ["den=0001-01-01", "den=9999-12-31", "tu=9999-12-31", "tu=0001-01-01"]
)
def test_statistics_for_days_outside_the_calendar_are_a_400(client, floor, desk_officer, query):
    client.force_login(desk_officer)
    response = client.get(reverse("counters:statistics") + "?" + query)
    assert response.status_code == 400
    assert "từ năm 1976 đến hết năm 2100" in response.text


def test_a_superscript_digit_as_the_streams_start_is_ignored(client, floor, alice):
    ticket_take(desk=floor.desk, service_id=floor.civil.pk)
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    for headers, query in (({}, "&after=²"), ({"Last-Event-ID": "٣"}, "")):
        response = client.get(
            f"/api/v1/queue/board/stream?desk={floor.desk.pk}{query}", headers=headers
        )
        assert response.status_code == 200
        # Not a number: the stream starts after the latest call, as with none given.
        assert "event: call" not in response.content.decode()


def test_a_superscript_digit_as_the_ticket_to_receive_from_is_ignored(client, desk_officer):
    client.force_login(desk_officer)
    assert client.get(reverse("dossiers:receive") + "?ve=²").status_code == 200


def test_ids_beyond_the_database_integers_are_messages(client, floor, desk_officer, alice):
    huge = "9" * 30
    kiosk = client.post(reverse("tickets:kiosk", args=[floor.desk.pk]), {"service": huge})
    assert kiosk.status_code == 422 and "không có dịch vụ" in kiosk.text
    ticket_take(desk=floor.desk, service_id=floor.civil.pk)
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    client.force_login(desk_officer)
    url = reverse("counters:act", args=[floor.civil_only.pk, "chuyen"])
    for field in ("to_service", "to_counter"):
        answer = client.post(url, {field: huge}, follow=True)
        assert answer.status_code == 200
    assert Ticket.objects.get().status == Ticket.Status.CALLED  # not transferred
