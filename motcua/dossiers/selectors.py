"""Reading dossiers: the inboxes, the register (form 07) and the public look-up. Who may see
what is ``access``; these queries only ever start from its scopes."""

from __future__ import annotations

import hmac
import uuid
from datetime import date, datetime, time
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from motcua import clock
from motcua.agencies.models import Agency
from motcua.dossiers import deadlines
from motcua.dossiers.access import (
    Actor,
    Officer,
    assigned_to,
    dossiers_visible,
    waiting_at_posts,
)
from motcua.dossiers.models import (
    DVCQG_STATUS,
    INBOX_STATUSES,
    OPEN_STATUSES,
    Dossier,
    Status,
)
from motcua.pgsql import execute_prepared
from motcua.workcalendar.calendar import VN_TZ
from motcua.workcalendar.selectors import calendar_get

LOOKUP_SALT = "motcua.dossier.lookup"
#: Counters stop counting here and show "100+": a count must not cost more than a page.
COUNT_CAP = 100

INBOXES = {
    "mine": _("Của tôi"),
    "unit": _("Của đơn vị"),
    "due_soon": _("Sắp đến hạn"),
    "overdue": _("Quá hạn"),
}


def _due_soon(actor: Actor, now: datetime) -> Q:
    """``deadlines.due_soon_until`` on the calendar of each agency ``actor`` works for (an
    officer counts their dossiers' time on their agency's office hours)."""
    agencies = {g.agency_id for g in actor.grants} if isinstance(actor, Officer) else set()
    q = Q(pk__in=[])
    for agency in Agency.objects.filter(pk__in=agencies):
        until = deadlines.due_soon_until(calendar=calendar_get(agency=agency), now=now)
        q |= Q(due_at__lte=until)
    return Q(status__in=OPEN_STATUSES, due_at__gte=now) & q


def inbox_queryset(*, actor: Actor, box: str) -> QuerySet[Dossier]:
    """One inbox, sorted by due time (dossiers without one, submitted online, last)."""
    now = clock.now()
    where = assigned_to(actor) if box == "mine" else waiting_at_posts(actor)
    qs = Dossier.objects.filter(where, status__in=INBOX_STATUSES)
    if box == "due_soon":
        qs = qs.filter(_due_soon(actor, now))
    elif box == "overdue":
        qs = qs.filter(status__in=OPEN_STATUSES, due_at__lt=now)
    return qs.order_by(F("due_at").asc(nulls_last=True), "pk")


def capped_count(qs) -> str:
    """The number of rows, or "100+" from ``COUNT_CAP`` on."""
    n = qs.order_by()[:COUNT_CAP].count()
    return f"{COUNT_CAP}+" if n >= COUNT_CAP else str(n)


def inbox_counts(*, actor: Actor) -> dict[str, str]:
    return {box: capped_count(inbox_queryset(actor=actor, box=box)) for box in INBOXES}


def inbox_page(*, actor: Actor, box: str, limit: int) -> list[Dossier]:
    return list(
        inbox_queryset(actor=actor, box=box)
        .select_related("procedure_version", "current_unit", "current_step")
        .only(
            "code",
            "uid",
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


# --- the register (form 07) ----------------------------------------------------------------


def register_queryset(
    *,
    actor: Actor,
    desk=None,
    start: date | None = None,
    end: date | None = None,
    field_code: str = "",
) -> QuerySet[Dossier]:
    """Form 07: the dossiers received at ``desk`` (all ``actor`` may see when None), for a
    period and a field, in order of receipt."""
    qs = dossiers_visible(actor).filter(received_at__isnull=False)
    if desk is not None:
        qs = qs.filter(receiving_desk=desk)
    if start:
        qs = qs.filter(received_at__gte=datetime.combine(start, time.min, VN_TZ))
    if end:
        qs = qs.filter(received_at__lte=datetime.combine(end, time.max, VN_TZ))
    if field_code:
        qs = qs.filter(procedure_version__fields__code=field_code)
    return qs.select_related("procedure_version", "deciding_agency").order_by("received_at", "pk")


def register_page(qs: QuerySet[Dossier], *, number, per_page: int):
    """One page of the register; a number out of range gives the nearest page."""
    return Paginator(qs, per_page).get_page(number)


# --- public look-up ----------------------------------------------------------------------

_UID_PREFIX = "u."


def lookup_token(dossier: Dossier) -> str:
    """The signed token of the receipt's QR code and the messages' links: it names the
    dossier by its uid, which it has before its code (so a message written in the receipt's
    own statement can carry it)."""
    return signing.Signer(salt=LOOKUP_SALT).sign(_UID_PREFIX + dossier.uid.hex)


def lookup_url(dossier: Dossier) -> str:
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return f"{base}/tra-cuu/?{urlencode({'t': lookup_token(dossier)})}"


def _verify_matches(phone: str, id_number: str, verify: str) -> bool:
    verify = (verify or "").strip()
    if len(verify) != 4 or not verify.isdigit():
        return False
    candidates = [phone[-4:], id_number[-4:]]
    return any(hmac.compare_digest(verify, c) for c in candidates if len(c) == 4)


_PUBLIC_SQL = (
    "SELECT d.code, d.status, d.received_at, d.due_at, d.extended_at, d.returned_at, "
    "d.applicant_phone, d.applicant_id_number, v.name, "
    "e.at, e.action, e.status_after, e.unit_name "
    "FROM dossiers_dossier d "
    "JOIN catalog_procedureversion v ON v.id = d.procedure_version_id "
    "LEFT JOIN dossiers_dossierevent e ON e.dossier_id = d.id "
    "WHERE {where} ORDER BY e.seq"
)
#: A code as typed, or in capitals: people type "h50" for the "H50" printed on the receipt.
_BY_CODE = "d.code IN (%s, %s)"


def dossier_public_status(*, code: str = "", verify: str = "", token: str = "") -> dict | None:
    """What the public may see of one dossier, by code and the last 4 digits of the phone or
    ID number, or by the signed token of the receipt's QR code; None whatever went wrong.

    The busiest read of the system (SPEC §12), so one plain SQL statement by the unique code
    (or uid) and the (dossier, seq) index, no ORM compilation; no personal data leaves this
    function.
    """
    from motcua.dossiers.transitions import ACTION_LABELS

    where, value = _BY_CODE, code.strip()
    params = [value, value.upper()]
    if token:
        try:
            signed = signing.Signer(salt=LOOKUP_SALT).unsign(token)
        except signing.BadSignature:
            return None
        if signed.startswith(_UID_PREFIX):
            try:
                uid = uuid.UUID(hex=signed.removeprefix(_UID_PREFIX))
            except ValueError:
                return None
            where = "d.uid = %s"
            params = [uid if connection.vendor == "postgresql" else uid.hex]
        else:  # a paper printed before tokens named the uid
            params = [signed, signed]
    elif not value:
        return None
    rows = execute_prepared(_PUBLIC_SQL.format(where=where), params)
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
