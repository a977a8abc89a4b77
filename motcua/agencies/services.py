"""Who may give whom which role, and the log of every such change (ND 13/2023 on personal
data: access to citizens' dossiers is granted on purpose and traceably).

An agency's administrator manages the accounts of their own agencies (``accounts_managed_by``)
and the roles inside those agencies, but never gives their own account a role that reads
dossiers: that takes another administrator above them. A role that reads dossiers which they
give anyone else is a ``MembershipRequest``: it gives no access until a leader of that agency
(not the administrator, not the person) or a superuser confirms it, so an administrator cannot
read dossiers by making a second account and giving it a role. Every creation, password, activation,
home and role change is written to ``AccountEvent`` in the same transaction. The admin pages
call these functions; so must any later staff page or API."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.actors import SystemActor
from motcua.agencies.models import (
    DOSSIER_READING_ROLES,
    AccountEvent,
    AccountHome,
    Agency,
    Membership,
    MembershipRequest,
    Role,
)
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


def membership_needs_confirmation(*, actor, role: str) -> bool:
    """Whether ``actor``'s grant of ``role`` waits for a leader's confirmation: a role that
    reads dossiers, given by anyone but a superuser (or the system)."""
    return not actor.is_superuser and role in DOSSIER_READING_ROLES


def membership_check(
    *, actor, user, agency: Agency | None, role: str, current: Membership | None = None
) -> None:
    """Raise ``ValidationError`` (by field) when ``actor`` may not give ``user`` the ``role`` in
    ``agency``, as a new membership or a change of ``current`` (the account being theirs also
    means its present memberships are in their agencies). Forms call it to show the message;
    the services below call it again before writing."""
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
                    "cửa, chuyên viên, lãnh đạo phòng, lãnh đạo cơ quan). Một quản trị viên "
                    "khác của cơ quan hoặc cấp trên có thể giao; việc giao có hiệu lực khi "
                    "lãnh đạo cơ quan (không phải người giao) hoặc quản trị viên toàn hệ thống "
                    "xác nhận ở trang “Xác nhận phân công” (/can-bo/xac-nhan-phan-cong/); quản "
                    "trị viên toàn hệ thống cũng giao được ngay."
                )
            }
        )
    if (
        current is not None
        and membership_needs_confirmation(actor=actor, role=role)
        and (role != current.role or agency.pk != current.agency_id)
    ):
        raise ValidationError(
            {
                "role": _(
                    "Đổi sang vai trò xem hồ sơ (hoặc sang cơ quan khác) cần lãnh đạo cơ quan "
                    "xác nhận: hãy thu hồi phân công này rồi giao vai trò mới, việc giao sẽ "
                    "chờ xác nhận."
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


def _clean_membership(membership: Membership) -> None:
    try:
        membership.full_clean()
    except ValidationError as error:
        if "__all__" in getattr(error, "error_dict", {}):  # the one-role-per-agency constraint
            raise ValidationError(_("Người này đã có vai trò này ở cơ quan này.")) from error
        raise


def _save_membership(membership: Membership) -> None:
    _clean_membership(membership)
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
) -> Membership | MembershipRequest:
    """Give ``user`` the ``role`` in ``agency``: a ``Membership`` at once, or — a role that
    reads dossiers, given by an agency administrator — a pending ``MembershipRequest`` that
    gives no access until confirmed (``membership_request_confirm``)."""
    membership_check(actor=actor, user=user, agency=agency, role=role)
    membership = Membership(
        user=user, agency=agency, role=role, unit=unit, desk=desk, title=title, phone=phone
    )
    if membership_needs_confirmation(actor=actor, role=role):
        return _membership_request(actor, membership)
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
    membership_check(
        actor=actor, user=membership.user, agency=agency, role=role, current=membership
    )
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


def membership_pending_message(request: MembershipRequest) -> str:
    """What the administrator is told after giving a role that waits for confirmation."""
    return _(
        "Vai trò “%(role)s” của %(person)s tại %(agency)s đang chờ xác nhận: vai trò xem hồ "
        "sơ do quản trị viên giao chỉ có hiệu lực khi lãnh đạo cơ quan (hoặc quản trị viên "
        "toàn hệ thống) xác nhận. Đến lúc đó tài khoản chưa xem được hồ sơ nào."
    ) % {
        "role": request.get_role_display(),
        "person": _who(request.user),
        "agency": request.agency.name,
    }


def _membership_request(actor, membership: Membership) -> MembershipRequest:
    _clean_membership(membership)  # the same checks as a grant: unit, desk, not held already
    pending = MembershipRequest.objects.filter(
        user=membership.user,
        agency=membership.agency,
        role=membership.role,
        status=MembershipRequest.Status.PENDING,
    )
    if pending.exists():
        raise ValidationError(_("Đã có đề nghị giao vai trò này cho người này, đang chờ xác nhận."))
    request = MembershipRequest.objects.create(
        user=membership.user,
        agency=membership.agency,
        unit=membership.unit,
        desk=membership.desk,
        role=membership.role,
        title=membership.title,
        phone=membership.phone,
        requested_by=actor,
    )
    _log(actor, AccountEvent.Action.MEMBERSHIP_REQUESTED, membership.user,
         agency=membership.agency, role_after=membership.role,
         note=_describe({**_placement(membership), "Chờ xác nhận": "có"}))  # fmt: skip
    return request


def membership_request_may_decide(*, actor, request: MembershipRequest) -> bool:
    """Someone other than the administrator who asked and the person given the role: a
    superuser, or a leader of the request's agency (a confirmed membership)."""
    if actor.pk is None or actor.pk in (request.requested_by_id, request.user_id):
        return False
    if actor.is_superuser:
        return True
    return Membership.objects.filter(
        user=actor, agency_id=request.agency_id, role=Role.AGENCY_LEADER
    ).exists()


def _pending_for_decision(actor, request_id: int) -> MembershipRequest:
    _require_actor(actor)
    request = (
        MembershipRequest.objects.select_for_update(of=("self",))
        .select_related("user", "agency", "unit", "desk", "requested_by")
        .filter(pk=request_id)
        .first()
    )
    if request is None or not membership_request_may_decide(actor=actor, request=request):
        raise ValidationError(_("Anh/chị không xác nhận được đề nghị phân công này."))
    if request.status != MembershipRequest.Status.PENDING:
        raise ValidationError(
            _("Đề nghị này đã được xử lý (%(status)s).") % {"status": request.get_status_display()}
        )
    return request


def _decide(actor, request: MembershipRequest, status: str, note: str) -> None:
    request.status = status
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


@transaction.atomic
def membership_request_confirm(*, actor, request_id: int, note: str = "") -> Membership:
    """Confirm a pending role: it becomes a membership now, logged as a grant by ``actor``."""
    request = _pending_for_decision(actor, request_id)
    citizen_account_check(request.user, staff=True)
    membership = Membership(
        user=request.user, agency=request.agency, role=request.role, unit=request.unit,
        desk=request.desk, title=request.title, phone=request.phone,
    )  # fmt: skip
    _save_membership(membership)
    _decide(actor, request, MembershipRequest.Status.CONFIRMED, note)
    place = {**_placement(membership), "Đề nghị của": _who(request.requested_by), "Ghi chú": note}
    _log(actor, AccountEvent.Action.MEMBERSHIP_GRANTED, request.user, agency=request.agency,
         role_after=request.role, note=_describe(place))  # fmt: skip
    return membership


@transaction.atomic
def membership_request_refuse(*, actor, request_id: int, note: str = "") -> MembershipRequest:
    """Refuse a pending role: nothing is granted; the refusal is logged."""
    request = _pending_for_decision(actor, request_id)
    _decide(actor, request, MembershipRequest.Status.REFUSED, note)
    place = {"Vai trò đề nghị": request.get_role_display(),
             "Đề nghị của": _who(request.requested_by), "Ghi chú": note}  # fmt: skip
    _log(actor, AccountEvent.Action.MEMBERSHIP_REFUSED, request.user, agency=request.agency,
         note=_describe(place))  # fmt: skip
    return request


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
