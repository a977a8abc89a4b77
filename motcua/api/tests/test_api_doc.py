"""docs/api.md's table of the staff API's actions says what the code does: every action name
staff may send, every field of the request, and which actions need a note."""

import re
from pathlib import Path

from motcua.api.staff import STAFF_ACTIONS, ActionIn
from motcua.dossiers.transitions import SPECS

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"


def action_table() -> dict[str, str]:
    text = DOC.read_text()
    table = text[text.index("### An action: `POST /api/v1/dossiers/{code}/actions`") :]
    table = table[: table.index("\n\n- `200")]
    rows = {}
    for line in table.splitlines():
        if match := re.match(r"\| (`[^|]+`) \| (.+) \|$", line):
            for name in re.findall(r"`(\w+)`", match[1]):
                rows[name] = match[2]
    return rows


def test_every_field_of_an_action_request_has_its_row():
    assert set(action_table()) == set(ActionIn.model_fields)


def test_every_action_staff_may_send_is_named():
    named = set(re.findall(r"`(\w+)`", action_table()["action"]))
    assert set(STAFF_ACTIONS) <= named
    assert named - set(STAFF_ACTIONS) <= {"resubmit", "fee_paid", "missing_documents", "files",
                                          "extend", "STAFF_ACTIONS"}  # fmt: skip


def test_the_actions_that_need_a_note_are_those_of_the_table():
    required = {a for a in STAFF_ACTIONS if SPECS[a].note_required}
    named = set(re.findall(r"`(\w+)`", action_table()["note"].split(")")[0]))
    assert named == required
