"""Reading dossiers, with the access rules of SPEC §3 and the inboxes of issue #3."""

from __future__ import annotations

import hmac
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Membership, Role
from motcua.dossiers.models import (
    DVCQG_STATUS,
    INBOX_STATUSES,
    OPEN_STATUSES,
    Dossier,
    DossierEvent,
    Status,
)
from motcua.pgsql import execute_prepared
from motcua.workcalendar.calendar import VN_TZ, add_working_time

LOOKUP_SALT = "motcua.dossier.lookup"
#: Counters stop counting here and show "100+": a count must not cost more than a page.
COUNT_CAP = 100


def _memberships(user) -> list[dict]:
    return list(
        Membership.objects.filter(user=user).values("role", "agency_id", "unit_id", "desk_id")
    )


def dossier_scope(*, user) -> Q:
    """Dossiers ``user`` may see: received at their desk, at their unit's step, of the agency
    they lead, or that they handled before. Administrators manage settings, not dossiers."""
    if user.is_superuser:
        return Q()
    q = Q(current_assignee=user) | Q(
        Exists(DossierEvent.objects.filter(dossier=OuterRef("pk"), actor=user))
    )
    for m in _memberships(user):
        if m["role"] == Role.DESK_OFFICER and m["desk_id"]:
            q |= Q(receiving_desk_id=m["desk_id"])
        elif m["role"] in (Role.SPECIALIST, Role.UNIT_HEAD) and m["unit_id"]:
            q |= Q(current_unit_id=m["unit_id"])
        elif m["role"] == Role.AGENCY_LEADER:
            q |= Q(deciding_agency_id=m["agency_id"])
    return q


def dossiers_visible_to(*, user) -> QuerySet[Dossier]:
    if not user.is_authenticated:
        return Dossier.objects.none()
    return Dossier.objects.filter(dossier_scope(user=user))


def dossier_get_for_user(*, user, code: str) -> Dossier | None:
    return (
        dossiers_visible_to(user=user)
        .select_related(
            "procedure_version__procedure",
            "receiving_desk",
            "receiving_agency",
            "deciding_agency",
            "current_step",
            "current_unit",
            "current_assignee",
        )
        .filter(code=code)
        .first()
    )


def _held_by(user) -> Q:
    """Dossiers waiting for an action of ``user``'s desk, unit or leadership. Each branch
    matches one of the indexes (desk, unit, agency), so PostgreSQL combines index scans."""
    q = Q(pk__in=[])
    for m in _memberships(user):
        if m["role"] == Role.DESK_OFFICER and m["desk_id"]:
            q |= Q(current_role=Role.DESK_OFFICER, receiving_desk_id=m["desk_id"])
            q |= Q(status=Status.WAITING_APPLICANT, receiving_desk_id=m["desk_id"])
        elif m["role"] in (Role.SPECIALIST, Role.UNIT_HEAD) and m["unit_id"]:
            q |= Q(current_role__in=[Role.SPECIALIST, Role.UNIT_HEAD], current_unit_id=m["unit_id"])
        elif m["role"] == Role.AGENCY_LEADER:
            q |= Q(current_role=Role.AGENCY_LEADER, deciding_agency_id=m["agency_id"])
    return q


INBOXES = {
    "mine": _("Của tôi"),
    "unit": _("Của đơn vị"),
    "due_soon": _("Sắp đến hạn"),
    "overdue": _("Quá hạn"),
}


def inbox_queryset(*, user, box: str) -> QuerySet[Dossier]:
    """One inbox, sorted by due time. ``due_soon``: due within 1 working day."""
    now = timezone.now()
    if box == "mine":
        qs = Dossier.objects.filter(current_assignee=user)
    else:
        qs = Dossier.objects.filter(_held_by(user))
    qs = qs.filter(status__in=INBOX_STATUSES)
    if box == "due_soon":
        qs = qs.filter(
            status__in=OPEN_STATUSES, due_at__gte=now, due_at__lte=add_working_time(now, days=1)
        )
    elif box == "overdue":
        qs = qs.filter(status__in=OPEN_STATUSES, due_at__lt=now)
    return qs.order_by("due_at", "pk")


def capped_count(qs) -> str:
    """The number of rows, or "100+" from ``COUNT_CAP`` on."""
    n = qs.order_by()[:COUNT_CAP].count()
    return f"{COUNT_CAP}+" if n >= COUNT_CAP else str(n)


def inbox_counts(*, user) -> dict[str, str]:
    return {box: capped_count(inbox_queryset(user=user, box=box)) for box in INBOXES}


def inbox_page(*, user, box: str, limit: int) -> list[Dossier]:
    return list(
        inbox_queryset(user=user, box=box)
        .select_related("procedure_version", "current_unit", "current_step")
        .only(
            "code",
            "applicant_name",
            "status",
            "due_at",
            "step_due_at",
            "extended_at",
            "procedure_version__name",
            "current_unit__name",
            "current_step__name",
            "current_role",
        )[:limit]
    )


# --- public look-up ----------------------------------------------------------------------


def lookup_token(dossier: Dossier) -> str:
    return signing.Signer(salt=LOOKUP_SALT).sign(dossier.code)


def lookup_url(dossier: Dossier) -> str:
    return (
        f"{settings.PUBLIC_BASE_URL.rstrip('/')}/tra-cuu/?{urlencode({'t': lookup_token(dossier)})}"
    )


def _verify_matches(phone: str, id_number: str, verify: str) -> bool:
    verify = (verify or "").strip()
    if len(verify) != 4 or not verify.isdigit():
        return False
    candidates = [phone[-4:], id_number[-4:]]
    return any(hmac.compare_digest(verify, c) for c in candidates if len(c) == 4)


def dossier_public_status(*, code: str = "", verify: str = "", token: str = "") -> dict | None:
    """What the public may see of one dossier, by code and the last 4 digits of the phone or
    ID number, or by the signed token of the receipt's QR code; None whatever went wrong.

    The busiest read of the system (SPEC §12), so one plain SQL statement by the unique code
    and the (dossier, seq) index, no ORM compilation; no personal data leaves this function.
    """
    from motcua.dossiers.services import ACTION_LABELS

    if token:
        try:
            code = signing.Signer(salt=LOOKUP_SALT).unsign(token)
        except signing.BadSignature:
            return None
    # One round trip: the dossier's row repeated beside each of its events.
    rows = execute_prepared(
        "SELECT d.code, d.status, d.received_at, d.due_at, d.extended_at, d.returned_at, "
        "d.applicant_phone, d.applicant_id_number, v.name, "
        "e.at, e.action, e.status_after, e.unit_name "
        "FROM dossiers_dossier d "
        "JOIN catalog_procedureversion v ON v.id = d.procedure_version_id "
        "LEFT JOIN dossiers_dossierevent e ON e.dossier_id = d.id "
        "WHERE d.code = %s ORDER BY e.seq",
        [code.strip()],
    )
    if not rows:
        return None
    code, status, received, due, extended, returned, phone, id_number, name = rows[0][:9]
    if not token and not _verify_matches(phone, id_number, verify):
        return None
    events = [row[9:] for row in rows if row[10] is not None]
    convert = connection.ops.convert_datetimefield_value if connection.vendor == "sqlite" else None

    def moment(value):
        if value is None:
            return None
        return (convert(value, None, connection) if convert else value).astimezone(VN_TZ)

    status = Status(status)
    return {
        "code": code,
        "procedure": name,
        "status": status.value,
        "status_label": status.label,
        "dvcqg_status": DVCQG_STATUS[status],
        "received_at": moment(received),
        "due_at": moment(due),
        "extended": extended is not None,
        "returned_at": moment(returned),
        "steps": [
            {
                "at": moment(at),
                "action": action,
                "label": ACTION_LABELS.get(action, action),
                "status": after,
                "unit": unit,
            }
            for at, action, after, unit in events
        ],
    }
