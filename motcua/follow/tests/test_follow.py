"""Following a dossier from outside (issue 10 item 5, SPEC §3, §12): the look-up page, the
QR link, the API and the kiosk tell in the applicant's words where the dossier is, the
appointment, whether it is late or extended and why, what to complete, the fee due — and
nothing personal, nothing internal."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_public_status, lookup_token, lookup_url
from motcua.dossiers.tests.factories import act, as_actor, vn
from motcua.dossiers.transitions import INTERNAL_ACTIONS, SPECS, Action, public_label
from motcua.follow import kiosk as keypad
from motcua.follow.selectors import dossier_follow
from motcua.follow.tests.fixtures import RIGHT
from motcua.payments.services import payment_record_at_desk

API = "/api/v1/public/dossiers/{}"
#: What the test applicant gave at the desk (``factories.applicant``): never shown.
PERSONAL = ("Nguyễn Văn An", "0912345678", "079123456789", "an@example.vn", "Thôn 1")


def page(client, dossier, **query):
    return client.get(reverse("portal:lookup"), {"code": dossier.code, "verify": RIGHT, **query})


def api(client, dossier):
    return client.get(API.format(dossier.code), {"verify": RIGHT})


# --- the timeline in the applicant's words -----------------------------------------------


def test_every_public_action_has_words_for_the_applicant_and_internal_ones_none():
    for action, spec in SPECS.items():
        if action in INTERNAL_ACTIONS:
            assert spec.public_label is None, action
        else:
            assert spec.public_label, action
    with pytest.raises(ValueError):
        public_label(Action.COMMENT)


def test_a_hand_over_is_named_by_the_step_it_reaches(client, returned):
    steps = dossier_public_status(code=returned.code, verify=RIGHT)["steps"]
    assert [s["label"] for s in steps] == [
        "Đã tiếp nhận hồ sơ",
        "Đang thẩm định",
        "Đang trình lãnh đạo ký duyệt",
        "Đã có kết quả",
        "Đã trả kết quả",
    ]
    for text in (page(client, returned).text, api(client, returned).text):
        assert "Đang thẩm định" in text
        assert "Chuyển bước tiếp theo" not in text and "Phê duyệt, ký kết quả" not in text


def test_a_line_of_the_timeline_names_the_unit_holding_the_step_it_reached(
    client, at_specialist, specialist
):
    """ "Đang thẩm định — Tư pháp": Tư pháp holds it. Forwarded to the leader, the new line is
    not "— Tư pháp" (the unit that sent it, read as the one holding it): the leader's step
    belongs to no unit, so no unit is named; the same on the page, the API and the kiosk."""
    at_leader = act(at_specialist, "forward", specialist)
    steps = dossier_public_status(code=at_leader.code, verify=RIGHT)["steps"]
    assert [(s["label"], s["unit"]) for s in steps] == [
        ("Đã tiếp nhận hồ sơ", ""),
        ("Đang thẩm định", "Tư pháp"),
        ("Đang trình lãnh đạo ký duyệt", ""),
    ]
    shown = kiosk(client, stage="verify", code=at_leader.code, verify=RIGHT, go="lookup").text
    for text in (page(client, at_leader).text, shown):
        assert "Đang thẩm định</span> — Tư pháp" in text or "Đang thẩm định — Tư pháp" in text
        assert "Đang trình lãnh đạo ký duyệt</span> — " not in text
        assert "Đang trình lãnh đạo ký duyệt — " not in text
    assert [s["unit"] for s in api(client, at_leader).json()["steps"]] == ["", "Tư pháp", ""]


def test_the_headline_says_who_holds_it_now(client, received, at_specialist, specialist):
    assert api(client, at_specialist).json()["headline"] == "Đang thẩm định"
    at_leader = act(at_specialist, "forward", specialist)
    assert api(client, at_leader).json()["headline"] == "Đang trình lãnh đạo ký duyệt"
    assert "Đang trình lãnh đạo ký duyệt" in page(client, at_leader).text


def test_internal_work_and_personal_data_never_leave(client, at_specialist, specialist, clock):
    secret = "Nghi vấn giấy tờ giả"
    dossier = act(at_specialist, "comment", specialist, note=secret)
    dossier = act(dossier, "assign", specialist, assignee="bob")
    dossier = act(
        dossier, "propose_extension", specialist, note="Chờ xác minh",
        new_due_at=vn(2026, 11, 16, 10),
    )  # fmt: skip
    answer = api(client, dossier)
    assert [s["action"] for s in answer.json()["steps"]] == ["receive", "forward"]
    shown = [answer.text, page(client, dossier).text, page(client, dossier, t="").text]
    shown.append(client.get(reverse("portal:lookup"), {"t": lookup_token(dossier)}).text)
    for text in shown:
        for word in (secret, "Chờ xác minh", "Phân công", "bob", "Bob", *PERSONAL):
            assert word not in text, word


# --- the appointment, late, extended --------------------------------------------------------


def test_late_when_open_past_the_appointment(client, at_specialist, clock):
    clock(vn(2026, 11, 12, 9, 59))
    assert api(client, at_specialist).json()["late"] is False
    clock(vn(2026, 11, 12, 10, 1))
    assert api(client, at_specialist).json()["late"] is True
    assert "Hồ sơ đã quá ngày giờ hẹn trả." in page(client, at_specialist).text


def test_returned_on_time_is_not_late_later(client, returned, clock):
    clock(vn(2026, 12, 1, 9))
    answer = api(client, returned).json()
    assert answer["late"] is False and answer["headline"] == "Đã trả kết quả"


def test_an_extension_shows_the_first_appointment_and_the_apology(client, at_specialist, leader):
    reason = "Cần xác minh nơi cư trú cũ tại xã khác."
    dossier = act(at_specialist, "extend", leader, note=reason, new_due_at=vn(2026, 11, 16, 10))
    answer = api(client, dossier).json()
    assert answer["extended"] is True and answer["extension_reason"] == reason
    assert answer["original_due_at"].startswith("2026-11-12T10:00")
    assert answer["due_at"].startswith("2026-11-16T10:00")
    text = page(client, dossier).text
    assert reason in text and "<s>10:00 12/11/2026</s>" in text and "10:00 16/11/2026" in text
    assert "Xin lỗi ông/bà: hẹn lại ngày trả kết quả" in text


def test_not_extended_says_nothing_of_it(client, at_specialist):
    answer = api(client, at_specialist).json()
    assert answer["extended"] is False and answer["original_due_at"] is None
    assert answer["extension_reason"] == ""


# --- what to complete ------------------------------------------------------------------------


def test_what_to_complete_is_form_02s_list_while_it_waits(client, at_specialist, specialist):
    missing = ["Giấy xác nhận cư trú", "Bản sao sổ hộ khẩu"]
    dossier = act(at_specialist, "request_supplement", specialist, missing_documents=missing)
    answer = api(client, dossier).json()
    assert answer["missing_documents"] == missing
    assert answer["headline"] == "Cần ông/bà bổ sung giấy tờ"
    assert "<li>Bản sao sổ hộ khẩu</li>" in page(client, dossier).text


# --- the fee, read through the payments app --------------------------------------------------


def test_no_fee_no_line(client, at_specialist):
    Dossier.objects.filter(pk=at_specialist.pk).update(fee_amount=0)
    assert api(client, at_specialist).json()["fee"] is None
    assert "Phí, lệ phí" not in page(client, at_specialist).text


def test_following_reads_the_dossier_once_and_its_payments_only_when_it_has_a_fee(
    at_specialist, django_assert_num_queries
):
    """The look-up is the busiest read (SPEC §12): its one statement gives the fee too, so a
    dossier without a fee costs no other query, and one with a fee one more (its payments)."""
    status = dossier_public_status(code=at_specialist.code, verify=RIGHT)
    with django_assert_num_queries(1):
        follow = dossier_follow(status)
    assert follow["payment"].amount == 8000 and "/thanh-toan/" in follow["payment"].pay_url
    Dossier.objects.filter(pk=at_specialist.pk).update(fee_amount=0)
    status = dossier_public_status(code=at_specialist.code, verify=RIGHT)
    with django_assert_num_queries(0):
        assert dossier_follow(status)["payment"] is None


def test_the_fee_due_is_shown_with_its_pay_link_and_goes_when_paid(
    client, at_specialist, desk_officer
):
    assert at_specialist.fee_amount == 8000
    assert api(client, at_specialist).json()["fee"] == {
        "amount": 8000,
        "state": "unpaid",
        "label": "Chưa nộp",
    }
    text = page(client, at_specialist).text
    assert "8.000" in text and "Chưa nộp" in text and "/thanh-toan/" in text

    at_specialist.refresh_from_db()
    payment_record_at_desk(dossier_id=at_specialist.pk, actor=as_actor(desk_officer))
    assert api(client, at_specialist).json()["fee"]["label"] == "Đã nộp"
    assert "/thanh-toan/" not in page(client, at_specialist).text


# --- the QR link ---------------------------------------------------------------------------


def test_the_qr_link_shows_the_same_timeline(client, at_specialist):
    url = urlsplit(lookup_url(at_specialist))
    shown = client.get(f"{url.path}?{url.query}")
    assert shown.status_code == 200
    assert "Đang thẩm định" in shown.text and at_specialist.code in shown.text


# --- the kiosk at the desk -------------------------------------------------------------------


def kiosk(client, address="203.0.113.9", **data):
    return client.post(reverse("follow:kiosk"), data, REMOTE_ADDR=address)


def test_the_keypad_types_takes_back_and_clears():
    digits = keypad.DIGITS
    assert keypad.keypad_apply("12", "3", allowed=digits, limit=4) == "123"
    assert keypad.keypad_apply("1234", "5", allowed=digits, limit=4) == "1234"
    assert keypad.keypad_apply("12", "x", allowed=digits, limit=4) == "12"
    assert keypad.keypad_apply("12", keypad.BACK, allowed=digits, limit=4) == "1"
    assert keypad.keypad_apply("12", keypad.CLEAR, allowed=digits, limit=4) == ""


def test_the_kiosk_looks_a_dossier_up_in_large_print_step_by_step(client, at_specialist):
    start = client.get(reverse("follow:kiosk"))
    assert start.status_code == 200 and "kiosk.css" in start.text
    assert "no-cache" in start["Cache-Control"] or "max-age=0" in start["Cache-Control"]
    code = at_specialist.code
    typed = kiosk(client, stage="code", code=code[:-1], key=code[-1])
    assert f'value="{code}"' in typed.text
    second = kiosk(client, stage="code", code=code, go="verify")
    assert "Bước 2" in second.text
    pressed = kiosk(client, stage="verify", code=code, verify="567", key="8")
    # The keypad posts a half-typed value: no browser check may hold the form back.
    assert 'value="5678"' in pressed.text and "novalidate" in pressed.text
    shown = kiosk(client, stage="verify", code=code, verify=RIGHT, go="lookup")
    assert shown.status_code == 200 and "Đang thẩm định" in shown.text
    assert "max-age=0" in shown["Cache-Control"]
    for word in PERSONAL:
        assert word not in shown.text


def test_the_kiosk_reads_the_receipts_qr_code_from_the_scanner(client, at_specialist):
    shown = kiosk(client, stage="code", code=lookup_url(at_specialist), go="verify")
    assert shown.status_code == 200 and "Đang thẩm định" in shown.text


def test_a_wrong_value_at_the_kiosk_starts_again_with_the_lookups_limits(client, at_specialist):
    wrong = kiosk(client, stage="verify", code=at_specialist.code, verify="0000", go="lookup")
    assert wrong.status_code == 404 and "Không tìm thấy hồ sơ" in wrong.text
    for n in range(1, 10):
        kiosk(client, stage="verify", code=at_specialist.code, verify=f"{n:04d}", go="lookup",
              address=f"198.51.100.{n}")  # fmt: skip
    locked = kiosk(client, stage="verify", code=at_specialist.code, verify=RIGHT, go="lookup")
    assert locked.status_code == 429 and locked["Retry-After"]


def test_the_kiosk_of_a_desk_starts_the_code_with_its_agency(client, commune):
    shown = client.get(reverse("follow:kiosk"), {"co-quan": commune.code})
    assert f'value="{commune.code}-"' in shown.text
    unknown = client.get(reverse("follow:kiosk"), {"co-quan": "khong-co"})
    assert 'value="khong-co-"' not in unknown.text


def test_the_kiosk_goes_back_to_its_start_when_left_alone(client):
    shown = client.get(reverse("follow:kiosk"))
    assert 'data-idle-seconds="60"' in shown.text and "kiosk.js" in shown.text
    assert 'id="idle-warning"' in shown.text


# --- an online dossier the desk has not accepted: no code yet ------------------------------


@pytest.fixture
def sent_online(version, desk, citizen):
    from motcua.dossiers.services import Receipt, dossier_submit
    from motcua.dossiers.tests.factories import applicant

    return dossier_submit(
        desk=desk, procedure_version=version, actor=as_actor(citizen),
        receipt=Receipt(applicant=applicant(), channel=2),
    )  # fmt: skip


def test_a_dossier_without_a_code_says_so_never_none(client, sent_online, desk_officer):
    assert sent_online.code is None
    url = urlsplit(lookup_url(sent_online))
    shown = client.get(f"{url.path}?{url.query}")
    assert shown.status_code == 200 and "None" not in shown.text
    assert "Chưa có mã hồ sơ" in shown.text
    # The feedback link is not fixed to a code it does not have.
    assert "ho-so=" not in shown.text
    at_kiosk = kiosk(client, stage="code", code=lookup_url(sent_online), go="verify")
    assert at_kiosk.status_code == 200 and "None" not in at_kiosk.text
    assert "Chưa có mã hồ sơ" in at_kiosk.text
    status = dossier_public_status(token=lookup_token(sent_online))
    assert status["code"] == ""
    act(sent_online, "refuse", desk_officer, note="Không thuộc thẩm quyền")
    shown = client.get(f"{url.path}?{url.query}")
    assert "None" not in shown.text and "không được tiếp nhận" in shown.text


def test_messages_before_acceptance_never_write_none(sent_online, desk_officer):
    from motcua.dossiers.messages import message_rows

    act(sent_online, "request_completion", desk_officer, missing_documents=["Tờ khai"])
    for kind in ("submitted", "completion_requested", "received"):
        for row in message_rows(Dossier.objects.get(pk=sent_online.pk), kind):
            assert "None" not in row.subject + row.body, (kind, row.medium)
