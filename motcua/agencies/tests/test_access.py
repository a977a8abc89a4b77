"""SPEC §3 with named actors: the officer sees their agency, the outsider gets 404."""

import pytest
from django.urls import reverse

from motcua.agencies.models import Membership, Role


def agency_url(agency):
    return reverse("agencies:agency_detail", args=[agency.code])


def test_anonymous_is_sent_to_log_in(client, commune):
    response = client.get(agency_url(commune))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("actor", ["desk_officer", "specialist", "leader"])
def test_officer_sees_own_agency(client, commune, actor, request):
    client.force_login(request.getfixturevalue(actor))
    response = client.get(agency_url(commune))
    assert response.status_code == 200
    assert commune.name in response.text


def test_officer_of_another_agency_gets_404(client, commune, other_agency_officer):
    client.force_login(other_agency_officer)
    assert client.get(agency_url(commune)).status_code == 404


def test_staff_home_lists_own_memberships(client, desk_officer, commune):
    client.force_login(desk_officer)
    response = client.get(reverse("agencies:staff_home"))
    assert commune.name in response.text and "Cán bộ một cửa" in response.text


def test_admin_is_for_administrators_only(client, desk_officer, commune_admin, admin_user):
    desk_officer.is_staff = True  # staff by mistake: still no admin
    desk_officer.save()
    client.force_login(desk_officer)
    assert client.get("/quan-tri/").status_code == 302
    client.force_login(commune_admin)
    assert client.get("/quan-tri/").status_code == 200
    client.force_login(admin_user)
    assert client.get("/quan-tri/").status_code == 200


def test_membership_must_match_its_agency(commune, other_commune, specialist):
    from django.core.exceptions import ValidationError

    membership = Membership(
        user=specialist,
        agency=other_commune,
        role=Role.SPECIALIST,
        unit=specialist.memberships.get().unit,
    )
    with pytest.raises(ValidationError, match="Đơn vị phải thuộc cơ quan"):
        membership.full_clean()


def test_agency_cannot_be_its_own_ancestor(province, commune):
    from django.core.exceptions import ValidationError

    province.parent = commune
    with pytest.raises(ValidationError):
        province.full_clean()


def test_a_desk_receives_for_any_agency_of_its_province_at_any_depth(levels, province):
    """ND 118/2025: tỉnh → huyện → xã, not only the province's direct children."""
    from motcua.agencies.models import Agency
    from motcua.agencies.selectors import deciding_agencies_for

    district = Agency.objects.create(
        code="000.10.31.H99", name="UBND huyện Cam Lộ", level=levels["huyen"], parent=province
    )
    commune = Agency.objects.create(
        code="000.11.31.H99", name="UBND xã Cam Thành", level=levels["xa"], parent=district
    )
    sibling = Agency.objects.create(
        code="000.12.31.H99", name="UBND xã Cam Hiếu", level=levels["xa"], parent=district
    )
    elsewhere = Agency.objects.create(code="000.00.00.H98", name="UBND tỉnh khác",
                                      level=levels["tinh"])  # fmt: skip
    Agency.objects.create(code="000.13.31.H99", name="UBND xã đã sáp nhập", level=levels["xa"],
                          parent=district, is_active=False)  # fmt: skip
    choices = deciding_agencies_for(agency=commune)
    assert choices[0] == commune
    assert set(choices) == {commune, province, district, sibling}
    assert elsewhere not in choices
