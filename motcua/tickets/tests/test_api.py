"""SPEC §12.4 through HTTP: tickets, desks, the counter's next call, the board and its stream."""

import json
import re

import pytest
from django.test import Client

from motcua.tickets.models import Ticket
from motcua.tickets.services import ticket_call_next, ticket_take

pytestmark = pytest.mark.django_db


def post(client, path, body=None, **headers):
    return client.post(path, json.dumps(body or {}), content_type="application/json", **headers)


def test_a_ticket_is_taken_through_the_api(client, floor):
    response = post(
        client, "/api/v1/queue/tickets", {"desk": floor.desk.pk, "service": floor.land.pk}
    )
    assert response.status_code == 201
    data = response.json()
    assert data["number"] == 1001 and data["service"] == "Đất đai"
    assert data["waiting_before"] == 0 and data["issued_at"].endswith("+07:00")
    assert data["url"].endswith(f"/so-thu-tu/{Ticket.objects.get().token}/")
    second = post(
        client,
        "/api/v1/queue/tickets",
        {"desk": floor.desk.pk, "service": floor.land.pk, "priority": False},
    ).json()
    assert (second["number"], second["waiting_before"]) == (1002, 1)
    # Two counters serve land (1 and 3), 20 minutes each: one person ahead is 10 minutes.
    assert second["estimated_wait_minutes"] == 10
    priority = post(
        client,
        "/api/v1/queue/tickets",
        {
            "desk": floor.desk.pk,
            "service": floor.land.pk,
            "priority": True,
            "priority_reason": "elderly",
        },
    ).json()
    assert priority["waiting_before"] == 0


def test_wrong_tickets_are_refused_and_nothing_is_stored(client, floor, other_agency_officer):
    from motcua.agencies.models import Desk
    from motcua.tickets.tests.factories import floor_for

    other = floor_for(Desk.objects.get(agency__code="000.02.31.H99"))
    missing = post(client, "/api/v1/queue/tickets", {"desk": 999999, "service": floor.land.pk})
    assert missing.status_code == 404
    elsewhere = post(
        client, "/api/v1/queue/tickets", {"desk": floor.desk.pk, "service": other.land.pk}
    )
    assert elsewhere.status_code == 422 and set(elsewhere.json()["errors"]) == {"service"}
    bad = post(client, "/api/v1/queue/tickets", {"desk": "x"})
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"desk", "service"}
    loose = {"desk": str(floor.desk.pk), "service": True, "priority": "no"}
    bad = post(client, "/api/v1/queue/tickets", loose)
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"desk", "service", "priority"}
    assert not Ticket.objects.exists()


def test_tickets_through_the_api_are_limited_per_address(client, floor, settings):
    settings.QUEUE_TICKETS_PER_MINUTE = 1
    body = {"desk": floor.desk.pk, "service": floor.civil.pk}
    assert post(client, "/api/v1/queue/tickets", body).status_code == 201
    refused = post(client, "/api/v1/queue/tickets", body)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert Ticket.objects.count() == 1


def test_desks_list_their_services_and_counters(client, floor):
    desks = client.get("/api/v1/queue/desks").json()
    assert len(desks) == 1
    desk = desks[0]
    assert [s["name"] for s in desk["services"]] == ["Hộ tịch", "Đất đai"]
    assert [(c["number"], len(c["services"])) for c in desk["counters"]] == [(1, 2), (2, 1), (3, 1)]


def next_url(counter):
    return f"/api/v1/queue/counters/{counter.pk}/next"


def test_the_counters_officer_calls_next_then_gets_204(floor, desk_officer):
    ticket_take(desk=floor.desk, service_id=floor.civil.pk)
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk_officer)
    client.get("/can-bo/quay/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    called = client.post(next_url(floor.civil_only), headers={"X-CSRFToken": token})
    assert called.status_code == 200
    assert called.json() == {"number": 1001, "service": "Hộ tịch", "counter": 2}
    nobody = client.post(next_url(floor.civil_only), headers={"X-CSRFToken": token})
    assert nobody.status_code == 204 and nobody.content == b""


def test_a_session_without_its_csrf_token_is_not_enough(floor, desk_officer):
    ticket_take(desk=floor.desk, service_id=floor.civil.pk)
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk_officer)
    assert client.post(next_url(floor.civil_only)).status_code == 401
    assert Ticket.objects.get().status == Ticket.Status.WAITING


@pytest.mark.parametrize("who", ["other_agency_officer", "admin_user", "specialist"])
def test_next_is_404_for_officers_of_other_posts(client, floor, who, request):
    ticket_take(desk=floor.desk, service_id=floor.civil.pk)
    client.force_login(request.getfixturevalue(who))
    assert client.post(next_url(floor.civil_only)).status_code == 404
    assert Ticket.objects.get().status == Ticket.Status.WAITING


def test_next_without_credentials_is_401(client, floor):
    assert client.post(next_url(floor.both)).status_code == 401
    wrong = client.post(next_url(floor.both), headers={"Authorization": "Bearer nothing"})
    assert wrong.status_code == 401


def test_an_officers_personal_token_calls_next_and_stops_once_revoked(client, floor, alice):
    """SPEC §12.4: the counter's officer, by their personal token (SPEC §12.2)."""
    from motcua.api.services import user_token_create, user_token_revoke

    token_row, raw = user_token_create(user=alice.user, name="Quầy")
    ticket_take(desk=floor.desk, service_id=floor.land.pk)
    called = client.post(next_url(floor.land_only), headers={"Authorization": f"Bearer {raw}"})
    assert called.status_code == 200 and called.json()["number"] == 1001
    user_token_revoke(token=token_row)
    again = client.post(next_url(floor.land_only), headers={"Authorization": f"Bearer {raw}"})
    assert again.status_code == 401


def test_the_board_as_json(client, floor, alice):
    ticket_take(desk=floor.desk, service_id=floor.civil.pk)
    ticket_take(desk=floor.desk, service_id=floor.civil.pk)
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    board = client.get(f"/api/v1/queue/board?desk={floor.desk.pk}").json()
    current = {c["number"]: c["current"] and c["current"]["number"] for c in board["counters"]}
    assert current == {1: None, 2: 1001, 3: None}
    assert [e["text"] for e in board["recent"]] == ["Mời số 1001 đến quầy số 2"]
    assert [(w["service"], w["count"]) for w in board["waiting"]] == [
        ("Hộ tịch", 1),
        ("Đất đai", 0),
    ]
    assert board["last_event_id"] == board["recent"][0]["id"]
    assert client.get("/api/v1/queue/board?desk=999999").status_code == 404


def test_the_stream_sends_the_calls_after_the_last_one_seen(client, floor, alice):
    """Under WSGI the stream reads the table and ends at once, for the browser to reconnect
    (it holds no server thread)."""
    ticket_take(desk=floor.desk, service_id=floor.civil.pk)
    ticket_take(desk=floor.desk, service_id=floor.civil.pk)
    first = ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    seen = client.get(f"/api/v1/queue/board?desk={floor.desk.pk}").json()["last_event_id"]
    ticket_call_next(counter_id=floor.both.pk, actor=alice)
    response = client.get(
        f"/api/v1/queue/board/stream?desk={floor.desk.pk}", headers={"Last-Event-ID": str(seen)}
    )
    assert response["Content-Type"].startswith("text/event-stream")
    assert not response.streaming  # one read, then the end
    text = response.content.decode()
    assert text.startswith("retry: 1000\n\n") and text.endswith("event: pause\ndata: {}\n\n")
    events = [json.loads(d) for d in re.findall(r"^event: call\ndata: (.*)$", text, re.M)]
    assert [e["text"] for e in events] == ["Mời số 1002 đến quầy số 1"]
    assert events[0]["waiting"] == {}
    assert f"id: {seen + 1}\nevent: call\n" in text and first.number == 1001


def test_a_new_stream_starts_after_the_latest_call(client, floor, alice):
    ticket_take(desk=floor.desk, service_id=floor.civil.pk)
    ticket_call_next(counter_id=floor.civil_only.pk, actor=alice)
    response = client.get(f"/api/v1/queue/board/stream?desk={floor.desk.pk}")
    assert "event: call" not in response.content.decode()
