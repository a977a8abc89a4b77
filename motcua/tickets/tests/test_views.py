"""The desk floor's pages through HTTP, with named actors: the public kiosk, ticket and board;
the counter and statistics for the desk's officers only (others 404, anonymous to log-in)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import PDF, four_step_procedure
from motcua.tickets.models import Announcement, Ticket, TicketDossier
from motcua.tickets.services import ticket_call_next, ticket_take

pytestmark = pytest.mark.django_db


def test_the_kiosk_gives_a_ticket_with_a_printable_slip_and_a_qr(client, floor):
    page = client.get(reverse("tickets:kiosk", args=[floor.desk.pk]))
    assert page.status_code == 200 and "Hộ tịch" in page.text
    response = client.post(
        reverse("tickets:kiosk", args=[floor.desk.pk]),
        {"service": floor.civil.pk, "priority": "elderly"},
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:print", args=[ticket.token])
    assert ticket.priority and ticket.priority_reason == "elderly"
    slip = client.get(response["Location"])
    assert "1001" in slip.text and "Hộ tịch" in slip.text and "ƯU TIÊN" in slip.text
    assert 'src="data:image/svg+xml' in slip.text  # the QR code
    place = client.get(reverse("tickets:place", args=[ticket.token]))
    assert "Trước bạn còn 0 người" in place.text


def test_the_place_page_shows_no_personal_data_and_follows_the_call(client, floor, alice):
    ticket = ticket_take(desk=floor.desk, service_id=floor.civil.pk).ticket
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    place = client.get(reverse("tickets:place", args=[ticket.token]))
    assert "mời đến quầy số 2" in place.text
    assert "alice" not in place.text.lower()


def test_the_kiosk_is_limited_per_address(client, floor, settings):
    settings.QUEUE_TICKETS_PER_MINUTE = 2
    url = reverse("tickets:kiosk", args=[floor.desk.pk])
    for _ in range(2):
        assert client.post(url, {"service": floor.civil.pk}).status_code == 302
    refused = client.post(url, {"service": floor.civil.pk})
    assert refused.status_code == 422 and "Lấy số quá nhiều lần" in refused.text
    assert Ticket.objects.count() == 2


def test_a_bad_service_at_the_kiosk_is_a_message_not_a_ticket(client, floor):
    response = client.post(reverse("tickets:kiosk", args=[floor.desk.pk]), {"service": "x"})
    assert response.status_code == 422 and "không có dịch vụ" in response.text
    assert not Ticket.objects.exists()


def test_the_board_is_public_and_drawn_by_the_server(client, floor, alice):
    ticket_take(desk=floor.desk, service_id=floor.land.pk)
    ticket_call_next(counter_id=floor.land_only.pk, actor=alice)
    page = client.get(reverse("tickets:board", args=[floor.desk.pk]))
    assert page.status_code == 200
    assert "Mời số 1001 đến quầy số 3" in page.text
    assert 'data-stream-url="/api/v1/queue/board/stream?desk=' in page.text


def counter_url(counter, action=None):
    if action:
        return reverse("counters:act", args=[counter.pk, action])
    return reverse("counters:counter", args=[counter.pk])


def test_the_desk_officer_calls_at_the_counter(client, floor, desk_officer):
    ticket_take(desk=floor.desk, service_id=floor.civil.pk)
    client.force_login(desk_officer)
    assert client.get(counter_url(floor.civil_only)).status_code == 200
    response = client.post(counter_url(floor.civil_only, "goi-tiep"), follow=True)
    assert "Mời số 1001 đến quầy số 2" in response.text
    assert 'id="receive-link"' in response.text
    ticket = Ticket.objects.get()
    client.post(counter_url(floor.civil_only, "goi-lai"), {"confirm": "1", "ticket": ticket.pk})
    client.post(counter_url(floor.civil_only, "xong"))
    assert Ticket.objects.get().status == Ticket.Status.DONE
    assert list(Announcement.objects.values_list("kind", flat=True)) == ["call", "recall"]


@pytest.mark.parametrize(("action", "question"), [
    ("goi-lai", "Gọi lại số 1001 lên màn hình và loa?"),
    ("vang-mat", "Ghi số 1001 vắng mặt?"),
])  # fmt: skip
def test_recall_and_no_show_ask_first_without_javascript(client, floor, alice, desk_officer,
                                                        action, question):  # fmt: skip
    ticket = ticket_take(desk=floor.desk, service_id=floor.civil.pk).ticket
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    client.force_login(desk_officer)
    page = client.get(counter_url(floor.civil_only)).text
    assert '<details class="confirm"' in page and 'name="confirm" value="1"' in page
    asked = client.post(counter_url(floor.civil_only, action))
    assert asked.status_code == 200 and question in asked.text
    assert f'name="ticket" value="{ticket.pk}"' in asked.text
    assert list(Announcement.objects.values_list("kind", flat=True)) == ["call"]
    assert Ticket.objects.get().status == Ticket.Status.CALLED
    # Confirmed for another ticket than the one now served: nothing happens.
    client.post(counter_url(floor.civil_only, action), {"confirm": "1", "ticket": ticket.pk + 1})
    assert Announcement.objects.count() == 1
    assert Ticket.objects.get().status == Ticket.Status.CALLED
    client.post(counter_url(floor.civil_only, action), {"confirm": "1", "ticket": ticket.pk})
    if action == "goi-lai":
        assert list(Announcement.objects.values_list("kind", flat=True)) == ["call", "recall"]
    else:
        assert Ticket.objects.get().status == Ticket.Status.NO_SHOW


@pytest.mark.parametrize("who", ["other_agency_officer", "admin_user", "specialist", "citizen"])
def test_a_counter_is_404_to_anyone_but_its_desk_officers(client, floor, who, request):
    ticket_take(desk=floor.desk, service_id=floor.civil.pk)
    client.force_login(request.getfixturevalue(who))
    assert client.get(counter_url(floor.civil_only)).status_code == 404
    assert client.post(counter_url(floor.civil_only, "goi-tiep")).status_code == 404
    assert Ticket.objects.get().status == Ticket.Status.WAITING


def test_anonymous_is_sent_to_log_in(client, floor):
    for url in (counter_url(floor.both), reverse("counters:statistics"), reverse("counters:list")):
        response = client.get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("desk_officer", 200),
        ("leader", 200),
        ("admin_user", 200),
        ("other_agency_officer", 404),
        ("specialist", 404),
        ("citizen", 404),
    ],
)
def test_statistics_are_for_the_desk_and_its_agencys_leaders(client, floor, who, status, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("counters:statistics"))
    assert response.status_code == status
    if status == 200:
        assert "Số thứ tự mỗi ngày" in response.text and "<svg" in response.text


def test_statistics_show_wait_and_service_times(client, floor, alice, desk_officer, clock):
    from datetime import datetime

    from motcua.tickets.services import ticket_finish
    from motcua.workcalendar.calendar import VN_TZ

    clock(datetime(2026, 11, 23, 9, 0, tzinfo=VN_TZ))
    ticket_take(desk=floor.desk, service_id=floor.civil.pk)
    clock(datetime(2026, 11, 23, 9, 6, tzinfo=VN_TZ))
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    clock(datetime(2026, 11, 23, 9, 15, tzinfo=VN_TZ))
    ticket_finish(counter_id=floor.civil_only.pk, actor=alice)
    client.force_login(desk_officer)
    page = client.get(reverse("counters:statistics")).text
    rows = re.findall(r"<tr><td>Hộ tịch</td><td class=\"num\">1</td><td class=\"num\">([\d,.]+)"
                      r"</td><td class=\"num\">([\d,.]+)</td>", page)  # fmt: skip
    assert rows == [("6,0", "9,0")]


def test_a_dossier_received_from_a_ticket_records_it(client, floor, alice, desk_officer, commune):
    version = four_step_procedure()
    ticket = ticket_take(desk=floor.desk, service_id=floor.civil.pk).ticket
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    client.force_login(desk_officer)
    pick = client.get(reverse("dossiers:receive") + f"?ve={ticket.pk}")
    assert "Tiếp nhận từ số thứ tự 1001" in pick.text
    doc = version.documents.get()
    url = reverse("dossiers:receive") + f"?thu_tuc={version.procedure.code}&ve={ticket.pk}"
    response = client.post(
        url,
        {
            "applicant_type": 1,
            "applicant_name": "Trần Thị Bích",
            "applicant_id_number": "001203004005",
            "applicant_phone": "0987654321",
            "applicant_address": "Xóm 2",
            "deciding_agency": commune.pk,
            "result_delivery": "desk",
            "sets_received": 1,
            f"doc_{doc.pk}": "1",
            "outcome": "receive",
            "files": [SimpleUploadedFile("a.pdf", PDF)],
        },
    )
    assert response.status_code == 302
    link = TicketDossier.objects.get()
    assert link.ticket == ticket and link.dossier == Dossier.objects.get()
    counter_page = client.get(counter_url(floor.civil_only))
    assert link.dossier.code in counter_page.text


def test_a_ticket_of_another_desk_links_nothing(client, floor, desk_officer, other_agency_officer):
    from motcua.agencies.models import Desk
    from motcua.dossiers.access import actor_for_user
    from motcua.tickets.tests.factories import floor_for

    other = floor_for(Desk.objects.get(agency__code="000.02.31.H99"))
    ticket = ticket_take(desk=other.desk, service_id=other.civil.pk).ticket
    ticket_call_next(counter_id=other.civil_only.pk, actor=actor_for_user(other_agency_officer))
    client.force_login(desk_officer)
    pick = client.get(reverse("dossiers:receive") + f"?ve={ticket.pk}")
    assert "Tiếp nhận từ số thứ tự" not in pick.text


def test_the_dossier_page_and_api_show_its_ticket_wait_and_service(
    client, floor, alice, desk_officer, clock
):
    from datetime import datetime

    from motcua.api.services import user_token_create
    from motcua.dossiers.tests.factories import receive
    from motcua.tickets.services import ticket_dossier_attach, ticket_finish
    from motcua.workcalendar.calendar import VN_TZ

    version = four_step_procedure()
    clock(datetime(2026, 11, 23, 9, 0, tzinfo=VN_TZ))
    ticket = ticket_take(desk=floor.desk, service_id=floor.civil.pk).ticket
    clock(datetime(2026, 11, 23, 9, 6, tzinfo=VN_TZ))
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    clock(datetime(2026, 11, 23, 9, 10, tzinfo=VN_TZ))
    dossier = receive(floor.desk, version, actor=desk_officer)
    ticket_dossier_attach(ticket=ticket, dossier=dossier, actor=alice)
    without = receive(floor.desk, version, actor=desk_officer)
    client.force_login(desk_officer)
    token = user_token_create(user=desk_officer, name="Thử")[1]

    def api(d):
        auth = {"Authorization": f"Bearer {token}"}
        answer = client.get(f"/api/v1/dossiers/{d.code}", headers=auth)
        assert answer.status_code == 200
        return answer.json()["queue_ticket"]

    page = client.get(reverse("dossiers:detail", args=[dossier.code])).text
    assert "Số 1001 (Hộ tịch), quầy 2, ngày 23/11/2026" in page
    assert "chờ 6 phút · đang phục vụ" in page
    assert api(dossier)["service_minutes"] is None
    clock(datetime(2026, 11, 23, 9, 19, tzinfo=VN_TZ))
    ticket_finish(counter_id=floor.civil_only.pk, actor=alice)
    page = client.get(reverse("dossiers:detail", args=[dossier.code])).text
    facts, trace = page.split('class="timeline"')
    assert "chờ 6 phút · phục vụ 13 phút" in facts and "chờ 6 phút · phục vụ 13 phút" in trace
    assert api(dossier) == {
        "number": 1001, "day": "2026-11-23", "service": "Hộ tịch", "counter": 2,
        "officer": "Alice",
        "issued_at": "2026-11-23T09:00:00+07:00", "called_at": "2026-11-23T09:06:00+07:00",
        "waiting_minutes": 6, "service_minutes": 13,
    }  # fmt: skip
    # Nothing for a dossier received without a ticket.
    assert (
        'class="queue-ticket"'
        not in client.get(reverse("dossiers:detail", args=[without.code])).text
    )
    assert api(without) is None


def test_the_staff_menu_leads_desk_officers_to_their_counters(client, floor, desk_officer,
                                                              specialist):  # fmt: skip
    client.force_login(desk_officer)
    page = client.get(reverse("dossiers:inbox")).text
    assert f'href="{reverse("counters:list")}" id="menu-counter"' in page
    assert 'id="menu-booking"' not in page  # staff book nothing
    client.force_login(specialist)
    assert 'id="menu-counter"' not in client.get(reverse("dossiers:inbox")).text


def test_the_public_pages_lead_to_booking(client, floor):
    booking = reverse("tickets:booking_index")
    home = client.get(reverse("portal:home")).text
    for where in ("menu-booking", "footer-booking", "home-booking"):
        assert f'href="{booking}" id="{where}"' in home
    lookup = client.get(reverse("portal:lookup")).text
    assert f'href="{booking}" id="menu-booking"' in lookup
