"""SPEC §12.2: the staff API. Every action of the transition table is an API call with an
officer's personal token — done (200, the trace grows), stale (409) or refused (422), and
after a 409 or a 422 nothing has changed; an outsider gets 404 before anything else; the inbox
as JSON; each paper as PDF.

To cover a new action, add its ``Case`` to ``CASES`` (a test fails until every action of the
table has one)."""

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.exceptions import ValidationError

from motcua.api.dossiers import vn_time
from motcua.api.services import user_token_create
from motcua.api.staff import ActionName
from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import procedure_record, publish
from motcua.dossiers import access, papers
from motcua.dossiers.access import SYSTEM
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import Receipt, dossier_submit
from motcua.dossiers.tests.factories import (
    PDF,
    act,
    applicant,
    four_step_procedure,
    receive,
    vn,
)
from motcua.dossiers.trace import audit_verify
from motcua.dossiers.transitions import SYSTEM_ACTIONS, TABLE
from motcua.notifications.models import Notification

API = "/api/v1"


@dataclass
class World:
    desk: object
    four_steps: object  # desk → Tư pháp → leader approves → desk returns
    specialist_decides: object  # desk → Tư pháp decides → desk returns
    people: dict
    tokens: dict = field(default_factory=dict)

    def token(self, name: str) -> str:
        if name not in self.tokens:
            self.tokens[name] = user_token_create(user=self.people[name], name="Thử")[1]
        return self.tokens[name]


@pytest.fixture
def world(desk_officer, specialist, unit_head, leader, other_agency_officer, levels):
    four_steps = four_step_procedure()
    publish(
        procedure_record(
            "9.000001",
            name="Do chuyên viên quyết định",
            steps=[
                {"name": "Tiếp nhận", "role": "desk_officer", "budget_hours": "2"},
                {
                    "name": "Thẩm định, quyết định",
                    "role": "specialist",
                    "unit_function": "tu-phap",
                    "budget_hours": "8",
                },
                {"name": "Trả kết quả", "role": "desk_officer", "budget_hours": "2"},
            ],
        )
    )
    people = {u.username: u for u in (desk_officer, specialist, unit_head, leader,
                                      other_agency_officer)}  # fmt: skip
    return World(
        desk=desk_officer.memberships.get().desk,
        four_steps=four_steps,
        specialist_decides=Procedure.objects.get(code="9.000001").current_version,
        people=people,
    )


def get(client, path, token):
    return client.get(API + path, headers={"Authorization": f"Bearer {token}"})


def post_action(client, dossier_ref, token, body):
    return client.post(
        f"{API}/dossiers/{dossier_ref}/actions",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def state(dossier) -> tuple:
    """Everything an action could change: the row, its trace, the applicant's messages."""
    return (
        Dossier.objects.values().get(pk=dossier.pk),
        DossierEvent.objects.filter(dossier=dossier).count(),
        Notification.objects.count(),
    )


def fresh(dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def iso(moment) -> str | None:
    """A time as the API writes it: Vietnam time with its offset."""
    return vn_time(moment).isoformat() if moment is not None else None


# --- dossiers at each point of their life (alice: desk, bob: Tư pháp, linh: leader) -------


def submitted(w: World) -> Dossier:
    return dossier_submit(desk=w.desk, procedure_version=w.four_steps, actor=SYSTEM,
                          receipt=Receipt(applicant=applicant(), channel=2))  # fmt: skip


def received(w: World) -> Dossier:
    return receive(w.desk, w.four_steps, actor=w.people["alice"])


def at_specialist(w: World) -> Dossier:
    return act(received(w), "forward", w.people["alice"])


def at_leader(w: World) -> Dossier:
    return act(at_specialist(w), "forward", w.people["bob"])


def waiting_applicant(w: World) -> Dossier:
    return act(at_specialist(w), "request_supplement", w.people["bob"], note="Thiếu giấy",
               missing_documents=["Giấy chứng sinh"])  # fmt: skip


def waiting_payment(w: World) -> Dossier:
    return act(at_specialist(w), "request_payment", w.people["bob"], note="Lệ phí")


def specialist_deciding(w: World) -> Dossier:
    dossier = receive(w.desk, w.specialist_decides, actor=w.people["alice"])
    return act(dossier, "forward", w.people["alice"])


def result_ready(w: World) -> Dossier:
    return act(at_leader(w), "approve", w.people["linh"], paper_result=True)


@dataclass
class Case:
    """An action as an officer does it through the API: a dossier where ``who`` may do it,
    and the body besides ``action`` and ``version``. ``refusal`` gives a dossier, who and a
    body that must be refused (default: the same action again, once done)."""

    setup: Callable[[World], Dossier]
    who: str
    body: dict = field(default_factory=dict)
    refusal: Callable[[World, object], tuple[Dossier, str, dict]] | None = None


REASON = {"note": "Lý do ghi rõ"}
PDF_BASE64 = base64.b64encode(PDF).decode()
CASES = {
    "accept": Case(submitted, "alice"),
    "refuse": Case(submitted, "alice", {"note": "Không thuộc thẩm quyền"}),
    "request_completion": Case(
        submitted,
        "alice",
        {"note": "Ảnh chụp mờ", "missing_documents": ["Tờ khai (chụp rõ cả trang)"]},
    ),
    "forward": Case(received, "alice"),
    "send_back": Case(at_specialist, "bob", {"note": "Cần kiểm tra lại giấy tờ"}),
    "request_supplement": Case(
        at_specialist,
        "bob",
        {"note": "Thiếu giấy chứng sinh", "missing_documents": ["Giấy chứng sinh (bản chính)"]},
    ),
    "supplement_received": Case(waiting_applicant, "alice"),
    "request_payment": Case(at_specialist, "bob", {"note": "Lệ phí 8.000 đồng"}),
    "payment_received": Case(waiting_payment, "bob"),
    "approve": Case(
        at_leader,
        "linh",
        {
            "note": "Đồng ý",
            "result_file": {"filename": "quyet-dinh.pdf", "content_base64": PDF_BASE64},
        },
    ),
    "result_ready": Case(specialist_deciding, "bob", {"paper_result": True}),
    # Actions that may be done again are refused to someone who does not hold the step.
    "assign": Case(
        at_specialist,
        "hung",
        {"assignee": "bob"},
        refusal=lambda w, c: (at_specialist(w), "alice", {"assignee": "bob"}),
    ),
    "comment": Case(
        at_specialist,
        "bob",
        {
            "note": "Đủ điều kiện; dự thảo kèm theo",
            "files": [{"filename": "du-thao.pdf", "content_base64": PDF_BASE64}],
        },
        refusal=lambda w, c: (at_specialist(w), "alice", {"note": "Ý kiến"}),
    ),
    "propose_extension": Case(
        at_specialist,
        "bob",
        {"note": "Cần xác minh thêm", "new_due_at": "2026-11-30T10:00:00+07:00"},
        refusal=lambda w, c: (at_specialist(w), "alice", {"note": "Xin gia hạn"}),
    ),
    "extend": Case(
        received, "linh", {"note": "Xin lỗi ông/bà", "new_due_at": "2026-11-30T10:00:00+07:00"}
    ),
    # The leader decides; the specialist who holds it passes it on with the reason (SPEC §4).
    "reject": Case(
        at_specialist, "linh", REASON, refusal=lambda w, c: (at_specialist(w), "bob", REASON)
    ),
    "stop": Case(received, "linh", REASON),
    "withdraw": Case(received, "alice", REASON),
    "return_result": Case(result_ready, "alice", {"returned_to": "Nguyễn Văn An"}),
}


def test_every_action_of_the_table_is_an_api_call_with_a_case_here():
    """All but the applicant's own (completing an online dossier, from their account)."""
    names = set(ActionName.__args__)
    # but those only the system records (a fee paid: payments.services) and the applicant's
    # own (completing an online dossier, from their account's pages)
    assert names == {action.value for action, _status in TABLE if action not in SYSTEM_ACTIONS} - {
        "resubmit"
    }
    assert set(CASES) == names


def test_a_fee_paid_is_no_api_action(client, world):
    """``fee_paid`` is written by the payments service with the payment; posted by an
    officer it is refused before anything, and never offered."""
    dossier = received(world)
    before = state(dossier)
    body = {"action": "fee_paid", "version": dossier.version, "note": "Đã nộp"}
    response = post_action(client, dossier.ref, world.token("alice"), body)
    assert response.status_code == 422 and "action" in response.json()["errors"]
    assert state(dossier) == before


@pytest.mark.parametrize("name", list(CASES))
def test_an_allowed_action_is_done_and_traced(client, world, name):
    case = CASES[name]
    dossier = case.setup(world)
    events = dossier.events.count()
    shown = get(client, f"/dossiers/{dossier.ref}", world.token(case.who)).json()
    assert name in shown["allowed_actions"] and shown["version"] == dossier.version

    body = {"action": name, "version": shown["version"], **case.body}
    response = post_action(client, dossier.ref, world.token(case.who), body)

    assert response.status_code == 200, response.json()
    done = fresh(dossier)
    assert response.json() == {
        "code": done.ref,
        "status": done.status,
        "dvcqg_status": done.dvcqg_status,
        "due_at": iso(done.due_at),
        "version": dossier.version + 1,
    }
    assert done.version == dossier.version + 1
    assert done.status == TABLE[(name, dossier.status)].target
    last = done.events.order_by("-seq").first()
    assert done.events.count() == events + 1
    assert (last.action, last.actor, last.note) == (
        name,
        world.people[case.who],
        case.body.get("note", ""),
    )
    assert audit_verify() == []


@pytest.mark.parametrize("name", list(CASES))
def test_a_stale_version_is_409_and_changes_nothing(client, world, name):
    case = CASES[name]
    dossier = case.setup(world)
    before = state(dossier)
    for stale in (dossier.version - 1, dossier.version + 1):
        body = {"action": name, "version": stale, **case.body}
        response = post_action(client, dossier.ref, world.token(case.who), body)
        assert response.status_code == 409
        assert "phiên bản" in response.json()["detail"]
        assert state(dossier) == before


def _again(world: World, client, name: str) -> tuple[Dossier, str, dict]:
    """The action once done through the API, then the same again on the new version."""
    case = CASES[name]
    dossier = case.setup(world)
    body = {"action": name, "version": dossier.version, **case.body}
    assert post_action(client, dossier.ref, world.token(case.who), body).status_code == 200
    return fresh(dossier), case.who, case.body


@pytest.mark.parametrize("name", list(CASES))
def test_a_refused_action_is_422_and_changes_nothing(client, world, name):
    case = CASES[name]
    dossier, who, extra = (case.refusal or (lambda w, c: _again(w, c, name)))(world, client)
    before = state(dossier)
    body = {"action": name, "version": dossier.version, **extra}
    response = post_action(client, dossier.ref, world.token(who), body)
    assert response.status_code == 422, response.json()
    assert response.json()["detail"] and response.json()["detail"] != "Dữ liệu không hợp lệ."
    assert state(dossier) == before
    assert (
        name
        not in get(client, f"/dossiers/{dossier.ref}", world.token(who)).json()["allowed_actions"]
    )


def test_the_wrong_person_is_refused_with_the_reason(client, world):
    dossier = received(world)  # the desk holds step 1; the leader sees it but does not hold it
    before = state(dossier)
    body = {"action": "forward", "version": dossier.version}
    response = post_action(client, dossier.ref, world.token("linh"), body)
    assert response.status_code == 422
    assert response.json() == {"detail": str(access.FORBIDDEN)}
    assert state(dossier) == before


def test_a_rule_of_due_times_is_422_naming_the_field(client, world):
    dossier = received(world)
    before = state(dossier)
    earlier = dossier.due_at.replace(year=2026, month=11, day=1).isoformat()
    body = {"action": "extend", "version": dossier.version, "note": "Xin lỗi",
            "new_due_at": earlier}  # fmt: skip
    response = post_action(client, dossier.ref, world.token("linh"), body)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"new_due_at"}
    assert response.json()["errors"]["new_due_at"] in response.json()["detail"]
    no_reason = {"action": "reject", "version": dossier.version}
    response = post_action(client, dossier.ref, world.token("linh"), no_reason)
    assert response.status_code == 422 and set(response.json()["errors"]) == {"note"}
    assert state(dossier) == before


def test_a_result_is_a_file_or_paper_never_both(client, world):
    dossier = at_leader(world)
    before = state(dossier)
    body = {"action": "approve", "version": dossier.version, "paper_result": True,
            "result_file": {"filename": "qd.pdf", "content_base64": PDF_BASE64}}  # fmt: skip
    response = post_action(client, dossier.ref, world.token("linh"), body)
    assert response.status_code == 422, response.json()
    assert set(response.json()["errors"]) == {"paper_result"}
    assert state(dossier) == before


def test_a_file_over_the_limit_is_413_and_changes_nothing(client, world, settings):
    settings.ATTACHMENT_MAX_MB = 1
    dossier = at_leader(world)
    before = state(dossier)
    big = base64.b64encode(PDF + b"\0" * 1024 * 1024).decode()
    body = {"action": "approve", "version": dossier.version,
            "result_file": {"filename": "qd.pdf", "content_base64": big}}  # fmt: skip
    response = post_action(client, dossier.ref, world.token("linh"), body)
    assert response.status_code == 413
    assert response.json()["detail"].startswith("Tệp quá lớn: mỗi tệp tối đa 1 MB")
    assert state(dossier) == before


def test_a_working_file_refused_for_its_content_is_named_by_its_place(client, world):
    dossier = at_specialist(world)
    before = state(dossier)
    script = base64.b64encode(b"MZ\x90\x00 not a document").decode()
    body = {"action": "comment", "version": dossier.version, "note": "Dự thảo",
            "files": [{"filename": "du-thao.pdf", "content_base64": PDF_BASE64},
                      {"filename": "chay.exe", "content_base64": script}]}  # fmt: skip
    response = post_action(client, dossier.ref, world.token("bob"), body)
    assert response.status_code == 422, response.json()
    assert set(response.json()["errors"]) == {"files.1.content_base64"}
    assert response.json()["errors"]["files.1.content_base64"] in response.json()["detail"]
    assert state(dossier) == before


LOOSE = [
    {"version": True},
    {"version": "VERSION"},
    {"version": "VERSION.0"},
    {"paper_result": "yes"},
    {"paper_result": 1},
]


@pytest.mark.parametrize("loose", LOOSE)
def test_numbers_and_yes_no_are_json_numbers_and_booleans_only(client, world, loose):
    dossier = at_leader(world)
    before = state(dossier)
    body = {"action": "approve", "version": dossier.version, "paper_result": True}
    for name, value in loose.items():
        if isinstance(value, str) and value.startswith("VERSION"):
            value = value.replace("VERSION", str(dossier.version))
            value = float(value) if "." in value else value
        body[name] = value
    response = post_action(client, dossier.ref, world.token("linh"), body)
    assert response.status_code == 422, response.json()
    assert set(response.json()["errors"]) == set(loose)
    assert state(dossier) == before


@pytest.mark.parametrize("action", ["dance", "receive", "submit", ""])
def test_an_unknown_action_is_422_and_changes_nothing(client, world, action):
    dossier = received(world)
    before = state(dossier)
    response = post_action(
        client, dossier.ref, world.token("alice"), {"action": action, "version": 1}
    )
    assert response.status_code == 422 and "action" in response.json()["errors"]
    assert state(dossier) == before


def test_a_code_typed_in_small_letters_names_the_dossier(client, world):
    dossier = received(world)
    typed = f" {dossier.code.lower()} "
    assert typed.strip() != dossier.code  # the demo codes carry capitals (…H50…)
    assert get(client, f"/dossiers/{typed.strip()}", world.token("alice")).json()["code"] == (
        dossier.code
    )
    body = {"action": "forward", "version": dossier.version}
    assert post_action(client, typed.strip(), world.token("alice"), body).status_code == 200
    client.force_login(world.people["alice"])
    assert client.get(f"/can-bo/ho-so/{typed.strip()}/").status_code == 200
    assert access.dossier_get_visible(access.actor_for_user(world.people["alice"]), ref=typed)


def test_an_outsider_gets_404_before_anything_else(client, world):
    dossier = at_specialist(world)
    before = state(dossier)
    charlie = world.token("charlie")  # the desk officer of another commune
    for body in (
        {"action": "forward", "version": dossier.version},
        {"action": "forward", "version": dossier.version + 5},  # stale: still 404
        {"action": "approve", "version": dossier.version},  # refused: still 404
    ):
        response = post_action(client, dossier.ref, charlie, body)
        assert response.status_code == 404 and response.json() == {
            "detail": "Không tìm thấy hồ sơ."
        }
    assert get(client, f"/dossiers/{dossier.ref}", charlie).status_code == 404
    assert get(client, f"/dossiers/{dossier.ref}/forms/01", charlie).status_code == 404
    assert get(client, "/dossiers/NO-SUCH-1/forms/01", charlie).status_code == 404
    assert state(dossier) == before


def test_a_peer_systems_key_reads_but_does_not_act(client, world, commune):
    from motcua.api.models import ApiKey

    key = ApiKey.issue(name="Cổng tỉnh", agency=commune)[1]
    dossier = received(world)
    before = state(dossier)
    shown = get(client, f"/dossiers/{dossier.ref}", key).json()
    assert shown["allowed_actions"] == [] and shown["version"] == dossier.version
    response = post_action(client, dossier.ref, key, {"action": "forward", "version": 1})
    assert response.status_code == 422
    assert state(dossier) == before
    assert get(client, "/inbox", key).json() == {"items": [], "count": 0, "count_capped": False}


# --- a dossier as the officer sees it -------------------------------------------------------


def test_a_dossier_with_a_token_says_what_this_officer_may_do_now(client, world):
    dossier = at_specialist(world)
    answer = get(client, f"/dossiers/{dossier.code}", world.token("bob")).json()
    assert answer["version"] == 2 and answer["assignee"] is None
    assert answer["allowed_actions"] == ["assign", "comment", "forward", "send_back",
                                         "request_supplement", "request_payment",
                                         "propose_extension"]  # fmt: skip
    assert (answer["step"], answer["step_name"]) == (2, "Thẩm định")
    assert answer["step_due_at"] == iso(dossier.step_due_at)
    assert answer["forms"] == ["01", "06"]
    assert [e["action"] for e in answer["history"]] == ["receive", "forward"]
    assert answer["code"] == dossier.code and answer["applicant"]["name"] == "Nguyễn Văn An"
    alice = get(client, f"/dossiers/{dossier.code}", world.token("alice")).json()
    assert alice["allowed_actions"] == ["withdraw"]  # the desk, once it passed the dossier on
    Dossier.objects.filter(pk=dossier.pk).update(current_assignee=world.people["bob"])
    assert get(client, f"/dossiers/{dossier.code}", world.token("bob")).json()["assignee"] == "bob"


def test_an_online_dossier_is_named_by_its_uid_until_accepted(client, world, clock):
    clock(vn(2026, 11, 23, 10))
    dossier = submitted(world)
    shown = get(client, f"/dossiers/{dossier.uid.hex}", world.token("alice")).json()
    assert shown["code"] == dossier.uid.hex and shown["dvcqg_status"] == 1
    assert shown["received_at"] is None and shown["due_at"] is None and shown["forms"] == []
    assert shown["allowed_actions"] == ["accept", "request_completion", "refuse"]
    inbox = get(client, "/inbox?box=unit", world.token("alice")).json()
    assert [i["code"] for i in inbox["items"]] == [dossier.uid.hex]
    accepted = post_action(
        client, dossier.uid.hex, world.token("alice"), {"action": "accept", "version": 1}
    ).json()
    assert accepted["code"] == fresh(dossier).code and accepted["code"].endswith("-261123-0001")
    # 3 working days from Monday 10:00; Tuesday 24/11 is a holiday from 2026 (SPEC §6).
    assert accepted["dvcqg_status"] == 2 and accepted["due_at"] == "2026-11-27T10:00:00+07:00"


# --- the inbox ----------------------------------------------------------------------------


def test_the_inbox_is_the_pages_inbox_in_due_order(client, world, clock):
    clock(vn(2026, 11, 23, 9))
    late = receive(world.desk, world.four_steps, at=vn(2026, 11, 16, 9))
    soon = receive(world.desk, world.four_steps, at=vn(2026, 11, 20, 9))
    later = receive(world.desk, world.four_steps, at=vn(2026, 11, 23, 9))
    elsewhere = act(received(world), "forward", world.people["alice"])
    answer = get(client, "/inbox?box=unit", world.token("alice")).json()
    assert [i["code"] for i in answer["items"]] == [late.code, soon.code, later.code]
    assert answer["count"] == 3 and answer["count_capped"] is False
    first = answer["items"][0]
    assert first == {
        "code": late.code,
        "procedure": "1.001193",
        "procedure_name": world.four_steps.name,
        "applicant_name": "Nguyễn Văn An",
        "status": "received",
        "dvcqg_status": 2,
        "due_at": "2026-11-19T09:00:00+07:00",
        "step": 1,
        "step_name": "Tiếp nhận, chuyển xử lý",
        "unit": "",
        "step_due_at": "2026-11-16T11:00:00+07:00",
        "assignee": None,
        "extended": False,
        "extension_proposed": False,
    }
    overdue = get(client, "/inbox?box=overdue", world.token("alice")).json()
    assert [i["code"] for i in overdue["items"]] == [late.code]
    bob = get(client, "/inbox", world.token("bob")).json()  # "unit" by default
    assert [i["code"] for i in bob["items"]] == [elsewhere.code]
    assert bob["items"][0]["unit"] == "Tư pháp" and bob["items"][0]["step"] == 2
    assert get(client, "/inbox?box=mine", world.token("bob")).json()["items"] == []
    Dossier.objects.filter(pk=elsewhere.pk).update(current_assignee=world.people["bob"])
    mine = get(client, "/inbox?box=mine", world.token("bob")).json()["items"]
    assert [(i["code"], i["assignee"]) for i in mine] == [(elsewhere.code, "bob")]
    assert get(client, "/inbox", world.token("charlie")).json()["items"] == []
    assert get(client, "/inbox?box=all", world.token("alice")).status_code == 422


def test_the_inbox_count_stops_at_the_pages_cap(client, world, monkeypatch):
    from motcua.dossiers import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    for _ in range(3):
        received(world)
    answer = get(client, "/inbox?box=unit", world.token("alice")).json()
    assert (answer["count"], answer["count_capped"]) == (2, True)
    assert len(answer["items"]) == 3  # the page's first 50, beyond the count's cap


def test_the_inbox_costs_the_same_queries_for_one_or_many(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token = world.token("alice")
    received(world)
    get(client, "/inbox", token)  # the token and the calendars are kept from here on
    with CaptureQueriesContext(connection) as one:
        get(client, "/inbox", token)
    for _ in range(4):
        received(world)
    with CaptureQueriesContext(connection) as five:
        assert len(get(client, "/inbox", token).json()["items"]) == 5
    assert len(five) == len(one)


# --- papers as PDF ------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_each_paper_the_dossier_has_is_a_pdf_from_the_pages_own_renderer(
    client, world, monkeypatch
):
    dossier = received(world)
    rendered = []
    real = papers.dossier_paper

    def spy(d, form, *earlier):
        rendered.append((d.pk, form))
        return real(d, form, *earlier)

    monkeypatch.setattr(papers, "dossier_paper", spy)
    response = get(client, f"/dossiers/{dossier.code}/forms/01", world.token("alice"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert dossier.code in text and "GIẤY TIẾP NHẬN" in text.upper()
    client.force_login(world.people["alice"])
    page = client.get(f"/can-bo/ho-so/{dossier.code}/mau/01/?pdf=1")
    assert page.status_code == 200
    assert rendered == [(dossier.pk, "01"), (dossier.pk, "01")]  # the page: the same function
    assert (
        get(client, f"/dossiers/{dossier.code}/forms/04", world.token("alice")).status_code == 404
    )  # fmt: skip  (not extended)
    assert (
        get(client, f"/dossiers/{dossier.code}/forms/07", world.token("alice")).status_code == 422
    )  # fmt: skip  (the register is no paper of one dossier)


def test_a_paper_appears_when_the_dossier_gets_it(client, world):
    dossier = received(world)
    token = world.token("linh")  # the agency's leader extends (SPEC §6)
    assert get(client, f"/dossiers/{dossier.code}/forms/04", token).status_code == 404
    body = {"action": "extend", "version": dossier.version, **CASES["extend"].body}
    assert post_action(client, dossier.code, token, body).status_code == 200
    assert "04" in get(client, f"/dossiers/{dossier.code}", token).json()["forms"]
    response = get(client, f"/dossiers/{dossier.code}/forms/04", token)
    assert response.status_code == 200 and "30/11/2026" in pdf_text(response.content)


def test_a_superusers_api_reads_are_recorded(client, world, admin_user):
    from motcua.dossiers.models import PersonalDataRead

    dossier = received(world)
    token = user_token_create(user=admin_user)[1]
    assert get(client, f"/dossiers/{dossier.code}", token).status_code == 200
    assert get(client, f"/dossiers/{dossier.code}/forms/06", token).status_code == 200
    reads = list(PersonalDataRead.objects.values_list("user__username", "what"))
    assert reads == [("root", "api"), ("root", "paper 06")]


def test_a_token_is_not_a_peer_systems_key(client, world, commune):
    from motcua.api.tests.conftest import dossier_body

    response = client.post(
        f"{API}/dossiers",
        json.dumps(dossier_body(commune.code)),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.token('alice')}", "Idempotency-Key": "k"},
    )
    assert response.status_code == 401
    with pytest.raises(ValidationError):  # and a bad name is refused with its field
        user_token_create(user=world.people["alice"], name="x" * 101)
