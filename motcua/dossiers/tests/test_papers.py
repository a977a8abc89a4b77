"""Which papers a dossier has (SPEC §7) and the control slip drawn from its trace."""

from motcua.dossiers.papers import control_rows, papers_for
from motcua.dossiers.tests.factories import act, receive, vn


def forms(dossier):
    return [number for number, _title in papers_for(dossier)]


def test_papers_follow_the_dossiers_life(version, desk, desk_officer, leader, clock):
    clock(vn(2026, 11, 23, 9))
    dossier = receive(desk, version)
    assert forms(dossier) == ["01", "06"]
    extended = act(dossier, "extend", leader, note="Xin lỗi", new_due_at=vn(2026, 11, 30, 10))
    assert forms(extended) == ["01", "04", "06"]
    rejected = act(receive(desk, version), "reject", leader, note="Không đủ điều kiện")
    assert forms(rejected) == ["01", "03", "06"]
    withdrawn = act(receive(desk, version), "withdraw", desk_officer, note="Xin rút")
    assert forms(withdrawn) == ["01", "05", "06"]
    stopped = act(receive(desk, version), "stop", leader, note="Đã mất")
    assert forms(stopped) == ["01", "05", "06"]


def test_the_control_slip_judges_each_hand_over_against_its_step(
    version, desk, desk_officer, specialist, clock
):
    clock(vn(2026, 11, 23, 8))
    dossier = receive(desk, version, at=vn(2026, 11, 23, 8))  # step 1 due 10:00
    clock(vn(2026, 11, 23, 9))
    dossier = act(dossier, "forward", desk_officer)  # early? same day, before: on time
    clock(vn(2026, 11, 26, 9))  # step 2 (12 h from Mon 9:00) was due Tue 14:30: late
    act(dossier, "forward", specialist)
    outcomes = [row["outcome"] for row in control_rows(dossier)]
    assert outcomes == ["on_time", "late"]
