"""One description, two writers (ADR 0008): the rows of a receipt are described once
(``receipt_rows``) and written by the ORM or by the one PostgreSQL statement. On PostgreSQL,
the same receipts go through both and every row of every table must come out the same."""

import copy

import pytest
from django.db import connection, transaction
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.dossiers.access import SYSTEM
from motcua.dossiers.models import (
    Attachment,
    Dossier,
    DossierCodeCounter,
    DossierDocument,
    DossierEvent,
    ReceiptKey,
    Status,
)
from motcua.dossiers.services import receipt as receipts
from motcua.dossiers.tests.factories import PDF, PNG, applicant, vn
from motcua.dossiers.transitions import Action
from motcua.notifications.models import Notification

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement writer is PostgreSQL's"
)

TABLES = [Dossier, DossierDocument, Attachment, DossierEvent, Notification, ReceiptKey,
          DossierCodeCounter]  # fmt: skip


def snapshot() -> dict:
    """Every row of the tables a receipt writes, without the ids the database gives."""
    rows = {}
    for model in TABLES:
        values = [
            {k: v for k, v in row.items() if k not in ("id", "dossier_id")}
            for row in model.objects.values()
        ]
        rows[model.__name__] = sorted(values, key=repr)
    return rows


class Rollback(Exception):
    pass


def written_by(writer, rows, submission) -> dict:
    own = copy.deepcopy(rows)
    with pytest.raises(Rollback), transaction.atomic():
        writer(own, submission)
        found = snapshot()
        assert own.dossier.pk is not None and not own.dossier.code.startswith("{code")
        raise Rollback
    return found


@pytest.mark.parametrize("code_format", list(Agency.CodeFormat))
@pytest.mark.parametrize("with_key", [False, True])
def test_both_writers_write_the_same_rows(version, desk, monkeypatch, clock, code_format, with_key):
    clock(vn(2026, 11, 23, 9))
    frozen = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: frozen)  # auto_now_add columns
    Agency.objects.filter(pk=desk.agency_id).update(dossier_code_format=code_format)
    desk.agency.refresh_from_db()
    receipt = receipts.Receipt(
        applicant=applicant(),
        documents=[(version.documents.get().pk, "Tờ khai", 1, 0), (None, "Ảnh", 0, 2)],
        files=[receipts.IncomingFile("to-khai.pdf", PDF), receipts.IncomingFile("a.png", PNG)],
        received_at=vn(2026, 11, 23, 8, 30),
    )
    submission = (
        receipts.SubmissionKey(sender="api:1", key="k-1", request_hash="h") if with_key else None
    )
    dossier = receipts._new_dossier(
        desk=desk, version=version, receipt=receipt, deciding=desk.agency, status=Status.RECEIVED
    )
    receipts.start_clock(dossier, received_at=receipt.received_at)
    rows = receipts.receipt_rows(
        dossier, receipt, actor=SYSTEM, action=Action.RECEIVE, submission=submission, saved=[]
    )
    by_orm = written_by(receipts._write_orm, rows, submission)
    by_statement = written_by(receipts._write_pg, rows, submission)
    assert by_orm == by_statement
    assert len(by_orm["Dossier"]) == 1 and len(by_orm["Attachment"]) == 2
    assert len(by_orm["Notification"]) == 2 and len(by_orm["ReceiptKey"]) == int(with_key)
    code = by_orm["Dossier"][0]["code"]
    assert all(code in n["body"] for n in by_orm["Notification"])
