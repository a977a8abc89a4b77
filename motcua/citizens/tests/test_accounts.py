"""Signing up and logging in: by a code (phone or e-mail), by a password (with django-axes'
lock-out and the per-address limit), a forgotten password reset by a code, a new phone or
e-mail proved by a code."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from motcua.agencies.models import Membership
from motcua.citizens.models import CitizenProfile

from .conftest import enter_code, last_code, logged_in_as, password_login, request_code

pytestmark = pytest.mark.django_db
User = get_user_model()
PHONE = "0987654321"
GOOD_PASSWORD = "Mot-khau-moi-2026"


def test_signing_up_by_phone_makes_a_citizen_account_with_a_verified_phone(client):
    client.post(
        reverse("citizens:sign_up"), {"full_name": " Lê Thị Hoa ", "identifier": "+84987654321"}
    )
    response = enter_code(client, last_code(PHONE))
    assert response.status_code == 302 and response["Location"] == reverse("citizens:profile")
    user = logged_in_as(client)
    profile = user.citizen_profile
    assert (profile.full_name, profile.phone, profile.email) == ("Lê Thị Hoa", PHONE, "")
    assert (user.last_name, user.first_name) == ("Lê Thị", "Hoa")
    assert not user.is_staff and not user.is_superuser and not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    assert user.username.startswith("congdan-")
    assert "Đã tạo tài khoản" in client.get(response["Location"]).text


def test_signing_up_by_email(client):
    client.post(reverse("citizens:sign_up"), {"full_name": "Hoa", "identifier": "hoa@example.vn"})
    enter_code(client, last_code("hoa@example.vn"))
    assert logged_in_as(client).citizen_profile.email == "hoa@example.vn"


def test_sign_up_needs_a_name(client):
    response = client.post(reverse("citizens:sign_up"), {"full_name": " ", "identifier": PHONE})
    assert response.status_code == 200 and response.context["form"].errors["full_name"]


def test_logging_in_by_code_opens_the_existing_account(client, citizen):
    request_code(client, "0912.000.001")
    response = enter_code(client, last_code("0912000001"))
    assert response["Location"] == reverse("citizens:dossiers")
    assert logged_in_as(client) == citizen
    assert User.objects.count() == 1


def test_signing_up_again_with_a_registered_phone_logs_in_and_keeps_the_name(client, citizen):
    client.post(reverse("citizens:sign_up"), {"full_name": "Kẻ Khác", "identifier": "0912000001"})
    enter_code(client, last_code("0912000001"))
    assert logged_in_as(client) == citizen
    assert CitizenProfile.objects.get(user=citizen).full_name == "Nguyễn Dân"


def test_log_in_goes_back_to_the_page_asked_for_but_never_to_another_site(client, citizen):
    request_code(client, "0912000001", next="/cong-dan/tai-khoan/")
    assert enter_code(client, last_code("0912000001"))["Location"] == "/cong-dan/tai-khoan/"
    other = Client()
    request_code(other, "0912000001", next="https://evil.example/")
    assert enter_code(other, last_code("0912000001"))["Location"] == reverse("citizens:dossiers")


def test_a_locked_account_is_not_opened_nor_taken_over_by_a_code(client, citizen):
    User.objects.filter(pk=citizen.pk).update(is_active=False)
    request_code(client, "0912000001")
    response = enter_code(client, last_code("0912000001"))
    assert response.status_code == 400 and "bị khóa" in response.text
    assert logged_in_as(client) is None and User.objects.count() == 1


# --- passwords ---------------------------------------------------------------------------------


def test_logging_in_with_phone_or_email_and_password(client, citizen):
    response = password_login(client, "0912 000 001", "pw-dan")
    assert response.status_code == 302 and logged_in_as(client) == citizen
    other = Client()
    password_login(other, "DAN@example.vn", "pw-dan")
    assert logged_in_as(other) == citizen


def test_a_wrong_password_says_so_without_saying_whether_the_account_exists(client, citizen):
    wrong = password_login(client, "0912000001", "nope")
    unknown = password_login(Client(), PHONE, "nope")
    message = "Số điện thoại, thư điện tử hoặc mật khẩu không đúng."
    assert message in wrong.text and message in unknown.text
    assert logged_in_as(client) is None


def test_an_account_without_a_password_cannot_log_in_by_password(client, db):
    from motcua.citizens.identifiers import identifier_parse
    from motcua.citizens.services import citizen_create

    citizen_create(full_name="Hoa", identifier=identifier_parse(PHONE))
    password_login(client, PHONE, "")
    password_login(client, PHONE, "!")
    assert logged_in_as(client) is None


def test_repeated_wrong_passwords_lock_the_citizen_out_as_axes_does_for_staff(
    client, citizen, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        password_login(client, "0912000001", "wrong")
    response = password_login(client, "0912000001", "pw-dan")  # right, but locked
    assert response.status_code == 429 and "tạm bị khóa" in response.text
    assert logged_in_as(client) is None
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get().username == "citizen:0912000001"


def test_password_log_ins_are_limited_per_address(client, citizen, settings):
    settings.CITIZEN_LOGINS_PER_ADDRESS_PER_MINUTE = 3
    for n in range(3):
        password_login(client, f"098765432{n}", "wrong")
    response = password_login(client, "0912000001", "pw-dan")
    assert response.status_code == 429 and "Retry-After" in response
    assert logged_in_as(client) is None


def test_choosing_a_password_in_the_profile(client, db):
    request_code(client, PHONE)
    enter_code(client, last_code(PHONE))
    url = reverse("citizens:password_change")
    weak = client.post(url, {"password": "123", "password2": "123"})
    assert weak.status_code == 400 and not logged_in_as(client).has_usable_password()
    assert "quá ngắn" in weak.text or "quá phổ biến" in weak.text
    different = client.post(url, {"password": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "x"})
    assert different.status_code == 400 and "không giống nhau" in different.text
    response = client.post(url, {"password": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 302 and logged_in_as(client) is not None  # still logged in
    assert logged_in_as(client).check_password(GOOD_PASSWORD)


def test_changing_a_password_needs_the_current_one(client, citizen):
    client.force_login(citizen, backend="motcua.citizens.backends.CitizenBackend")
    url = reverse("citizens:password_change")
    data = {"password": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    refused = client.post(url, {**data, "current_password": "wrong"})
    assert refused.status_code == 400 and "Mật khẩu hiện tại không đúng" in refused.text
    citizen.refresh_from_db()
    assert citizen.check_password("pw-dan")
    client.post(url, {**data, "current_password": "pw-dan"})
    citizen.refresh_from_db()
    assert citizen.check_password(GOOD_PASSWORD)


def test_a_forgotten_password_is_reset_by_a_code(client, citizen):
    client.post(reverse("citizens:password_forgot"), {"identifier": "dan@example.vn"})
    code = last_code("dan@example.vn")
    url = reverse("citizens:password_reset")
    weak = client.post(url, {"code": code, "password": "1234", "password2": "1234"})
    assert weak.status_code == 400
    from motcua.citizens.models import OneTimeCode

    assert OneTimeCode.objects.get().attempts == 0  # a weak password costs no try
    data = {"code": code, "password": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    response = client.post(url, data)
    assert response.status_code == 302 and logged_in_as(client) == citizen
    citizen.refresh_from_db()
    assert citizen.check_password(GOOD_PASSWORD)
    assert client.post(url, data).status_code == 302  # the code is gone: back to the start


# --- contacts ----------------------------------------------------------------------------------


def test_a_new_email_is_proved_by_a_code_then_logs_in(client, citizen):
    client.force_login(citizen, backend="motcua.citizens.backends.CitizenBackend")
    client.post(reverse("citizens:contact_change"), {"contact-identifier": "moi@example.vn"})
    assert CitizenProfile.objects.get(user=citizen).email == "dan@example.vn"  # not yet
    response = enter_code(client, last_code("moi@example.vn"))
    assert response["Location"] == reverse("citizens:profile")
    assert CitizenProfile.objects.get(user=citizen).email == "moi@example.vn"
    other = Client()
    password_login(other, "moi@example.vn", "pw-dan")
    assert logged_in_as(other) == citizen


def test_a_phone_of_another_account_is_refused_after_the_code(client, citizen, other_citizen):
    client.force_login(citizen, backend="motcua.citizens.backends.CitizenBackend")
    client.post(reverse("citizens:contact_change"), {"contact-identifier": "0912000002"})
    response = enter_code(client, last_code("0912000002"))
    assert response.status_code == 400 and "tài khoản khác" in response.text
    assert CitizenProfile.objects.get(user=citizen).phone == "0912000001"


def test_a_contact_code_belongs_to_the_account_that_asked(client, citizen, other_citizen):
    from motcua.citizens.models import OneTimeCode
    from motcua.citizens.services import CodeRefused, citizen_contact_set

    client.force_login(citizen, backend="motcua.citizens.backends.CitizenBackend")
    client.post(reverse("citizens:contact_change"), {"contact-identifier": "moi@example.vn"})
    row, code = OneTimeCode.objects.get(), last_code("moi@example.vn")
    with pytest.raises(CodeRefused):
        citizen_contact_set(user=other_citizen, uid=row.uid, code=code)
    assert CitizenProfile.objects.get(user=other_citizen).email == "em@example.vn"
