"""One-time codes: 6 digits, kept hashed, short-lived, used once, a few tries each, bound to
the session that asked, limited per phone and per address, and the same answers whether a
phone has an account or not."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from motcua.citizens.identifiers import identifier_parse
from motcua.citizens.models import CitizenProfile, OneTimeCode
from motcua.citizens.services import CodeRefused, code_check, code_send
from motcua.notifications.models import Notification

from .conftest import enter_code, last_code, logged_in_as, request_code

pytestmark = pytest.mark.django_db
PHONE = "0987654321"


def test_a_code_is_six_digits_sent_by_sms_without_diacritics_and_stored_only_hashed(client):
    request_code(client, "0987 654 321")
    message = Notification.objects.get(kind="citizen_code")
    code = last_code(PHONE)
    assert message.medium == "sms" and message.recipient == PHONE
    assert message.body.isascii() and "Ma dang nhap" in message.body
    row = OneTimeCode.objects.get()
    assert len(code) == 6 and code not in row.code_hash and row.identifier == PHONE
    assert client.session["citizen_code"]["uid"] == row.uid.hex
    assert code not in str(dict(client.session))  # the browser never holds the code


def test_an_email_code_keeps_its_diacritics(client):
    request_code(client, "An@Example.VN")
    message = Notification.objects.get(kind="citizen_code")
    assert message.medium == "email" and message.recipient == "an@example.vn"
    assert "Mã đăng nhập" in message.body and last_code("an@example.vn") in message.subject


def test_bad_identifiers_are_refused_with_a_message_and_nothing_is_sent(client):
    for bad in ["12345", "abc", "a@b", "+1 555 0100", "0912\x00345678", ""]:
        response = request_code(client, bad)
        assert response.status_code == 200
        errors = response.context["code_form"].errors["identifier"]
        assert errors and not errors[0].isascii(), (bad, errors)  # said in Vietnamese
    assert not Notification.objects.exists() and not OneTimeCode.objects.exists()


def test_a_code_expires(client, clock):
    from motcua import clock as domain

    request_code(client, PHONE)
    code = last_code(PHONE)
    clock(domain.now() + timedelta(minutes=5, seconds=1))
    response = enter_code(client, code)
    assert response.status_code == 400 and "hết hạn" in response.text
    assert logged_in_as(client) is None


def test_a_code_still_works_just_before_it_expires(client, clock):
    from motcua import clock as domain

    request_code(client, PHONE)
    clock(domain.now() + timedelta(minutes=4, seconds=59))
    enter_code(client, last_code(PHONE))
    assert logged_in_as(client) is not None


def test_a_code_guessed_many_times_is_dead_even_for_the_right_value(client):
    request_code(client, PHONE)
    code = last_code(PHONE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    answers = [enter_code(client, wrong) for _ in range(5)]
    assert "còn 4 lần thử" in answers[0].text and "còn 1 lần thử" in answers[3].text
    assert "hết lượt thử" in answers[4].text
    response = enter_code(client, code)  # the right code, too late
    assert response.status_code == 400 and "sai quá nhiều lần" in response.text
    assert logged_in_as(client) is None
    assert OneTimeCode.objects.get().attempts == 5
    assert not CitizenProfile.objects.exists()


def test_a_new_code_gives_new_tries(client):
    request_code(client, PHONE)
    for _ in range(5):
        enter_code(client, "000000" if last_code(PHONE) != "000000" else "111111")
    client.post(reverse("citizens:code"), {"resend": "1"})
    enter_code(client, last_code(PHONE))
    assert logged_in_as(client) is not None


def test_a_code_is_used_once(client):
    request_code(client, PHONE)
    code = last_code(PHONE)
    row = OneTimeCode.objects.get()
    assert code_check(uid=row.uid, purpose=row.purpose, code=code)
    OneTimeCode.objects.update(used_at=row.created_at)
    with pytest.raises(CodeRefused, match="đã được dùng"):
        code_check(uid=row.uid, purpose=row.purpose, code=code)


def test_a_code_serves_only_its_purpose(db):
    row = code_send(identifier=identifier_parse(PHONE), purpose=OneTimeCode.Purpose.SIGN_IN)
    code = last_code(PHONE)
    with pytest.raises(CodeRefused):
        code_check(uid=row.uid, purpose=OneTimeCode.Purpose.RESET, code=code)
    row.refresh_from_db()
    assert row.attempts == 0  # and costs it no try


def test_of_two_requests_with_the_right_code_only_one_uses_it(db):
    """Both passed the check; the second to mark it used is refused (the race's loser)."""
    from motcua.citizens.services import _code_use

    row = code_send(identifier=identifier_parse(PHONE), purpose=OneTimeCode.Purpose.SIGN_IN)
    first = code_check(uid=row.uid, purpose=row.purpose, code=last_code(PHONE))
    second = code_check(uid=row.uid, purpose=row.purpose, code=last_code(PHONE))
    _code_use(first)
    with pytest.raises(CodeRefused, match="đã được dùng"):
        _code_use(second)


def test_a_code_works_only_in_the_browser_that_asked_for_it(client):
    request_code(client, PHONE)
    code = last_code(PHONE)
    stranger = Client()
    response = enter_code(stranger, code)
    assert response.status_code == 302 and response["Location"] == reverse("citizens:login")
    assert logged_in_as(stranger) is None


def test_code_requests_are_limited_per_phone(client, settings):
    settings.CITIZEN_CODES_PER_HOUR = 3
    for n in range(3):
        request_code(Client(REMOTE_ADDR=f"10.0.0.{n}"), PHONE)
    response = request_code(Client(REMOTE_ADDR="10.0.0.9"), PHONE)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "quá nhiều lần" in response.text
    assert Notification.objects.count() == 3
    assert request_code(Client(REMOTE_ADDR="10.0.0.9"), "0987654322").status_code == 302


def test_code_requests_are_limited_per_address(settings):
    settings.CITIZEN_CODES_PER_ADDRESS_PER_HOUR = 3
    client = Client(REMOTE_ADDR="10.0.0.7")
    for n in range(3):
        assert request_code(client, f"098765432{n}").status_code == 302
    response = request_code(client, "0987654329")
    assert response.status_code == 429 and "Retry-After" in response
    assert Notification.objects.count() == 3
    assert request_code(Client(REMOTE_ADDR="10.0.0.8"), "0987654329").status_code == 302


def test_code_tries_are_limited_per_address(client, settings):
    settings.CITIZEN_LOGINS_PER_ADDRESS_PER_MINUTE = 2
    request_code(client, PHONE)
    enter_code(client, "000000")
    enter_code(client, "000000")
    response = enter_code(client, last_code(PHONE))
    assert response.status_code == 429 and "Retry-After" in response
    assert logged_in_as(client) is None


def test_signing_in_answers_the_same_whether_the_phone_has_an_account_or_not(client, citizen):
    known = request_code(Client(), "0912000001")
    unknown = request_code(Client(), PHONE)
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # both got a code, whose message reads the same
    bodies = [m.body.replace(last_code(m.recipient), "######") for m in Notification.objects.all()]
    assert len(bodies) == 2 and bodies[0] == bodies[1]


def test_a_password_reset_answers_the_same_but_sends_only_to_an_account(client, citizen):
    url = reverse("citizens:password_forgot")
    known, unknown = Client(), Client()
    a = known.post(url, {"identifier": "0912000001"})
    b = unknown.post(url, {"identifier": PHONE})
    assert a.status_code == b.status_code == 302 and a["Location"] == b["Location"]
    page_a = known.get(a["Location"]).text.replace("091•••••001", "X")
    page_b = unknown.get(b["Location"]).text.replace("098•••••321", "X")
    strip = [line for line in page_a.splitlines() if "csrf" not in line]
    assert strip == [line for line in page_b.splitlines() if "csrf" not in line]
    assert list(Notification.objects.values_list("recipient", flat=True)) == ["0912000001"]
    # every code is wrong for the phone without an account, and it counts tries the same way
    data = {"code": "123456", "password": "Mot-khau-moi-2026", "password2": "Mot-khau-moi-2026"}
    response = unknown.post(reverse("citizens:password_reset"), data)
    assert response.status_code == 400 and "còn 4 lần thử" in response.text
    assert get_user_model().objects.count() == 1


def test_a_code_reaches_a_phone_that_stopped_the_optional_messages(client):
    from motcua.notifications.services import opt_out_set

    opt_out_set(medium="sms", recipient=PHONE, stopped=True)
    request_code(client, PHONE)
    message = Notification.objects.get(kind="citizen_code")
    assert message.required and "{opt_out_url}" not in message.body
    assert "Ngung nhan" not in message.body


def test_an_administrator_cannot_write_a_code_template_without_the_code(db):
    from motcua.notifications.texts import template_errors

    kept = template_errors(kind="citizen_code", medium="sms", subject="", body="Ma: {code}")
    dropped = template_errors(kind="citizen_code", medium="sms", subject="", body="Xin chao")
    assert kept == {} and "{code}" in dropped["body"]


def test_a_stored_code_template_without_the_code_falls_back_to_the_default(client):
    from motcua.notifications.models import MessageTemplate
    from motcua.notifications.texts import templates_changed

    MessageTemplate.objects.create(kind="citizen_code", medium="sms", body="Xin chao {site}")
    templates_changed()
    request_code(client, PHONE)
    templates_changed()
    assert len(last_code(PHONE)) == 6
