"""Reading dossiers: the inboxes, the register (form 07) and the public look-up. Who may see
what is ``access``; these queries only ever start from its scopes."""

from __future__ import annotations

import functools
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from motcua import clock
from motcua.agencies.models import Agency, Role, Unit
from motcua.agencies.selectors import person_name
from motcua.dossiers import deadlines, search
from motcua.dossiers.access import (
    Actor,
    Officer,
    assigned_to,
    dossiers_visible,
    waiting_at_posts,
)
from motcua.dossiers.codes import code_spellings
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


def _due_soon_until(actor: Actor, now: datetime) -> datetime | None:
    """The latest ``deadlines.due_soon_until`` on the calendars of the agencies ``actor``
    works for (an officer counts their dossiers' time on their agency's office hours); None
    for anyone else."""
    agencies = {g.agency_id for g in actor.grants} if isinstance(actor, Officer) else set()
    return max(
        (
            deadlines.due_soon_until(calendar=calendar_get(agency=agency), now=now)
            for agency in Agency.objects.filter(pk__in=agencies)
        ),
        default=None,
    )


def _due_soon(actor: Actor, now: datetime) -> Q:
    until = _due_soon_until(actor, now)
    if until is None:
        return Q(pk__in=[])
    return Q(status__in=OPEN_STATUSES, due_at__gte=now, due_at__lte=until)


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


def capped_number(qs) -> int:
    """The number of rows, counted up to ``COUNT_CAP`` (which then means "that many or more")."""
    return qs.order_by()[:COUNT_CAP].count()


def capped_count(qs) -> str:
    """The number of rows, or "100+" from ``COUNT_CAP`` on."""
    n = capped_number(qs)
    return f"{COUNT_CAP}+" if n >= COUNT_CAP else str(n)


def inbox_counts(*, actor: Actor) -> dict[str, str]:
    return {box: capped_count(inbox_queryset(actor=actor, box=box)) for box in INBOXES}


#: Roles whose day starts with the whole unit's or agency's box: they share work out.
_LEADS = frozenset({Role.UNIT_HEAD, Role.AGENCY_LEADER})


def inbox_first_box(*, actor: Actor, counts: dict[str, str]) -> str:
    """The box the inbox opens on when none is chosen: "Của tôi" for a specialist who has
    dossiers assigned to them; the unit's for a head of unit or a leader, who share the
    work out, and for anyone with nothing of their own."""
    roles = {grant.role for grant in getattr(actor, "grants", ())}
    if Role.SPECIALIST in roles and not roles & _LEADS and counts.get("mine", "0") != "0":
        return "mine"
    return "unit"


def inbox_page(*, actor: Actor, box: str, limit: int) -> list[Dossier]:
    """The first ``limit`` dossiers of one inbox, each marked ``due_soon`` as the "due soon"
    inbox counts it."""
    return _inbox_rows(actor, inbox_queryset(actor=actor, box=box), limit)


@dataclass(frozen=True)
class InboxSearch:
    rows: list[Dossier]
    #: False when a common term was looked for only among the box's earliest-due
    #: ``search.COMMON_SCAN_ROWS`` dossiers and fewer than a page matched there.
    complete: bool = True


def inbox_search(*, actor: Actor, box: str, query: str, limit: int) -> InboxSearch:
    """The dossiers of one inbox that ``query`` finds (``search.inbox_match``: code,
    applicant name, ID number), in due order: never one outside the inbox. A rare term is
    looked up in the search index; a common one is looked for among the box's earliest-due
    ``search.COMMON_SCAN_ROWS`` dossiers, read once (``search``'s docstring says why)."""
    box_qs = inbox_queryset(actor=actor, box=box)
    match = search.inbox_match(query)
    if match is None:
        return InboxSearch(rows=_inbox_rows(actor, box_qs, limit))
    candidates = search.index_candidates(match)
    if candidates is not None:
        found = box_qs.filter(match, pk__in=candidates).values_list("pk", flat=True)
        page, complete = list(found[:limit]), True
    else:
        hit = ExpressionWrapper(match, output_field=BooleanField())
        window = list(box_qs.annotate(hit=hit).values_list("pk", "hit")[: search.COMMON_SCAN_ROWS])
        page = [pk for pk, is_hit in window if is_hit][:limit]
        complete = len(window) < search.COMMON_SCAN_ROWS or len(page) >= limit
    rows = _inbox_rows(actor, box_qs.filter(pk__in=page), limit)
    return InboxSearch(rows=rows, complete=complete)


def _inbox_rows(actor: Actor, qs: QuerySet[Dossier], limit: int) -> list[Dossier]:
    rows = list(
        qs.select_related(
            "procedure_version__procedure", "current_unit", "current_step", "current_assignee"
        ).only(
            "code",
            "uid",
            "applicant_name",
            "status",
            "due_at",
            "step_due_at",
            "paused_at",
            "extended_at",
            "extension_proposed_at",
            "channel",
            "completion_requested_at",
            "procedure_version__name",
            "procedure_version__procedure__code",
            "current_unit__name",
            "current_step__name",
            "current_step__order",
            "current_role",
            "current_assignee__username",
        )[:limit]
    )
    now = clock.now()
    until = _due_soon_until(actor, now) if rows else None
    for row in rows:
        row.due_soon = (
            until is not None
            and row.is_open
            and row.due_at is not None
            and now <= row.due_at <= until
        )
    return rows


# --- the load of each officer (for heads of unit) -------------------------------------------


@dataclass
class OfficerLoad:
    """Dossiers at a unit's steps in one officer's hands (``user`` None: not yet assigned)."""

    user: object | None
    name: str
    open: int = 0
    overdue: int = 0


@dataclass
class UnitLoad:
    unit: object
    officers: list[OfficerLoad]
    unassigned: OfficerLoad


def unit_load(*, actor: Actor) -> list[UnitLoad]:
    """For each unit ``actor`` heads: its officers with the dossiers at its steps assigned to
    each (and how many of those are overdue), and those assigned to nobody. Three queries
    however many dossiers (the count reads the unit inbox's partial index)."""
    from django.contrib.auth import get_user_model

    units = actor.ids(Role.UNIT_HEAD, "unit_id") if isinstance(actor, Officer) else set()
    if not units:
        return []
    now = clock.now()
    counts = {
        (row["current_unit_id"], row["current_assignee_id"]): row
        for row in Dossier.objects.filter(status__in=INBOX_STATUSES, current_unit_id__in=units)
        .values("current_unit_id", "current_assignee_id")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now)),
        )
        .order_by()
    }
    people = (
        get_user_model()
        .objects.filter(
            memberships__unit_id__in=units,
            memberships__role__in=[Role.SPECIALIST, Role.UNIT_HEAD],
        )
        .annotate(unit_id=F("memberships__unit_id"))
        .order_by("first_name", "last_name", "username")
    )
    by_unit: dict[int, list] = {}
    for user in people:
        by_unit.setdefault(user.unit_id, []).append(user)

    def load(unit_id, user) -> OfficerLoad:
        row = counts.pop((unit_id, user.pk if user else None), {})
        name = person_name(user) if user else str(_("Chưa phân công"))
        return OfficerLoad(user, name, row.get("open", 0), row.get("overdue", 0))

    result = []
    for unit in Unit.objects.filter(pk__in=units).order_by("name"):
        officers = [load(unit.pk, user) for user in by_unit.get(unit.pk, [])]
        result.append(UnitLoad(unit, officers, load(unit.pk, None)))
    return result


# --- a dossier's page ----------------------------------------------------------------------


def dossier_events(dossier: Dossier) -> list:
    """The trace in order, each event with the files it brought (two queries); a proposal
    of form 04 with the appointment it asks for as a moment (``proposed_due_at``); a
    re-assignment with the full name of who had the step before (``previous_name``)."""
    events = list(dossier.events.select_related("actor").prefetch_related("files").order_by("seq"))
    names = previous_assignee_names(events)
    for event in events:
        if event.action == "propose_extension":
            event.proposed_due_at = datetime.fromisoformat(event.data["new_due_at"])
        elif event.action == "assign":
            event.previous_name = names.get(event.data.get("previous_assignee"), "")
    return events


def previous_assignee_names(events) -> dict[str, str]:
    """Username → full name of whoever had the step before each re-assignment in
    ``events``: as the event wrote it, else (events written before they named them) read
    from the accounts in one query."""
    from django.contrib.auth import get_user_model

    names, unnamed = {}, set()
    for event in events:
        if event.action != "assign" or not (username := event.data.get("previous_assignee")):
            continue
        if name := event.data.get("previous_assignee_name"):
            names[username] = name
        else:
            unnamed.add(username)
    if unnamed - names.keys():
        users = get_user_model().objects.filter(username__in=unnamed - names.keys())
        names.update({user.username: person_name(user) for user in users})
    return names


def extension_proposal(dossier: Dossier, events: list) -> dict | None:
    """The latest proposal of form 04 for the leader to issue (none once extended): who
    proposed it and when, the reason and the new appointment asked for."""
    if dossier.extended_at is not None:
        return None
    event = next((e for e in reversed(events) if e.action == "propose_extension"), None)
    if event is None:
        return None
    return {
        "by": event.actor_name,
        "at": event.at,
        "note": event.note,
        "new_due_at": event.proposed_due_at,
    }


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


_NOTICE_PREFIX = "n."


def notice_lookup_token(notice) -> str:
    """The signed token of the QR code of a form 02 or 03 the desk gave for a dossier it did
    not receive: the look-up opens that paper's public status (``notice_public_status``)."""
    return signing.Signer(salt=LOOKUP_SALT).sign(f"{_NOTICE_PREFIX}{notice.pk}")


def notice_public_status(*, token: str) -> dict | None:
    """What the public may see of a desk's form 02 or 03 (no dossier was received): which
    paper, its number and date, the procedure and desk, what to complete or why it was
    refused — no personal data; None for any token that is not one."""
    from motcua.dossiers.models import DeskNotice, IssuedPaper

    try:
        value = signing.Signer(salt=LOOKUP_SALT).unsign(token)
    except signing.BadSignature:
        return None
    if not value.startswith(_NOTICE_PREFIX) or not value[2:].isdigit():
        return None
    notice = (
        DeskNotice.objects.select_related("desk__agency", "procedure_version")
        .filter(pk=int(value[2:]), dossier__isnull=True)
        .first()
    )
    if notice is None:
        return None
    paper = IssuedPaper.objects.filter(desk_notice=notice).first()
    return {
        "form": notice.form,
        "title": notice.get_kind_display(),
        "number": paper.number if paper else "",
        "issued_at": notice.created_at,
        "procedure": notice.procedure_version.name,
        "desk": notice.desk.name,
        "agency": notice.desk.agency.name,
        "items": list(notice.items) if notice.kind == DeskNotice.Kind.COMPLETE else [],
        "reason": notice.reason,
        "refused": notice.kind == DeskNotice.Kind.REFUSE,
    }


def lookup_url(dossier: Dossier) -> str:
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return f"{base}/tra-cuu/?{urlencode({'t': lookup_token(dossier)})}"


def _verify_matches(phone: str, id_number: str, verify: str) -> bool:
    verify = (verify or "").strip()
    if len(verify) != 4 or not verify.isdigit():
        return False
    candidates = [phone[-4:], id_number[-4:]]
    return any(hmac.compare_digest(verify, c) for c in candidates if len(c) == 4)


@functools.cache
def _public_sql() -> str:
    """The look-up's one statement: the dossier, what the applicant must still bring while it
    waits for them (the latest form 02's list, also before an online dossier is accepted),
    and its events but the internal ones (assignment, opinions, proposals:
    ``transitions.INTERNAL_ACTIONS``), each with the role holding the step it reached (to
    name a hand-over in the applicant's words); and the unit holding the dossier now (the
    last event's unit, ``_units_reached``)."""
    from motcua.dossiers.transitions import INTERNAL_ACTIONS

    internal = ", ".join(f"'{action.value}'" for action in sorted(INTERNAL_ACTIONS))
    return (
        "SELECT d.code, d.status, d.received_at, d.due_at, d.extended_at, d.returned_at, "
        "d.applicant_phone, d.applicant_id_number, v.name, "
        f"CASE WHEN d.status = '{Status.WAITING_APPLICANT.value}' "
        "OR d.completion_requested_at IS NOT NULL THEN "
        "(SELECT n.items FROM dossiers_desknotice n WHERE n.dossier_id = d.id "
        "ORDER BY n.id DESC LIMIT 1) END, "
        "d.id, d.uid, d.original_due_at, d.finished_at, d.extension_reason, "
        "d.current_role, d.fee_amount, cu.name, "
        "e.at, e.action, e.status_after, e.unit_name, s.role "
        "FROM dossiers_dossier d "
        "JOIN catalog_procedureversion v ON v.id = d.procedure_version_id "
        "LEFT JOIN agencies_unit cu ON cu.id = d.current_unit_id "
        "LEFT JOIN dossiers_dossierevent e "
        f"ON e.dossier_id = d.id AND e.action NOT IN ({internal}) "
        "LEFT JOIN catalog_processstep s "
        'ON s.version_id = d.procedure_version_id AND s."order" = e.step_after '
        "WHERE {where} ORDER BY e.seq"
    )


#: Columns of the dossier in ``_public_sql``'s rows, before the event's.
_DOSSIER_COLUMNS = 18


def _units_reached(events: list, current_unit: str | None) -> list[str]:
    """The unit holding the dossier after each event, as the applicant reads a timeline line
    ("Đang trình lãnh đạo ký duyệt" is where it is, not who sent it there). An event records
    the unit that held the step when it happened (``unit_name``): the unit after one event is
    the one the next event found (the events left out in between — an assignment, an
    opinion — change no step), and after the last one the dossier's current unit. The desk's
    and the leader's steps belong to no unit: none is named."""
    units = [event[3] for event in events[1:]]
    return [*units, current_unit or ""] if events else []


#: A code as typed, or in capitals: people type "h50" for the "H50" printed on the receipt.
_BY_CODE = "d.code IN (%s, %s)"


def dossier_public_status(*, code: str = "", verify: str = "", token: str = "") -> dict | None:
    """What the public may see of one dossier, by code and the last 4 digits of the phone or
    ID number, or by the signed token of the receipt's QR code; None whatever went wrong.

    The busiest read of the system (SPEC §12), so one plain SQL statement by the unique code
    (or uid) and the (dossier, seq) index, no ORM compilation; no personal data leaves this
    function. Events are named in the applicant's words (``transitions.public_label``).
    ``_id`` and ``_uid`` identify the dossier to the caller (a rating, the fee) and ``_fee``
    is its fee in đồng (whether to look for payments); none of the three is shown.
    """
    from motcua.dossiers.transitions import public_label

    params = list(code_spellings(code))
    where, value = _BY_CODE, params[0]
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
    rows = execute_prepared(_public_sql().replace("{where}", where), params)
    if not rows:
        return None
    code, status, received, due, extended, returned, phone, id_number, name, missing = rows[0][:10]
    if not token and not _verify_matches(phone, id_number, verify):
        return None
    pk, uid, original_due, finished, extension_reason, role, fee, unit_now = rows[0][10:18]
    events = [row[_DOSSIER_COLUMNS:] for row in rows if row[_DOSSIER_COLUMNS + 1] is not None]
    units = _units_reached(events, unit_now)  # none once finished: no step, no unit
    convert = connection.ops.convert_datetimefield_value if connection.vendor == "sqlite" else None

    def moment(value):
        if value is None:
            return None
        return (convert(value, None, connection) if convert else value).astimezone(VN_TZ)

    status = Status(status)
    due, finished = moment(due), moment(finished)
    return {
        "code": code or "",  # an online dossier has none until the desk accepts it
        "procedure": name,
        "status": status.value,
        "status_label": status.label,
        "dvcqg_status": DVCQG_STATUS[status],
        "received_at": moment(received),
        "due_at": due,
        "extended": extended is not None,
        "returned_at": moment(returned),
        # What to bring to complete the dossier (form 02), while it waits for the applicant.
        "missing_documents": (json.loads(missing) if isinstance(missing, str) else missing) or [],
        # SPEC §6: late when open past its appointment, or finished after it.
        "late": (status in OPEN_STATUSES and due is not None and due < clock.now())
        or (finished is not None and due is not None and finished > due),
        "finished_at": finished,
        # Form 04 is given to the applicant: its reason and the first appointment are public.
        "original_due_at": moment(original_due) if extended is not None else None,
        "extension_reason": extension_reason if extended is not None else "",
        "current_role": role if status in OPEN_STATUSES else "",
        "_id": pk,
        "_uid": uid if isinstance(uid, uuid.UUID) else uuid.UUID(hex=uid),
        "_fee": fee,
        "steps": [
            {
                "at": moment(at),
                "action": action,
                "label": str(public_label(action, step_role)),
                "status": after,
                "unit": unit,
            }
            for (at, action, after, _unit_before, step_role), unit in zip(
                events, units, strict=True
            )
        ],
    }
