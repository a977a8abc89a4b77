"""A role that reads dossiers, given by an agency administrator who is not a superuser, is
pending until someone else who may confirms it — a leader of that agency who is neither the
administrator nor the person, or a superuser (hardening issue, item 5). Pending roles give no
access; confirming and refusing are logged."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from motcua.actors import SYSTEM
from motcua.agencies.models import AccountEvent, AccountHome, Membership, MembershipRequest, Role
from motcua.agencies.services import (
    membership_grant,
    membership_request_confirm,
    membership_request_refuse,
)
from motcua.dossiers import access

User = get_user_model()
PAGE = "/can-bo/xac-nhan-phan-cong/"
ADMIN = "/quan-tri/agencies/membershiprequest/"


@pytest.fixture
def newcomer(commune):
    user = User.objects.create_user("moi", password="pw-moi", last_name="Trần", first_name="Mới")
    AccountHome.objects.create(user=user, agency=commune)
    return user


def _pending(commune_admin, newcomer, commune, role=Role.SPECIALIST):
    unit = commune.units.first()
    if unit is None:
        unit = commune.units.create(code="tu-phap", name="Tư pháp", function="tu-phap")
    return membership_grant(actor=commune_admin, user=newcomer, agency=commune, role=role,
                            unit=unit if role == Role.SPECIALIST else None)  # fmt: skip


@pytest.mark.parametrize(
    "role", [Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_HEAD, Role.AGENCY_LEADER]
)
def test_every_reading_role_from_an_administrator_waits_and_gives_no_access(
    commune_admin, newcomer, commune, role
):
    extra = {}
    if role in (Role.SPECIALIST, Role.UNIT_HEAD):
        extra["unit"] = commune.units.create(code="tp", name="Tư pháp", function="tu-phap")
    if role == Role.DESK_OFFICER:
        extra["desk"] = commune.desks.create(code="mc", name="Một cửa")
    result = membership_grant(actor=commune_admin, user=newcomer, agency=commune, role=role,
                              **extra)  # fmt: skip
    assert isinstance(result, MembershipRequest) and result.status == "pending"
    assert not Membership.objects.filter(user=newcomer).exists()
    actor = access.actor_for_user(newcomer)
    assert not isinstance(actor, access.Officer) or actor.grants == ()
    event = AccountEvent.objects.get()
    assert (event.action, event.actor, event.role_after) == (
        AccountEvent.Action.MEMBERSHIP_REQUESTED, commune_admin, role)  # fmt: skip


def test_an_administrator_role_and_a_superusers_grant_take_effect_at_once(
    commune_admin, admin_user, newcomer, commune
):
    assert isinstance(
        membership_grant(actor=commune_admin, user=newcomer, agency=commune,
                         role=Role.ADMINISTRATOR), Membership)  # fmt: skip
    assert isinstance(
        membership_grant(actor=admin_user, user=newcomer, agency=commune,
                         role=Role.AGENCY_LEADER), Membership)  # fmt: skip
    assert isinstance(
        membership_grant(actor=SYSTEM, user=newcomer, agency=commune.parent,
                         role=Role.AGENCY_LEADER), Membership)  # fmt: skip
    assert not MembershipRequest.objects.exists()


def test_a_leader_of_the_agency_confirms_on_their_page_and_it_is_logged(
    client, commune_admin, newcomer, commune, leader
):
    pending = _pending(commune_admin, newcomer, commune)
    client.force_login(leader)
    home = client.get(reverse("agencies:staff_home"))
    assert PAGE in home.text  # the way to the page, where leaders work
    assert PAGE in client.get(reverse("reports:dashboard")).text
    page = client.get(PAGE)
    assert "Trần Mới" in page.text and "Chuyên viên thụ lý" in page.text
    response = client.post(PAGE, {"request": pending.pk, "decision": "confirm",
                                  "note": "Đúng người"}, follow=True)  # fmt: skip
    assert "Đã xác nhận phân công" in response.text
    membership = Membership.objects.get(user=newcomer)
    assert (membership.agency, membership.role) == (commune, Role.SPECIALIST)
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == ("confirmed", leader)
    granted = AccountEvent.objects.filter(action=AccountEvent.Action.MEMBERSHIP_GRANTED).get()
    assert (granted.actor, granted.account, granted.role_after) == (
        leader, newcomer, Role.SPECIALIST)  # fmt: skip
    assert "Quantri (quantri)" in granted.note and "Đúng người" in granted.note
    assert access.actor_for_user(newcomer).grants  # now it reads
    again = client.post(PAGE, {"request": pending.pk, "decision": "refuse"}, follow=True)
    assert "đã được xử lý" in again.text and Membership.objects.filter(user=newcomer).exists()


def test_a_refusal_grants_nothing_and_is_logged(client, commune_admin, newcomer, commune, leader):
    pending = _pending(commune_admin, newcomer, commune)
    client.force_login(leader)
    response = client.post(PAGE, {"request": pending.pk, "decision": "refuse",
                                  "note": "Không phải cán bộ xã"}, follow=True)  # fmt: skip
    assert "Đã không xác nhận" in response.text
    assert not Membership.objects.filter(user=newcomer).exists()
    refused = AccountEvent.objects.filter(action=AccountEvent.Action.MEMBERSHIP_REFUSED).get()
    assert (refused.actor, refused.account, refused.agency) == (leader, newcomer, commune)
    assert "Không phải cán bộ xã" in refused.note


def test_neither_the_granter_nor_the_person_nor_another_agencys_leader_confirms(
    client, admin_user, commune_admin, newcomer, commune, other_commune
):
    # The administrator also leads the commune (given by a superuser): still not for their own.
    membership_grant(actor=admin_user, user=commune_admin, agency=commune,
                     role=Role.AGENCY_LEADER)  # fmt: skip
    pending = _pending(commune_admin, newcomer, commune)
    outsider = User.objects.create_user("ngoai")
    membership_grant(actor=admin_user, user=outsider, agency=other_commune,
                     role=Role.AGENCY_LEADER)  # fmt: skip
    for who in (commune_admin, newcomer, outsider):
        with pytest.raises(ValidationError, match="không xác nhận được"):
            membership_request_confirm(actor=who, request_id=pending.pk)
        with pytest.raises(ValidationError):
            membership_request_refuse(actor=who, request_id=pending.pk)
        client.force_login(who)
        assert "Trần Mới" not in client.get(PAGE).text
        client.post(PAGE, {"request": pending.pk, "decision": "confirm"})
    assert not Membership.objects.filter(user=newcomer).exists()
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_the_person_given_the_role_cannot_confirm_it_even_as_a_leader(
    commune_admin, leader, commune
):
    desk = commune.desks.create(code="mc", name="Một cửa")
    AccountHome.objects.create(user=leader, agency=commune)
    pending = membership_grant(actor=commune_admin, user=leader, agency=commune,
                               role=Role.DESK_OFFICER, desk=desk)  # fmt: skip
    with pytest.raises(ValidationError):
        membership_request_confirm(actor=leader, request_id=pending.pk)
    assert not leader.memberships.filter(role=Role.DESK_OFFICER).exists()


def test_a_superuser_confirms_in_the_admin_and_the_administrator_sees_the_pending_list(
    client, admin_user, commune_admin, other_commune_admin, newcomer, commune
):
    pending = _pending(commune_admin, newcomer, commune)
    client.force_login(other_commune_admin)
    assert list(client.get(ADMIN).context["cl"].result_list) == []  # another commune's
    client.force_login(commune_admin)
    listing = client.get(ADMIN)
    assert list(listing.context["cl"].result_list) == [pending]
    client.post(ADMIN, {"action": "confirm", "_selected_action": [pending.pk]})
    assert not Membership.objects.filter(user=newcomer).exists()  # not theirs to confirm
    client.force_login(admin_user)
    response = client.post(ADMIN, {"action": "confirm", "_selected_action": [pending.pk]},
                           follow=True)  # fmt: skip
    assert "Đã xác nhận 1 phân công" in response.text
    assert Membership.objects.get(user=newcomer).role == Role.SPECIALIST


def test_the_same_pending_role_twice_or_a_role_already_held_is_refused(
    commune_admin, newcomer, commune, desk_officer
):
    _pending(commune_admin, newcomer, commune)
    with pytest.raises(ValidationError, match="đang chờ xác nhận"):
        _pending(commune_admin, newcomer, commune)
    AccountHome.objects.create(user=desk_officer, agency=commune)
    with pytest.raises(ValidationError, match="đã có vai trò này"):
        held = desk_officer.memberships.get()
        membership_grant(actor=commune_admin, user=desk_officer, agency=commune,
                         role=Role.DESK_OFFICER, desk=held.desk)  # fmt: skip
