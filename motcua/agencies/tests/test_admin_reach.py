"""A commune administrator's reach: their own accounts only, no dossier-reading role for
themselves, and a log of every grant (hardening issue, item 5)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from motcua.actors import SYSTEM
from motcua.agencies.models import (
    AccountEvent,
    AccountHome,
    AppendOnlyError,
    Desk,
    Membership,
    Role,
)
from motcua.agencies.selectors import accounts_managed_by
from motcua.agencies.services import (
    account_create,
    account_home_set,
    account_password_set,
    account_update,
    membership_change,
    membership_grant,
    membership_remove,
)
from motcua.citizens.models import CitizenProfile

User = get_user_model()
PASSWORD = "Mk-rat-dai-2026!"


def _membership_form(user, agency, role, **extra):
    return {"user": user.pk, "agency": agency.pk, "role": role, "unit": "", "desk": "",
            "title": "", "phone": "", **extra}  # fmt: skip


def _create_account(client, username, home):
    """What an administrator does on the admin's *add user* page."""
    return client.post("/quan-tri/auth/user/add/", {
        "username": username, "password1": PASSWORD, "password2": PASSWORD,
        "usable_password": "true", "home_agency": home.pk,
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    })  # fmt: skip


def _user_page(user, home, *rows, initial=0):
    data = {
        "username": user.username, "last_name": user.last_name, "first_name": user.first_name,
        "email": "", "is_active": "on", "home_agency": home.pk,
        "memberships-TOTAL_FORMS": str(len(rows)), "memberships-INITIAL_FORMS": str(initial),
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for i, row in enumerate(rows):
        data.update({f"memberships-{i}-{key}": value for key, value in row.items()})
    return data


@pytest.fixture
def unassigned_of_other_commune(client, other_commune_admin, other_commune):
    """An account the other commune's administrator has just created, not yet assigned."""
    client.force_login(other_commune_admin)
    assert _create_account(client, "moi.binhminh", other_commune).status_code == 302
    client.logout()
    return User.objects.get(username="moi.binhminh")


# --- An administrator cannot give themselves a role that reads dossiers -------------------


def test_commune_admin_cannot_grant_themselves_agency_leader(client, commune_admin, commune):
    client.force_login(commune_admin)
    form = _membership_form(commune_admin, commune, Role.AGENCY_LEADER)
    response = client.post("/quan-tri/agencies/membership/add/", form)
    assert response.status_code == 200
    assert "không được tự giao cho mình vai trò xem hồ sơ" in response.text
    # what is true: another administrator may give it, and a leader confirms it there
    assert "lãnh đạo cơ quan (không phải người giao) hoặc quản trị viên" in response.text
    assert "/can-bo/xac-nhan-phan-cong/" in response.text
    assert list(commune_admin.memberships.values_list("role", flat=True)) == [Role.ADMINISTRATOR]
    assert not AccountEvent.objects.exists()


def test_commune_admin_cannot_turn_their_administrator_role_into_a_reading_one(
    client, commune_admin, commune
):
    own = commune_admin.memberships.get()
    client.force_login(commune_admin)
    for role in (Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_HEAD, Role.AGENCY_LEADER):
        form = _membership_form(commune_admin, commune, role)
        response = client.post(f"/quan-tri/agencies/membership/{own.pk}/change/", form)
        assert response.status_code == 200, role
        assert "không được tự giao cho mình" in response.text
    own.refresh_from_db()
    assert own.role == Role.ADMINISTRATOR
    assert not AccountEvent.objects.exists()


def test_commune_admin_cannot_grant_themselves_a_role_on_their_own_user_page(
    client, commune_admin, commune
):
    desk = Desk.objects.create(agency=commune, code="mc", name="Một cửa")
    own = commune_admin.memberships.get()
    client.force_login(commune_admin)
    rows = [
        {"id": own.pk, "user": commune_admin.pk, "agency": commune.pk, "role": "administrator"},
        {"user": commune_admin.pk, "agency": commune.pk, "role": "desk_officer", "desk": desk.pk},
    ]
    data = _user_page(commune_admin, commune, *rows, initial=1)
    response = client.post(f"/quan-tri/auth/user/{commune_admin.pk}/change/", data)
    assert response.status_code == 200
    assert "không được tự giao cho mình" in response.text
    assert commune_admin.memberships.count() == 1


def test_the_service_refuses_a_self_grant_whoever_calls_it(commune_admin, commune):
    with pytest.raises(ValidationError, match="tự giao cho mình"):
        membership_grant(
            actor=commune_admin, user=commune_admin, agency=commune, role=Role.AGENCY_LEADER
        )
    own = commune_admin.memberships.get()
    with pytest.raises(ValidationError, match="tự giao cho mình"):
        membership_change(
            actor=commune_admin, membership_id=own.pk, agency=commune, role=Role.AGENCY_LEADER
        )
    own.refresh_from_db()
    assert own.role == Role.ADMINISTRATOR and commune_admin.memberships.count() == 1
    assert not AccountEvent.objects.exists()


def test_commune_admin_cannot_make_themselves_administrator_of_the_province(
    client, commune_admin, province
):
    with pytest.raises(ValidationError, match="cơ quan mình quản trị"):
        membership_grant(
            actor=commune_admin, user=commune_admin, agency=province, role=Role.ADMINISTRATOR
        )
    client.force_login(commune_admin)
    form = _membership_form(commune_admin, province, Role.ADMINISTRATOR)
    assert client.post("/quan-tri/agencies/membership/add/", form).status_code == 200
    assert not commune_admin.memberships.filter(agency=province).exists()


def test_a_superuser_may_give_a_commune_administrator_a_reading_role(
    admin_user, commune_admin, commune
):
    membership_grant(actor=admin_user, user=commune_admin, agency=commune, role="agency_leader")
    assert commune_admin.memberships.filter(role=Role.AGENCY_LEADER).exists()


def test_an_actor_is_always_named(commune_admin, commune):
    with pytest.raises(TypeError):
        membership_grant(actor=None, user=commune_admin, agency=commune, role="agency_leader")


# --- Only their own accounts, agencies, units and desks ------------------------------------


def test_membership_form_offers_only_own_accounts_and_agencies(
    client, commune_admin, desk_officer, other_agency_officer, admin_user, commune,
    unassigned_of_other_commune,
):  # fmt: skip
    works_in_both = User.objects.create_user("dual")
    Membership.objects.create(user=works_in_both, agency=commune, role=Role.SPECIALIST)
    Membership.objects.create(user=works_in_both, agency=admin_user.memberships.get().agency,
                              role=Role.SPECIALIST)  # fmt: skip
    client.force_login(commune_admin)
    response = client.get("/quan-tri/agencies/membership/add/")
    fields = response.context["adminform"].form.fields
    users = set(fields["user"].queryset.values_list("username", flat=True))
    assert users == {"alice", "quantri"}  # not root, charlie, dual, moi.binhminh
    assert list(fields["agency"].queryset) == [commune]
    assert set(fields["desk"].queryset.values_list("agency", flat=True)) == {commune.pk}
    assert ">root<" not in response.text and "moi.binhminh" not in response.text


def test_commune_admin_cannot_grant_a_role_to_someone_who_works_elsewhere(
    commune_admin, other_agency_officer, commune
):
    with pytest.raises(ValidationError, match="cơ quan khác"):
        membership_grant(
            actor=commune_admin, user=other_agency_officer, agency=commune, role="agency_leader"
        )
    assert other_agency_officer.memberships.count() == 1


def test_unassigned_account_of_commune_b_is_invisible_to_commune_a(
    client, commune_admin, unassigned_of_other_commune
):
    account = unassigned_of_other_commune
    client.force_login(commune_admin)
    assert "moi.binhminh" not in client.get("/quan-tri/auth/user/").text
    assert client.get(f"/quan-tri/auth/user/{account.pk}/change/").status_code == 404
    page = f"/quan-tri/auth/user/{account.pk}/password/"
    assert client.get(page).status_code == 404
    answer = client.post(page, {"password1": "Chiem-quyen-2026!", "password2": "Chiem-quyen-2026!",
                                "usable_password": "true"})  # fmt: skip
    assert answer.status_code == 404
    account.refresh_from_db()
    assert account.check_password(PASSWORD)
    with pytest.raises(ValidationError):
        account_password_set(actor=commune_admin, user=account, password="Chiem-quyen-2026!")
    account.refresh_from_db()
    assert account.check_password(PASSWORD)


def test_commune_b_admin_manages_the_account_they_created(
    client, other_commune_admin, other_commune, unassigned_of_other_commune
):
    account = unassigned_of_other_commune
    assert AccountHome.objects.get(user=account).agency == other_commune
    client.force_login(other_commune_admin)
    assert client.get(f"/quan-tri/auth/user/{account.pk}/change/").status_code == 200
    page = f"/quan-tri/auth/user/{account.pk}/password/"
    new = "Mat-khau-moi-2026!"
    data = {"password1": new, "password2": new, "usable_password": "true"}
    assert client.post(page, data).status_code == 302
    account.refresh_from_db()
    assert account.check_password(new)


def test_superusers_and_accounts_working_elsewhere_are_never_managed_by_a_commune(
    commune_admin, commune, province, desk_officer
):
    boss = User.objects.create_superuser("boss", password="x")
    Membership.objects.create(user=boss, agency=commune, role=Role.ADMINISTRATOR)
    Membership.objects.create(user=desk_officer, agency=province, role=Role.SPECIALIST)
    homed = User.objects.create_user("homed")
    AccountHome.objects.create(user=homed, agency=commune)
    managed = set(accounts_managed_by(user=commune_admin).values_list("username", flat=True))
    assert managed == {"quantri", "homed"}  # alice now works at the province too


def test_commune_admin_cannot_create_an_account_for_another_commune(
    client, commune_admin, other_commune
):
    client.force_login(commune_admin)
    assert _create_account(client, "lac", other_commune).status_code == 200
    assert not User.objects.filter(username="lac").exists()
    with pytest.raises(ValidationError):
        account_create(actor=commune_admin, user=User(username="lac"), home=other_commune)
    assert not User.objects.filter(username="lac").exists()


def test_commune_admin_cannot_create_a_superuser_through_the_service(commune_admin, commune):
    with pytest.raises(ValidationError):
        account_create(actor=commune_admin, user=User(username="x", is_superuser=True),
                       home=commune)  # fmt: skip
    assert not User.objects.filter(username="x").exists()


def test_the_account_services_refuse_what_is_not_the_administrators(
    commune_admin, other_agency_officer, desk_officer, commune, other_commune
):
    AccountHome.objects.create(user=desk_officer, agency=commune)
    other_agency_officer.is_active = False
    with pytest.raises(ValidationError):
        account_update(actor=commune_admin, user=other_agency_officer)
    with pytest.raises(ValidationError):
        account_home_set(actor=commune_admin, user=other_agency_officer, home=commune)
    with pytest.raises(ValidationError):
        account_home_set(actor=commune_admin, user=desk_officer, home=other_commune)
    with pytest.raises(ValidationError):
        account_home_set(actor=commune_admin, user=desk_officer, home=None)
    desk_officer.is_staff = True
    with pytest.raises(ValidationError):
        account_update(actor=commune_admin, user=desk_officer)
    assert User.objects.filter(is_active=True, is_staff=False, username__in=["alice", "charlie"]
                               ).count() == 2  # fmt: skip
    assert AccountHome.objects.get().agency == commune
    assert not AccountEvent.objects.exists()


def test_an_account_homed_above_keeps_its_home_when_its_commune_edits_it(
    client, commune_admin, desk_officer, province, commune
):
    AccountHome.objects.create(user=desk_officer, agency=province)
    client.force_login(commune_admin)
    page = f"/quan-tri/auth/user/{desk_officer.pk}/change/"
    assert client.get(page).context["adminform"].form.fields["home_agency"].disabled
    data = _user_page(desk_officer, commune)  # a forged choice is ignored: the field is disabled
    data["last_name"] = "Nguyễn"
    assert client.post(page, data).status_code == 302
    desk_officer.refresh_from_db()
    assert desk_officer.last_name == "Nguyễn"
    assert AccountHome.objects.get(user=desk_officer).agency == province


def test_granting_a_role_someone_already_has_is_refused_in_vietnamese(leader, admin_user, commune):
    with pytest.raises(ValidationError, match="đã có vai trò này"):
        membership_grant(actor=admin_user, user=leader, agency=commune, role=Role.AGENCY_LEADER)
    assert not AccountEvent.objects.exists()


def test_commune_admin_deactivates_accounts_but_cannot_delete_them(
    client, commune_admin, desk_officer
):
    client.force_login(commune_admin)
    assert client.get(f"/quan-tri/auth/user/{desk_officer.pk}/delete/").status_code == 403
    assert User.objects.filter(pk=desk_officer.pk).exists()


def test_commune_admin_may_remove_a_role_in_their_agency_from_someone_working_elsewhere(
    commune_admin, commune, province
):
    dual = User.objects.create_user("dual")
    here = Membership.objects.create(user=dual, agency=commune, role=Role.SPECIALIST)
    Membership.objects.create(user=dual, agency=province, role=Role.SPECIALIST)
    with pytest.raises(ValidationError):
        membership_change(actor=commune_admin, membership_id=here.pk, agency=commune,
                          role=Role.AGENCY_LEADER)  # fmt: skip
    membership_remove(actor=commune_admin, membership_id=here.pk)
    assert list(dual.memberships.values_list("agency", flat=True)) == [province.pk]


def test_commune_admin_cannot_remove_a_role_in_another_agency(commune_admin, other_agency_officer):
    theirs = other_agency_officer.memberships.get()
    with pytest.raises(ValidationError):
        membership_remove(actor=commune_admin, membership_id=theirs.pk)
    assert Membership.objects.filter(pk=theirs.pk).exists()


# --- Every grant is logged ------------------------------------------------------------------


def test_a_grant_through_the_admin_writes_a_log_row(client, admin_user, desk_officer, commune):
    client.force_login(admin_user)
    form = _membership_form(desk_officer, commune, Role.AGENCY_LEADER)
    assert client.post("/quan-tri/agencies/membership/add/", form).status_code == 302
    event = AccountEvent.objects.get()
    assert event.action == AccountEvent.Action.MEMBERSHIP_GRANTED
    assert (event.actor, event.account, event.agency) == (admin_user, desk_officer, commune)
    assert (event.role_before, event.role_after) == ("", Role.AGENCY_LEADER)
    assert event.actor_name == "Root (root)" and event.account_username == "alice"


def test_a_reading_role_given_by_a_commune_admin_is_logged_as_pending(
    client, commune_admin, desk_officer, commune
):
    client.force_login(commune_admin)
    form = _membership_form(desk_officer, commune, Role.AGENCY_LEADER)
    assert client.post("/quan-tri/agencies/membership/add/", form).status_code == 302
    event = AccountEvent.objects.get()
    assert event.action == AccountEvent.Action.MEMBERSHIP_REQUESTED
    assert (event.actor, event.account, event.agency) == (commune_admin, desk_officer, commune)
    assert (event.role_before, event.role_after) == ("", Role.AGENCY_LEADER)
    assert event.actor_name == "Quantri (quantri)" and event.account_username == "alice"


def test_change_and_removal_on_the_user_page_are_logged(
    client, commune_admin, desk_officer, commune
):
    AccountHome.objects.create(user=desk_officer, agency=commune)
    membership = desk_officer.memberships.get()
    row = {"id": membership.pk, "user": desk_officer.pk, "agency": commune.pk,
           "role": "agency_leader", "desk": membership.desk_id}  # fmt: skip
    client.force_login(commune_admin)
    page = f"/quan-tri/auth/user/{desk_officer.pk}/change/"
    # Turning the desk officer into a leader would read more dossiers: remove, then grant.
    refused = client.post(page, _user_page(desk_officer, commune, row, initial=1))
    assert refused.status_code == 200 and "cần lãnh đạo cơ quan xác nhận" in refused.text
    assert desk_officer.memberships.get().role == Role.DESK_OFFICER
    row.update(role="desk_officer", title="Tổ trưởng")
    assert client.post(page, _user_page(desk_officer, commune, row, initial=1)).status_code == 302
    changed = AccountEvent.objects.get()
    assert changed.action == AccountEvent.Action.MEMBERSHIP_CHANGED
    assert (changed.role_before, changed.role_after) == (Role.DESK_OFFICER, Role.DESK_OFFICER)
    assert "Tổ trưởng" in changed.note
    row["DELETE"] = "on"
    assert client.post(page, _user_page(desk_officer, commune, row, initial=1)).status_code == 302
    assert not desk_officer.memberships.exists()
    removed = AccountEvent.objects.filter(action=AccountEvent.Action.MEMBERSHIP_REMOVED).get()
    assert (removed.role_before, removed.role_after, removed.agency) == (
        Role.DESK_OFFICER, "", commune)  # fmt: skip


def test_moving_a_role_to_another_agency_is_logged_on_both_sides(
    admin_user, leader, commune, other_commune
):
    membership = leader.memberships.get()
    membership_change(actor=admin_user, membership_id=membership.pk, agency=other_commune,
                      role=Role.AGENCY_LEADER, title="Chủ tịch")  # fmt: skip
    rows = AccountEvent.objects.order_by("pk").values_list("action", "agency", "role_before",
                                                           "role_after")  # fmt: skip
    assert list(rows) == [
        (AccountEvent.Action.MEMBERSHIP_REMOVED, commune.pk, Role.AGENCY_LEADER, ""),
        (AccountEvent.Action.MEMBERSHIP_GRANTED, other_commune.pk, "", Role.AGENCY_LEADER),
    ]


def test_a_change_of_title_only_is_logged_with_before_and_after(admin_user, leader, commune):
    membership = leader.memberships.get()
    membership_change(actor=admin_user, membership_id=membership.pk, agency=commune,
                      role=Role.AGENCY_LEADER, title="Phó Chủ tịch")  # fmt: skip
    event = AccountEvent.objects.get()
    assert event.action == AccountEvent.Action.MEMBERSHIP_CHANGED
    assert event.note == "Chức vụ: — → Phó Chủ tịch"


def test_membership_removed_in_the_admin_list_is_logged(client, admin_user, desk_officer):
    membership = desk_officer.memberships.get()
    client.force_login(admin_user)
    response = client.post(f"/quan-tri/agencies/membership/{membership.pk}/delete/",
                           {"post": "yes"})  # fmt: skip
    assert response.status_code == 302
    event = AccountEvent.objects.get()
    assert event.action == AccountEvent.Action.MEMBERSHIP_REMOVED and event.actor == admin_user


def test_account_creation_password_and_activation_are_logged(
    client, commune_admin, desk_officer, commune
):
    AccountHome.objects.create(user=desk_officer, agency=commune)
    client.force_login(commune_admin)
    assert _create_account(client, "moi", commune).status_code == 302
    new = "Mat-khau-moi-2026!"
    page = f"/quan-tri/auth/user/{desk_officer.pk}/password/"
    data = {"password1": new, "password2": new, "usable_password": "true"}
    assert client.post(page, data).status_code == 302
    deactivate = _user_page(desk_officer, commune)
    del deactivate["is_active"]
    page = f"/quan-tri/auth/user/{desk_officer.pk}/change/"
    assert client.post(page, deactivate).status_code == 302
    rows = list(AccountEvent.objects.order_by("pk").values_list("action", "account__username"))
    assert rows == [
        (AccountEvent.Action.ACCOUNT_CREATED, "moi"),
        (AccountEvent.Action.PASSWORD_SET, "alice"),
        (AccountEvent.Action.DEACTIVATED, "alice"),
    ]
    assert set(AccountEvent.objects.values_list("agency", flat=True)) == {commune.pk}


def test_giving_an_account_its_home_is_logged(client, commune_admin, desk_officer, commune):
    client.force_login(commune_admin)
    page = f"/quan-tri/auth/user/{desk_officer.pk}/change/"
    assert client.post(page, _user_page(desk_officer, commune)).status_code == 302
    assert AccountHome.objects.get(user=desk_officer).agency == commune
    event = AccountEvent.objects.get()
    assert (event.action, event.agency) == (AccountEvent.Action.HOME_CHANGED, commune)


def test_the_log_is_read_only_and_each_administrator_reads_their_agencies(
    client, commune_admin, other_commune_admin, admin_user, desk_officer, other_agency_officer,
    commune, other_commune,
):  # fmt: skip
    membership_grant(actor=commune_admin, user=desk_officer, agency=commune, role="agency_leader")
    membership_grant(actor=other_commune_admin, user=other_agency_officer, agency=other_commune,
                     role="agency_leader")  # fmt: skip
    ours = AccountEvent.objects.get(agency=commune)
    client.force_login(commune_admin)
    listing = client.get("/quan-tri/agencies/accountevent/")
    assert listing.status_code == 200
    assert list(listing.context["cl"].queryset) == [ours]
    assert client.get(f"/quan-tri/agencies/accountevent/{ours.pk}/change/").status_code == 200
    theirs = AccountEvent.objects.get(agency=other_commune)
    assert client.get(f"/quan-tri/agencies/accountevent/{theirs.pk}/change/").status_code == 404
    assert client.get("/quan-tri/agencies/accountevent/add/").status_code == 403
    assert client.get(f"/quan-tri/agencies/accountevent/{ours.pk}/delete/").status_code == 403
    answer = client.post(f"/quan-tri/agencies/accountevent/{ours.pk}/change/", {"note": "x"})
    assert answer.status_code == 403
    client.force_login(admin_user)
    assert client.get("/quan-tri/agencies/accountevent/").context["cl"].result_count == 2
    assert client.get(f"/quan-tri/agencies/accountevent/{ours.pk}/delete/").status_code == 403


def test_log_rows_cannot_be_changed_or_deleted(commune_admin, desk_officer, commune):
    membership_grant(actor=commune_admin, user=desk_officer, agency=commune, role="agency_leader")
    event = AccountEvent.objects.get()
    event.role_after = Role.SPECIALIST
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccountEvent.objects.update(role_after=Role.SPECIALIST)
    with pytest.raises(AppendOnlyError):
        AccountEvent.objects.all().delete()
    assert AccountEvent.objects.get().role_after == Role.AGENCY_LEADER


def test_a_logged_account_cannot_be_deleted_from_under_its_history(admin_user, commune):
    from django.db.models import ProtectedError

    account = account_create(actor=SYSTEM, user=User(username="ghi"), home=commune)
    with pytest.raises(ProtectedError):
        account.delete()


# --- Homes of existing and demo accounts ----------------------------------------------------


def test_existing_accounts_are_homed_at_their_first_membership(
    desk_officer, other_agency_officer, commune, other_commune, province
):
    Membership.objects.create(user=desk_officer, agency=other_commune, role=Role.SPECIALIST)
    User.objects.create_superuser("it", password="x")  # no membership
    nobody = User.objects.create_user("nobody")
    migration = importlib.import_module("motcua.agencies.migrations.0004_home_existing_accounts")
    migration.home_existing_accounts(apps, None)
    homes = dict(AccountHome.objects.values_list("user__username", "agency"))
    assert homes == {"alice": commune.pk, "charlie": other_commune.pk, "it": province.pk}
    assert nobody.pk not in AccountHome.objects.values_list("user", flat=True)


def test_demo_commune_admin_manages_only_their_commune(db):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    quantri = User.objects.get(username="quantri.khesanh")
    managed = set(accounts_managed_by(user=quantri).values_list("username", flat=True))
    assert managed == {
        "motcua.khesanh", "tuphap.khesanh", "hotich.khesanh", "truongphong.khesanh",
        "diachinh.khesanh", "lanhdao.khesanh", "quantri.khesanh",
    }  # fmt: skip
    assert AccountHome.objects.get(user__username="admin").agency.code == "000.00.00.H50"
    # every staff account has a home; the demo citizen's account belongs to no agency
    homeless = User.objects.filter(account_home__isnull=True)
    assert list(homeless.values_list("username", flat=True)) == [
        CitizenProfile.objects.get().user.username
    ]
    grants = AccountEvent.objects.filter(action=AccountEvent.Action.MEMBERSHIP_GRANTED)
    assert grants.count() == Membership.objects.count()
    call_command("load_demo", verbosity=0)  # again: nothing new to log
    assert grants.count() == Membership.objects.count()


def test_a_superuser_creates_an_account_with_or_without_a_home(
    client, admin_user, commune_admin, commune
):
    client.force_login(admin_user)
    for page in (
        "/quan-tri/auth/user/add/",
        f"/quan-tri/auth/user/{commune_admin.pk}/change/",
        "/quan-tri/agencies/membership/add/",
        "/quan-tri/agencies/accountevent/",
    ):
        assert client.get(page).status_code == 200, page  # fmt: skip
    response = _create_account(client, "tinh.moi", commune)
    assert response.status_code == 302
    data = {"username": "chua.giao", "password1": PASSWORD, "password2": PASSWORD,
            "usable_password": "true", "home_agency": "", "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0"}  # fmt: skip
    assert client.post("/quan-tri/auth/user/add/", data).status_code == 302
    homes = dict(AccountHome.objects.values_list("user__username", "agency"))
    assert homes == {"tinh.moi": commune.pk}
    managed = set(accounts_managed_by(user=commune_admin).values_list("username", flat=True))
    assert "tinh.moi" in managed and "chua.giao" not in managed
