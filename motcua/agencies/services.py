"""Who may give whom which role, and the log of every such change (ND 13/2023 on personal
data: access to citizens' dossiers is granted on purpose and traceably).

An agency's administrator manages the accounts of their own agencies (``accounts_managed_by``)
and the roles inside those agencies, but never gives their own account a role that reads
dossiers: that takes another administrator above them. Every creation, password, activation,
home and role change is written to ``AccountEvent`` in the same transaction. The admin pages
call these functions; so must any later staff page or API."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.actors import SystemActor
from motcua.agencies.models import AccountEvent, AccountHome, Agency, Membership, Role
from motcua.agencies.selectors import accounts_managed_by, agencies_administered_by

User = get_user_model()


def _require_actor(actor) -> None:
    if actor is None:
        raise TypeError("actor is required: a user, or SYSTEM")


def _in_scope(actor, agency: Agency | None) -> bool:
    if actor.is_superuser:
        return True
    return agency is not None and agencies_administered_by(user=actor).filter(pk=agency.pk).exists()


def _manages(actor, user) -> bool:
    return actor.is_superuser or accounts_managed_by(user=actor).filter(pk=user.pk).exists()


def membership_check(*, actor, user, agency: Agency | None, role: str) -> None:
    """Raise ``ValidationError`` (by field) when ``actor`` may not give ``user`` the ``role`` in
    ``agency``, as a new membership or a change of one (the account being theirs also means
    its present memberships are in their agencies). Forms call it to show the message; the
    services below call it again before writing."""
    _require_actor(actor)
    citizen_account_check(user, staff=True)
    if actor.is_superuser:
        return
    if not _in_scope(actor, agency):
        raise ValidationError(
            {"agency": _("Anh/chị chỉ phân công được trong các cơ quan mình quản trị.")}
        )
    if user.pk is not None and not _manages(actor, user):
        raise ValidationError(
            {
                "user": _(
                    "Tài khoản này không thuộc cơ quan anh/chị quản trị, hoặc còn làm việc ở "
                    "cơ quan khác: chỉ quản trị viên cấp trên mới phân công được."
                )
            }
        )
    if user.pk is not None and user.pk == actor.pk and role != Role.ADMINISTRATOR:
        raise ValidationError(
            {
                "role": _(
                    "Quản trị viên không được tự giao cho mình vai trò xem hồ sơ (cán bộ một "
                    "cửa, chuyên viên, lãnh đạo phòng, lãnh đạo cơ quan). Hãy đề nghị quản trị "
                    "viên cấp trên phân công."
                )
            }
        )


def citizen_account_check(user, *, staff: bool) -> None:
    """A citizen's account (made on the citizens' side) never becomes staff: no role, no
    admin flag (``staff``: what is about to be given). The person gets a staff account of
    their own."""
    from motcua.citizens.models import CitizenProfile

    if not staff or user.pk is None:
        return
    if CitizenProfile.objects.filter(user_id=user.pk).exists():
        raise ValidationError(
            {
                "user": _(
                    "Đây là tài khoản công dân: không thể giao vai trò hay quyền quản trị. Hãy "
                    "tạo một tài khoản cán bộ riêng cho người này."
                )
            }
        )


def _who(user) -> str:
    if isinstance(user, SystemActor):
        return str(user)
    name = f"{user.last_name} {user.first_name}".strip()
    return f"{name} ({user.username})" if name else user.username


def _log(actor, action: str, account, *, agency=None, role_before="", role_after="", note=""):
    AccountEvent.objects.create(
        actor=None if isinstance(actor, SystemActor) else actor,
        actor_name=_who(actor),
        action=action,
        account=account,
        account_username=account.username,
        agency=agency,
        role_before=role_before,
        role_after=role_after,
        note=note,
    )


def _placement(membership: Membership) -> dict[str, str]:
    return {
        "Đơn vị": membership.unit.name if membership.unit_id else "",
        "Bộ phận một cửa": membership.desk.name if membership.desk_id else "",
        "Chức vụ": membership.title,
        "Điện thoại": membership.phone,
    }


def _describe(place: dict[str, str]) -> str:
    return "; ".join(f"{label}: {value}" for label, value in place.items() if value)


def _save_membership(membership: Membership) -> None:
    try:
        membership.full_clean()
    except ValidationError as error:
        if "__all__" in getattr(error, "error_dict", {}):  # the one-role-per-agency constraint
            raise ValidationError(_("Người này đã có vai trò này ở cơ quan này.")) from error
        raise
    membership.save()


@transaction.atomic
def membership_grant(
    *,
    actor,
    user,
    agency: Agency,
    role: str,
    unit=None,
    desk=None,
    title: str = "",
    phone: str = "",
) -> Membership:
    membership_check(actor=actor, user=user, agency=agency, role=role)
    membership = Membership(
        user=user, agency=agency, role=role, unit=unit, desk=desk, title=title, phone=phone
    )
    _save_membership(membership)
    _log(
        actor,
        AccountEvent.Action.MEMBERSHIP_GRANTED,
        user,
        agency=agency,
        role_after=role,
        note=_describe(_placement(membership)),
    )
    return membership


@transaction.atomic
def membership_change(
    *,
    actor,
    membership_id: int,
    agency: Agency,
    role: str,
    unit=None,
    desk=None,
    title: str = "",
    phone: str = "",
) -> Membership:
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "agency", "unit", "desk")
        .get(pk=membership_id)
    )
    membership_check(actor=actor, user=membership.user, agency=agency, role=role)
    old_agency, old_role, old_place = membership.agency, membership.role, _placement(membership)
    membership.agency, membership.role, membership.unit, membership.desk = agency, role, unit, desk
    membership.title, membership.phone = title, phone
    _save_membership(membership)
    new_place = _placement(membership)
    user = membership.user
    if agency.pk != old_agency.pk:  # a move: each agency's log shows its side
        _log(actor, AccountEvent.Action.MEMBERSHIP_REMOVED, user, agency=old_agency,
             role_before=old_role, note=_describe(old_place))  # fmt: skip
        _log(actor, AccountEvent.Action.MEMBERSHIP_GRANTED, user, agency=agency,
             role_after=role, note=_describe(new_place))  # fmt: skip
    elif role != old_role or new_place != old_place:
        changes = "; ".join(
            f"{label}: {old_place[label] or '—'} → {new_place[label] or '—'}"
            for label in new_place
            if old_place[label] != new_place[label]
        )
        _log(actor, AccountEvent.Action.MEMBERSHIP_CHANGED, user, agency=agency,
             role_before=old_role, role_after=role, note=changes)  # fmt: skip
    return membership


@transaction.atomic
def membership_remove(*, actor, membership_id: int) -> None:
    _require_actor(actor)
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "agency", "unit", "desk")
        .get(pk=membership_id)
    )
    if not _in_scope(actor, membership.agency):
        raise ValidationError(_("Phân công này thuộc cơ quan anh/chị không quản trị."))
    place = _placement(membership)
    membership.delete()
    _log(actor, AccountEvent.Action.MEMBERSHIP_REMOVED, membership.user,
         agency=membership.agency, role_before=membership.role, note=_describe(place))  # fmt: skip


def _account_agency(user) -> Agency | None:
    """The agency an account's own log rows are filed under: its home, else where it works."""
    home = AccountHome.objects.filter(user=user).select_related("agency").first()
    if home is not None:
        return home.agency
    first = Membership.objects.filter(user=user).select_related("agency").order_by("pk").first()
    return first.agency if first else None


def _refuse_unmanaged(actor, user) -> None:
    _require_actor(actor)
    if not _manages(actor, user):
        raise ValidationError(_("Tài khoản này không thuộc cơ quan anh/chị quản trị."))


def _refuse_admin_wide_flags(actor, user, *, was_superuser=False, was_staff=False) -> None:
    if not actor.is_superuser and (
        user.is_superuser != was_superuser or user.is_staff != was_staff
    ):
        raise ValidationError(
            _("Chỉ quản trị viên toàn hệ thống mới đổi được quyền quản trị toàn hệ thống.")
        )


@transaction.atomic
def account_create(*, actor, user, home: Agency | None):
    """Save the new account ``user`` (its password already set) and home it in ``home``, the
    agency whose administrator creates it; only superusers may leave it without one."""
    _require_actor(actor)
    _refuse_admin_wide_flags(actor, user)
    if home is None and not actor.is_superuser:
        raise ValidationError({"home_agency": _("Hãy chọn cơ quan quản lý tài khoản.")})
    if home is not None and not _in_scope(actor, home):
        raise ValidationError(
            {"home_agency": _("Anh/chị chỉ tạo được tài khoản cho cơ quan mình quản trị.")}
        )
    user.save()
    if home is not None:
        AccountHome.objects.create(
            user=user, agency=home, created_by=None if isinstance(actor, SystemActor) else actor
        )
    _log(actor, AccountEvent.Action.ACCOUNT_CREATED, user, agency=home)
    return user


@transaction.atomic
def account_update(*, actor, user):
    """Save the edited account ``user`` (names, e-mail, active flag; the admin-wide flags only
    for superusers) and log an activation change."""
    _require_actor(actor)
    stored = User.objects.select_for_update().get(pk=user.pk)
    _refuse_unmanaged(actor, stored)
    _refuse_admin_wide_flags(
        actor, user, was_superuser=stored.is_superuser, was_staff=stored.is_staff
    )
    citizen_account_check(user, staff=user.is_staff or user.is_superuser)
    user.save()
    if user.is_active != stored.is_active:
        action = (
            AccountEvent.Action.ACTIVATED if user.is_active else AccountEvent.Action.DEACTIVATED
        )
        _log(actor, action, user, agency=_account_agency(user))
    return user


@transaction.atomic
def account_home_set(*, actor, user, home: Agency | None) -> None:
    """Move the account to another home agency (among the actor's own; superusers anywhere or
    nowhere)."""
    _refuse_unmanaged(actor, user)
    current = AccountHome.objects.select_for_update().filter(user=user).first()
    if (current.agency_id if current else None) == (home.pk if home else None):
        return
    if home is None and not actor.is_superuser:
        raise ValidationError({"home_agency": _("Hãy chọn cơ quan quản lý tài khoản.")})
    if home is not None and not _in_scope(actor, home):
        raise ValidationError({"home_agency": _("Anh/chị chỉ chọn được cơ quan mình quản trị.")})
    before = current.agency.name if current else "—"
    if home is None:
        current.delete()
    elif current is None:
        AccountHome.objects.create(user=user, agency=home)
    else:
        current.agency = home
        current.save(update_fields=["agency"])
    _log(actor, AccountEvent.Action.HOME_CHANGED, user, agency=home,
         note=f"Trước: {before}")  # fmt: skip


@transaction.atomic
def account_password_set(*, actor, user, password: str | None) -> None:
    """Set ``user``'s password (``None``: disable log-in by password), and log it."""
    _refuse_unmanaged(actor, user)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["password"])
    _log(actor, AccountEvent.Action.PASSWORD_SET, user, agency=_account_agency(user))
