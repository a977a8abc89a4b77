"""SPEC §5 under concurrency: run on PostgreSQL (the production database)."""

import threading

import pytest
from django.db import connection, connections

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import four_step_procedure, receive, vn

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite serialises"
)


@pytest.mark.django_db(transaction=True)
def test_50_concurrent_receipts_get_50_consecutive_codes(levels, desk_officer):
    version = four_step_procedure()
    desk = desk_officer.memberships.get().desk
    start = threading.Barrier(50)
    errors = []

    def one():
        try:
            start.wait()
            receive(desk, version, at=vn(2026, 11, 9, 10))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    serials = sorted(
        int(code.rsplit("-", 1)[1]) for code in Dossier.objects.values_list("code", flat=True)
    )
    assert serials == list(range(1, 51))
