"""The leaders' day tallies (ADR 0023): kept by the receipt and ``dossier_apply`` in their own
transaction, equal to a recount after a life of dossiers; ``recount_indicators`` finds a
planted difference and repairs it. (The figures read from them are compared with plain
Python in ``reports/tests/test_figures.py``.)"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from motcua.dossiers.models import DayTally, Dossier
from motcua.dossiers.tallies import tallies_recount
from motcua.dossiers.tests.factories import act, receive, vn
from motcua.dossiers.tests.test_concurrency import at_once


def a_life(version, desk, desk_officer, specialist, leader, clock):
    """Dossiers received, finished early, late, sent back twice, withdrawn, still open."""

    def received(hour, **receipt):
        clock(vn(2026, 11, 2, hour))
        return receive(desk, version, actor=desk_officer, **receipt)

    early, late, twice, gone = received(10), received(11), received(14, channel=3), received(15)
    for dossier in (early, late, twice):
        act(act(dossier, "forward", desk_officer), "forward", specialist)
    clock(vn(2026, 11, 3, 9))
    act(early, "approve", leader, paper_result=True)
    act(gone, "withdraw", desk_officer, note="Công dân rút hồ sơ")
    for day in (3, 4):
        clock(vn(2026, 11, day, 10))
        act(twice, "request_supplement", leader, note="Thiếu giấy",
            missing_documents=["Giấy chứng sinh"])  # fmt: skip
        clock(vn(2026, 11, day, 15))
        act(twice, "supplement_received", desk_officer)
    clock(vn(2026, 11, 12, 9))
    act(late, "approve", leader, paper_result=True)
    act(late, "return_result", desk_officer, returned_to="Nguyễn Văn An")
    receive(desk, version, actor=desk_officer)  # still open


@pytest.mark.django_db
def test_tallies_equal_a_recount_after_a_life_of_dossiers(
    version, desk, desk_officer, specialist, leader, clock
):
    a_life(version, desk, desk_officer, specialist, leader, clock)
    kept = {(t.day, t.received, t.finished_early, t.finished_late) for t in DayTally.objects.all()}
    assert (vn(2026, 11, 2).date(), 4, 0, 0) in kept
    assert (vn(2026, 11, 3).date(), 0, 1, 0) in kept
    assert (vn(2026, 11, 12).date(), 1, 0, 1) in kept
    assert tallies_recount().differences == []
    out = StringIO()
    call_command("recount_indicators", stdout=out)
    assert "không có chênh lệch" in out.getvalue()


@pytest.mark.django_db
def test_recount_finds_a_planted_difference_and_repairs_it(
    version, desk, desk_officer, specialist, leader, clock
):
    a_life(version, desk, desk_officer, specialist, leader, clock)
    planted = DayTally.objects.get(day=vn(2026, 11, 2).date())
    DayTally.objects.filter(pk=planted.pk).update(received=planted.received + 3)
    with pytest.raises(CommandError, match="1 dòng tổng hợp lệch"):
        call_command("recount_indicators", stdout=StringIO())
    ((key, kept, counted),) = tallies_recount().differences
    assert key[2] == planted.day and (kept["received"], counted["received"]) == (7, 4)
    out = StringIO()
    call_command("recount_indicators", "--repair", stdout=out)
    assert "Đã sửa 1 dòng" in out.getvalue()
    assert DayTally.objects.get(pk=planted.pk).received == 4
    assert tallies_recount().differences == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_receipts_and_status_changes_at_once_lose_no_count(
    levels, desk_officer, specialist, leader
):
    from motcua.dossiers.tests.factories import four_step_procedure

    version = four_step_procedure()
    desk = desk_officer.memberships.get().desk
    at = vn(2026, 11, 9, 10)
    assert at_once(20, lambda: receive(desk, version, at=at)) == []
    assert DayTally.objects.get(day=at.date()).received == 20
    dossiers = iter(Dossier.objects.filter(receiving_desk=desk))
    assert at_once(20, lambda: act(next(dossiers), "withdraw", desk_officer, note="Rút")) == []
    assert tallies_recount().differences == []
    assert sum(DayTally.objects.values_list("open_on_time_change", flat=True)) == 0
