"""SPEC §12.3: a dossier forwarded by another system with ``"channel": 2`` is submitted, not
received — 201 with ``dvcqg_status`` 1 and ``due_at`` null; the clock starts at ``accept``
(``received_at`` = the acceptance time, ``due_at`` from §6); ``refuse`` → DVCQG 3 with the
reason. It arrives in the desk's inbox as an online dossier from the citizens' form does."""

import json

import pytest

from motcua.api.models import ApiKey
from motcua.api.services import user_token_create
from motcua.api.tests.conftest import dossier_body
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests.factories import four_step_procedure, vn

API = "/api/v1"


@pytest.fixture
def peer(commune, desk_officer, levels):
    four_step_procedure()
    return {
        "key": ApiKey.issue(name="Cổng Dịch vụ công quốc gia", agency=commune)[1],
        "alice": user_token_create(user=desk_officer, name="Ứng dụng")[1],
        "agency": commune.code,
    }


def send(client, peer, idem="dvcqg-1", **overrides):
    body = dossier_body(peer["agency"], channel=2)
    del body["received_at"]  # optional: now by default
    body.update(overrides)
    return client.post(
        f"{API}/dossiers",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {peer['key']}", "Idempotency-Key": idem},
    )


def as_(client, token, method, path, body=None):
    headers = {"Authorization": f"Bearer {token}"}
    if method == "get":
        return client.get(API + path, headers=headers)
    return client.post(
        API + path, json.dumps(body), content_type="application/json", headers=headers
    )


def test_channel_2_is_submitted_and_the_clock_starts_at_accept(client, peer, clock):
    clock(vn(2026, 11, 21, 20, 0))  # a Saturday evening on the national portal
    created = send(client, peer)
    assert created.status_code == 201, created.content
    answer = created.json()
    dossier = Dossier.objects.get()
    assert answer == {
        "code": dossier.uid.hex,  # no code before the desk accepts it
        "status": "submitted",
        "dvcqg_status": 1,
        "received_at": None,
        "due_at": None,
    }
    assert dossier.channel == 2 and dossier.submitted_at == vn(2026, 11, 21, 20, 0)
    assert dossier.attachments.count() == 1
    # The same key again: the same dossier, never a second one.
    again = send(client, peer)
    assert again.status_code == 200 and again.json()["code"] == dossier.uid.hex
    assert Dossier.objects.count() == 1

    inbox = as_(client, peer["alice"], "get", "/inbox?box=unit").json()
    assert [item["code"] for item in inbox["items"]] == [dossier.uid.hex]

    clock(vn(2026, 11, 23, 8, 0))  # Monday, the desk opens
    accepted = as_(client, peer["alice"], "post", f"/dossiers/{dossier.uid.hex}/actions",
                   {"action": "accept", "version": dossier.version})  # fmt: skip
    assert accepted.status_code == 200, accepted.content
    dossier.refresh_from_db()
    assert dossier.received_at == vn(2026, 11, 23, 8, 0)  # the acceptance time
    assert accepted.json()["dvcqg_status"] == 2
    assert accepted.json()["due_at"] == dossier.due_at.astimezone(vn(2026, 1, 1).tzinfo).isoformat()
    # The sender still reads it by the uid it was given, and learns its code.
    shown = as_(client, peer["key"], "get", f"/dossiers/{dossier.uid.hex}").json()
    assert shown["code"] == dossier.code and shown["received_at"] == "2026-11-23T08:00:00+07:00"
    assert shown["due_at"] is not None and shown["channel"] == 2


def test_refused_it_is_dvcqg_3_with_the_reason(client, peer):
    dossier_ref = send(client, peer).json()["code"]
    path = f"/dossiers/{dossier_ref}/actions"
    no_reason = as_(client, peer["alice"], "post", path, {"action": "refuse", "version": 1})
    assert no_reason.status_code == 422
    reason = {"action": "refuse", "version": 1, "note": "Sai cơ quan có thẩm quyền"}
    refused = as_(client, peer["alice"], "post", path, reason)
    assert refused.status_code == 200 and refused.json()["dvcqg_status"] == 3
    shown = as_(client, peer["key"], "get", f"/dossiers/{dossier_ref}").json()
    assert shown["dvcqg_status"] == 3 and shown["due_at"] is None
    assert shown["history"][-1]["note"] == "Sai cơ quan có thẩm quyền"
    assert Dossier.objects.get().status == Status.REFUSED


def test_a_received_at_sent_with_channel_2_is_when_it_was_submitted(client, peer, clock):
    clock(vn(2026, 11, 23, 9, 0))
    created = send(client, peer, received_at="2026-11-22T21:30:00+07:00")
    assert created.status_code == 201 and created.json()["received_at"] is None
    assert Dossier.objects.get().submitted_at == vn(2026, 11, 22, 21, 30)
    future = send(client, peer, idem="dvcqg-2", received_at="2026-11-24T09:00:00+07:00")
    assert future.status_code == 422 and "tương lai" in future.json()["errors"]["received_at"]
    assert Dossier.objects.count() == 1


@pytest.mark.parametrize("channel,status,dvcqg", [(1, "received", 2), (3, "received", 2)])
def test_channels_1_and_3_are_received_at_once(client, peer, channel, status, dvcqg):
    answer = send(client, peer, channel=channel).json()
    assert (answer["status"], answer["dvcqg_status"]) == (status, dvcqg)
    assert answer["received_at"] is not None and answer["due_at"] is not None
