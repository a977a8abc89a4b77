"""A kiosk flood (one address blocking a desk's queue for a day with fake priority tickets,
taken at night) is stopped: numbers only in the desk's hours, priority only with its reason,
limits per address per day and per desk per day, registered kiosks exempt from the
per-address ones, and the desk's staff cancel unserved tickets in bulk, with a log."""

import json
from datetime import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from motcua.tickets.kiosk import kiosk_device_add
from motcua.tickets.models import Ticket, TicketCancellation, TicketDay
from motcua.tickets.services import ticket_call_next, ticket_take
from motcua.workcalendar.calendar import VN_TZ

pytestmark = pytest.mark.django_db

A, B = "203.0.113.7", "198.51.100.9"


def vn(day, h, m=0):
    return datetime(2026, 11, day, h, m, tzinfo=VN_TZ)


def take(client, floor, address=A, key=None, **body):
    return client.post(
        "/api/v1/queue/tickets",
        json.dumps({"desk": floor.desk.pk, "service": floor.civil.pk, **body}),
        content_type="application/json",
        REMOTE_ADDR=address,
        **({"HTTP_X_KIOSK_KEY": key} if key else {}),
    )


# --- the desk's hours ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "opens"),
    [
        (vn(23, 23, 0), "07:00 25/11/2026"),  # the night; the 24th is a holiday
        (vn(24, 10, 0), "07:00 25/11/2026"),  # Ngày Văn hóa Việt Nam (a day off)
        (vn(25, 6, 59), "07:00 25/11/2026"),  # before the margin
        (vn(25, 12, 0), "12:30 25/11/2026"),  # the lunch break
        (vn(25, 17, 1), "07:00 26/11/2026"),  # closed for the day
        (vn(29, 9, 0), "07:00 30/11/2026"),  # a Sunday
    ],
)
def test_no_ticket_outside_the_desks_hours(client, floor, clock, moment, opens):
    clock(moment)
    refused = take(client, floor)
    assert refused.status_code == 422
    message = refused.json()["errors"]["desk"]
    assert "Ngoài giờ làm việc" in message and opens in message
    kiosk = client.post(reverse("tickets:kiosk", args=[floor.desk.pk]), {"service": floor.civil.pk})
    assert kiosk.status_code == 422 and "Ngoài giờ làm việc" in kiosk.text
    assert not Ticket.objects.exists() and not TicketDay.objects.exists()


@pytest.mark.parametrize("moment", [vn(25, 7, 0), vn(25, 11, 29), vn(25, 12, 30), vn(25, 16, 59)])
def test_tickets_from_half_an_hour_before_each_session_to_its_end(client, floor, clock, moment):
    clock(moment)
    assert take(client, floor).status_code == 201


# --- priority ------------------------------------------------------------------------------


def test_priority_through_the_api_needs_its_reason(client, floor, alice):
    refused = take(client, floor, priority=True)
    assert refused.status_code == 422
    assert "đối tượng ưu tiên" in refused.json()["errors"]["priority_reason"]
    assert take(client, floor, priority=True, priority_reason="nobody").status_code == 422
    assert not Ticket.objects.exists()
    assert take(client, floor, B).status_code == 201
    assert take(client, floor, priority=True, priority_reason="pregnant").status_code == 201
    called = ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    assert called.priority_reason == "pregnant"  # served first, by rule


# --- limits --------------------------------------------------------------------------------


def test_one_address_takes_a_few_tickets_a_day(client, floor, clock, settings):
    settings.QUEUE_TICKETS_PER_ADDRESS_PER_DAY = 3
    for _ in range(3):
        assert take(client, floor).status_code == 201
    refused = take(client, floor)
    assert refused.status_code == 429
    assert "đã lấy 3 số thứ tự hôm nay" in refused.json()["detail"]
    assert int(refused["Retry-After"]) == 15 * 3600  # 09:00 → midnight
    assert take(client, floor, B).status_code == 201  # another address
    clock(vn(25, 9))
    assert take(client, floor).status_code == 201  # a new day


def test_a_registered_kiosk_is_not_limited_per_address(client, floor, settings):
    settings.QUEUE_TICKETS_PER_ADDRESS_PER_DAY = 2
    settings.QUEUE_TICKETS_PER_MINUTE = 2
    _device, key = kiosk_device_add(desk=floor.desk, name="Máy lấy số cửa 1")
    for _ in range(5):
        assert take(client, floor, key=key).status_code == 201
    assert take(client, floor).status_code == 201  # its address, without the key: counted
    assert take(client, floor, key="khong-dung").status_code == 201
    assert take(client, floor).status_code == 429
    # The kiosk page: the key opened once is kept in a cookie.
    kiosk_url = reverse("tickets:kiosk", args=[floor.desk.pk])
    assert client.get(kiosk_url + "?may=sai").status_code == 404
    registered = client.get(kiosk_url + f"?may={key}", REMOTE_ADDR=A)
    assert registered.status_code == 302 and registered["Location"] == kiosk_url
    for _ in range(3):
        page = client.post(kiosk_url, {"service": floor.civil.pk}, REMOTE_ADDR=A)
        assert page.status_code == 302
    assert Ticket.objects.filter(kiosk__isnull=False).count() == 8
    assert not Ticket.objects.filter(kiosk__isnull=False).exclude(source="").exists()


def test_another_desks_key_is_no_kiosk_here(client, floor, settings, other_agency_officer):
    from motcua.tickets.tests.factories import floor_for

    settings.QUEUE_TICKETS_PER_ADDRESS_PER_DAY = 1
    other = floor_for(other_agency_officer.memberships.get().desk)
    _device, key = kiosk_device_add(desk=other.desk, name="Máy xã khác")
    assert take(client, floor, key=key).status_code == 201
    assert take(client, floor, key=key).status_code == 429


def test_a_desk_gives_at_most_its_daily_cap(client, floor, settings):
    settings.QUEUE_TICKETS_PER_DESK_PER_DAY = 2
    assert take(client, floor).status_code == 201
    assert take(client, floor, B).status_code == 201
    refused = take(client, floor, "192.0.2.1")
    assert refused.status_code == 422
    assert "đã phát đủ 2 số thứ tự" in refused.json()["errors"]["desk"]
    assert Ticket.objects.count() == 2 and TicketDay.objects.get().last == 2


def test_the_kiosk_device_command_prints_a_key_once(floor, capsys):
    call_command("kiosk_device_add", desk=floor.desk.pk, name="Máy 2")
    out = capsys.readouterr().out
    key = out.split("Khóa: ")[1].split()[0]
    assert f"?may={key}" in out
    from motcua.tickets.models import KioskDevice

    assert key not in KioskDevice.objects.get().key_hash


# --- cancelling in bulk --------------------------------------------------------------------


def flood(floor):
    for reason in ("elderly", "elderly", ""):
        ticket_take(desk=floor.desk, service_id=floor.civil.pk, priority_reason=reason, source=A)
    return ticket_take(desk=floor.desk, service_id=floor.civil.pk, source=B).ticket


def test_the_desk_cancels_the_unserved_tickets_of_one_address(client, floor, desk_officer, alice):
    citizen = flood(floor)
    url = reverse("counters:cancel")
    client.force_login(desk_officer)
    page = client.get(url)
    assert page.status_code == 200 and A in page.text  # the address that took most
    done = client.post(url, {"bo-phan": floor.desk.pk, "source": A, "reason": "Lấy số ảo"})
    assert done.status_code == 302
    log = TicketCancellation.objects.get()
    assert (log.count, log.officer, log.reason) == (3, desk_officer, "Lấy số ảo")
    assert A in log.criteria
    assert Ticket.objects.filter(status=Ticket.Status.CANCELLED, cancellation=log).count() == 3
    assert "Lấy số ảo" in client.get(url).text  # the log
    called = ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    assert called == citizen  # nobody ahead any more


def test_cancel_the_priority_tickets_nobody_checked(client, floor, desk_officer, alice):
    flood(floor)
    client.force_login(desk_officer)
    client.post(
        reverse("counters:cancel"),
        {"bo-phan": floor.desk.pk, "priority_only": "1", "reason": "Ưu tiên không có thật"},
    )
    assert TicketCancellation.objects.get().count == 2
    assert not Ticket.objects.filter(priority=True, status=Ticket.Status.WAITING).exists()
    assert Ticket.objects.filter(status=Ticket.Status.WAITING).count() == 2


def test_cancel_by_the_time_they_were_taken_spares_a_called_one(
    client, floor, desk_officer, clock, alice
):
    clock(vn(23, 8, 0))
    early = ticket_take(desk=floor.desk, service_id=floor.civil.pk, source=B).ticket
    clock(vn(23, 8, 30))
    flood(floor)
    clock(vn(23, 9, 0))
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)  # a priority one, first
    client.force_login(desk_officer)
    client.post(
        reverse("counters:cancel"),
        {"bo-phan": floor.desk.pk, "from": "08:15", "to": "08:45", "reason": "Tràn số"},
    )
    early.refresh_from_db()
    assert early.status != Ticket.Status.CANCELLED
    # Of 08:30's four, the one being served stays; the others are cancelled.
    assert TicketCancellation.objects.get().count == 3
    assert Ticket.objects.filter(status=Ticket.Status.CALLED).count() == 1


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"source": A}, "Ghi lý do hủy số"),
        ({"reason": "Hủy hết"}, "Chọn ít nhất một điều kiện"),
        ({"source": "a\x00b", "reason": "x"}, "Địa chỉ mạng không hợp lệ"),
        ({"from": "10:00", "to": "09:00", "reason": "x"}, "phải sau thời điểm đầu"),
    ],
)
def test_a_bulk_cancel_needs_a_reason_and_a_criterion(client, floor, desk_officer, form, message):
    flood(floor)
    client.force_login(desk_officer)
    refused = client.post(reverse("counters:cancel"), {"bo-phan": floor.desk.pk, **form})
    assert refused.status_code == 422 and message in refused.text
    assert not TicketCancellation.objects.exists()
    assert not Ticket.objects.filter(status=Ticket.Status.CANCELLED).exists()


@pytest.mark.parametrize(("who", "status"), [("leader", 200), ("other_agency_officer", 404)])
def test_who_may_cancel(client, floor, request, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("counters:cancel")).status_code == status


def test_anonymous_is_sent_to_log_in(client, floor):
    assert client.get(reverse("counters:cancel")).status_code == 302


def test_the_demo_seeds_its_tickets_at_night_too(clock):
    """``make run`` after hours: the demo's tickets are seeded, the kiosk keeps the hours."""
    from motcua.demodata.province import load_demo

    clock(vn(23, 23, 0))
    load_demo()
    assert Ticket.objects.count() == 5
