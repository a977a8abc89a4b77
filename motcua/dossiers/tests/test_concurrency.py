"""SPEC §5 under concurrency: run on PostgreSQL (the production database)."""

import threading

import pytest
from django.db import connection, connections

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import four_step_procedure, receive, vn

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite serialises"
)


def at_once(n: int, work) -> list:
    """Run ``work()`` in n threads released together; returns the exceptions they raised."""
    start = threading.Barrier(n)
    errors = []

    def one():
        try:
            start.wait()
            work()
        except Exception as exc:  # collected for the caller to assert
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_50_concurrent_receipts_get_50_consecutive_codes(levels, desk_officer):
    version = four_step_procedure()
    desk = desk_officer.memberships.get().desk
    assert at_once(50, lambda: receive(desk, version, at=vn(2026, 11, 9, 10))) == []
    serials = sorted(
        int(code.rsplit("-", 1)[1]) for code in Dossier.objects.values_list("code", flat=True)
    )
    assert serials == list(range(1, 51))


@pytest.mark.django_db(transaction=True)
def test_same_idempotency_key_sent_twice_at_once_gives_one_dossier(levels, desk_officer, commune):
    import base64
    import json

    from django.test import Client

    from motcua.api.models import ApiKey
    from motcua.dossiers.tests.factories import PDF

    four_step_procedure()
    key = ApiKey.issue(name="Cổng", agency=commune)[1]
    body = json.dumps(
        {
            "procedure": "1.001193",
            "agency": commune.code,
            "applicant": {"name": "Lê Văn Cường", "id_number": "036099001122"},
            "received_at": "2026-11-09T10:00:00+07:00",
            "documents": [
                {
                    "name": "Tờ khai",
                    "filename": "a.pdf",
                    "content_base64": base64.b64encode(PDF).decode(),
                }
            ],
        }
    )
    answers = []

    def send():
        response = Client().post(
            "/api/v1/dossiers",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}", "Idempotency-Key": "same"},
        )
        answers.append((response.status_code, response.json().get("code")))

    assert at_once(2, send) == []
    assert sorted(status for status, _ in answers) == [200, 201]
    assert len({code for _, code in answers}) == 1
    assert Dossier.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_papers_issued_at_once_get_consecutive_numbers_and_one_paper_per_event(
    levels, desk_officer, leader
):
    """Ten extensions numbered at once take 1…10 of the series; ten first prints of one
    paper at once issue it once (its event came before numbering: issued at first print)."""
    from motcua.dossiers.models import IssuedPaper
    from motcua.dossiers.papers import paper_issue
    from motcua.dossiers.tests.factories import act

    version = four_step_procedure()
    desk = desk_officer.memberships.get().desk
    dossiers = [receive(desk, version, at=vn(2026, 11, 23, 9)) for _ in range(10)]
    pending = iter(dossiers)
    lock = threading.Lock()

    def extend():
        with lock:
            dossier = next(pending)
        act(dossier, "extend", leader, note="Chậm", new_due_at=vn(2026, 12, 1, 10))

    assert at_once(10, extend) == []
    serials = sorted(IssuedPaper.objects.filter(form="04").values_list("serial", flat=True))
    assert serials == list(range(1, 11))
    event = dossiers[0].events.get(action="receive")
    numbers = []
    assert at_once(10, lambda: numbers.append(
        paper_issue(form="05", agency=desk.agency, issued_at=event.at, event=event).number
    )) == []  # fmt: skip
    assert numbers == ["1/TB"] * 10 and IssuedPaper.objects.filter(form="05").count() == 1
