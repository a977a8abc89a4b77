"""The profile: name, ID number (checked as the receipt checks it), address; what VNeID vouched
for stays; and it pre-fills the applicant of a dossier (``applicant_for``)."""

import pytest
from django.urls import reverse

from motcua.citizens.models import CitizenProfile
from motcua.citizens.selectors import applicant_for, profile_initial
from motcua.dossiers.services import Applicant

pytestmark = pytest.mark.django_db

GOOD = {"full_name": "Nguyễn Văn Dân", "id_number": "079123456789", "address": "Thôn 2, Khe Sanh"}


@pytest.fixture
def logged_in(client, citizen):
    client.force_login(citizen, backend="motcua.citizens.backends.CitizenBackend")
    return client


def saved(citizen) -> tuple:
    p = CitizenProfile.objects.get(user=citizen)
    return p.full_name, p.id_number, p.address


def test_the_profile_is_saved_and_names_the_user(logged_in, citizen):
    response = logged_in.post(reverse("citizens:profile"), GOOD)
    assert response.status_code == 302
    assert saved(citizen) == ("Nguyễn Văn Dân", "079123456789", "Thôn 2, Khe Sanh")
    citizen.refresh_from_db()
    assert (citizen.last_name, citizen.first_name) == ("Nguyễn Văn", "Dân")
    page = logged_in.get(reverse("citizens:profile")).text
    assert "079123456789" in page and "Đã lưu thông tin cá nhân" in page


@pytest.mark.parametrize(
    "bad, field, message",
    [
        ({"id_number": "07912345678"}, "id_number", "đúng 12 chữ số"),
        ({"id_number": "07912345678x"}, "id_number", "đúng 12 chữ số"),
        ({"full_name": "  "}, "full_name", ""),
        ({"address": "x" * 501}, "address", ""),
        ({"address": "Thôn\x00 2"}, "address", "NUL"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(
    logged_in, citizen, bad, field, message
):
    before = saved(citizen)
    response = logged_in.post(reverse("citizens:profile"), {**GOOD, **bad})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert not " ".join(errors[field]).isascii()
    assert saved(citizen) == before


def test_the_id_number_may_be_left_for_later(logged_in, citizen):
    logged_in.post(reverse("citizens:profile"), {**GOOD, "id_number": ""})
    assert saved(citizen)[1] == ""


def test_the_receipts_own_check_refuses_the_id_number(citizen):
    """The service itself, as any caller would use it (not only the page's form)."""
    from django.core.exceptions import ValidationError

    from motcua.citizens.services import citizen_profile_update

    with pytest.raises(ValidationError) as error:
        citizen_profile_update(user=citizen, full_name="Dân", id_number="123", address="")
    assert "id_number" in error.value.error_dict


def test_what_vneid_vouched_for_cannot_be_changed(logged_in, citizen):
    CitizenProfile.objects.filter(user=citizen).update(
        full_name="Nguyễn Dân", id_number="079123456789", vneid_verified=True
    )
    page = logged_in.get(reverse("citizens:profile")).text
    assert "readonly" in page and "xác thực qua VNeID" in page
    for change in ({"full_name": "Người Khác"}, {"id_number": "079999999999"}):
        data = {**GOOD, "full_name": "Nguyễn Dân", **change}
        response = logged_in.post(reverse("citizens:profile"), data)
        assert response.status_code == 400 and "không sửa được" in response.text
    assert saved(citizen)[:2] == ("Nguyễn Dân", "079123456789")
    ok = logged_in.post(reverse("citizens:profile"), {**GOOD, "full_name": "Nguyễn Dân"})
    assert ok.status_code == 302 and saved(citizen)[2] == "Thôn 2, Khe Sanh"


def test_the_profile_pre_fills_the_applicant(citizen):
    CitizenProfile.objects.filter(user=citizen).update(**GOOD)
    assert applicant_for(citizen) == Applicant(
        name="Nguyễn Văn Dân",
        id_number="079123456789",
        type=1,
        phone="0912000001",
        email="dan@example.vn",
        address="Thôn 2, Khe Sanh",
    )


def test_an_account_without_a_profile_gives_an_empty_applicant(desk_officer):
    assert applicant_for(desk_officer) == Applicant(name="", id_number="")


def test_profile_initial_gives_the_applicants_fields_for_a_form(citizen):
    CitizenProfile.objects.filter(user=citizen).update(**GOOD)
    assert profile_initial(citizen) == {
        "name": "Nguyễn Văn Dân",
        "id_number": "079123456789",
        "type": 1,
        "phone": "0912000001",
        "email": "dan@example.vn",
        "address": "Thôn 2, Khe Sanh",
    }


def test_profile_initial_is_empty_for_an_officer_and_a_visitor(desk_officer):
    from django.contrib.auth.models import AnonymousUser

    assert profile_initial(desk_officer) == {} and profile_initial(AnonymousUser()) == {}
