"""Forms 01–07 (SPEC §7): one HTML template each, shown on screen, printed, or rendered to PDF
by WeasyPrint from the same template (ADR 0004), with the QR code of TT 01/2023.

A paper, once issued, is a document (docs/papers.md):

- Forms 02–05 are numbered: ``IssuedPaper`` gives each a number in its issuing agency's
  series for that form and year (``12/PXL``) and an issue date. The event that makes the
  paper issues it (``papers_issue``, called by ``dossier_apply`` in the event's transaction);
  the desk's notices (forms 02 and 03 for a dossier it does not receive) are issued when the
  desk writes them. A paper whose event came before numbering existed is issued at its first
  print, dated by its event.
- Forms 01 and 06 are the dossier's own: dated by the receipt, numbered by the dossier code.
- What a paper says comes from its event (append-only) or notice, never from the dossier as it
  is later; the QR code carries the issue time, not the print time: printed again, it is the
  same paper. Only "In lúc" changes.

``dossier_paper`` / ``notice_paper`` build a paper (template and context) for the staff
pages and the API alike; ``Paper.pdf`` renders it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from motcua import clock
from motcua.agencies.models import Agency, Role
from motcua.dossiers import process
from motcua.dossiers.models import (
    DeskNotice,
    Dossier,
    DossierEvent,
    IssuedPaper,
    PaperCounter,
    Status,
)
from motcua.dossiers.selectors import lookup_token, notice_lookup_token
from motcua.dossiers.templatetags.papers import paper_time
from motcua.dossiers.transitions import INTERNAL_ACTIONS
from motcua.workcalendar.calendar import VN_TZ, Outcome, deadline_outcome, to_local

FORMS = {
    "01": _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "02": _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "03": _("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "04": _("Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết"),
    "05": _("Thông báo dừng giải quyết hồ sơ"),
    "06": _("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    "07": _("Sổ theo dõi hồ sơ"),
}


#: Which papers a dossier has (form 07 is not about one dossier): the receipt and the
#: control slip once received; form 02 once processing, or the desk checking an online
#: dossier, asked the applicant to complete it
#: (the latest request; the desk's own forms 02 are for dossiers it did not receive); form
#: 03 once refused or rejected; form 04 once extended; form 05 once withdrawn or stopped.
APPLIES = {
    "01": lambda d: d.received_at is not None,
    "02": lambda d: d.supplement_count > 0 or d.completion_count > 0,
    "03": lambda d: d.status in (Status.REFUSED, Status.REJECTED),
    "04": lambda d: d.extended_at is not None,
    "05": lambda d: d.status in (Status.WITHDRAWN, Status.STOPPED),
    "06": lambda d: d.received_at is not None,
}

#: The numbered papers and the abbreviation after their number (``12/PXL``), in the manner
#: of Nghị định 30/2020 ("Số: 12/TB-UBND").
NUMBERED = {"02": "PBS", "03": "PTC", "04": "PXL", "05": "TB"}

#: The events that make each numbered paper of a received dossier (the last one counts).
SOURCES = {
    "02": ("request_supplement", "request_completion"),
    "03": ("reject", "refuse"),
    "04": ("extend",),
    "05": ("stop", "withdraw"),
}
#: The paper of these events is issued by the agency that received the dossier (the desk
#: refuses an online dossier, or asks to complete it before accepting it); every other one by
#: the agency that decides it.
ISSUED_BY_RECEIVING_AGENCY = frozenset({"refuse", "request_completion"})

#: Hand-overs that are not: the dossier waits for the applicant (SPEC §6), and comes back.
PAUSES = {
    "request_supplement": _("Chờ công dân bổ sung, hoàn thiện hồ sơ"),
    "request_payment": _("Chờ công dân thực hiện nghĩa vụ tài chính"),
}
RESUMES = frozenset({"supplement_received", "payment_received"})
STARTS = frozenset({"receive", "accept"})

OUTCOME_LABELS = {
    Outcome.EARLY: _("Trước hạn"),
    Outcome.ON_TIME: _("Đúng hạn"),
    Outcome.LATE: _("Quá hạn"),
}


def papers_for(dossier: Dossier) -> list[tuple[str, str]]:
    """(form number, title) of the papers ``dossier`` has now."""
    return [(form, FORMS[form]) for form, applies in APPLIES.items() if applies(dossier)]


# --- issuing ------------------------------------------------------------------------------


class NoSuchPaper(Exception):
    """The dossier has no such paper (yet): the caller answers 404."""


@dataclass(frozen=True)
class Issue:
    """A paper's number ("" for forms 01 and 06, named by the dossier code), issue time, and
    the agency that issued it (its place name heads the date line)."""

    number: str
    issued_at: datetime
    agency: Agency


def _next_serial(agency: Agency, form: str, year: int) -> int:
    """The agency's next number for ``form`` in ``year``, under the counter row's lock (held
    until the caller's transaction ends): no gap, no number twice."""
    PaperCounter.objects.bulk_create(
        [PaperCounter(agency=agency, form=form, year=year, last=0)], ignore_conflicts=True
    )
    counter = PaperCounter.objects.select_for_update().get(agency=agency, form=form, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def paper_issue(
    *,
    form: str,
    agency: Agency,
    issued_at: datetime,
    event: DossierEvent | None = None,
    desk_notice: DeskNotice | None = None,
) -> IssuedPaper:
    """The paper ``form`` of ``event`` (or of ``desk_notice``): the one already issued, or a
    new one with the agency's next number for the form in the year of ``issued_at``."""
    source = {"event": event} if event is not None else {"desk_notice": desk_notice}
    existing = IssuedPaper.objects.filter(form=form, **source).first()
    if existing is not None:
        return existing
    year = to_local(issued_at).year
    try:
        with transaction.atomic():
            serial = _next_serial(agency, form, year)
            return IssuedPaper.objects.create(
                form=form,
                agency=agency,
                year=year,
                serial=serial,
                number=f"{serial}/{NUMBERED[form]}",
                issued_at=issued_at,
                **source,
            )
    except IntegrityError:  # printed twice at once: the other print issued it
        return IssuedPaper.objects.get(form=form, **source)


def _issuer(dossier: Dossier, event: DossierEvent) -> Agency:
    if event.action in ISSUED_BY_RECEIVING_AGENCY:
        return dossier.receiving_agency
    return dossier.deciding_agency


def papers_issue(dossier: Dossier, event: DossierEvent) -> list[IssuedPaper]:
    """The numbered papers ``event`` makes (the caller's transaction holds the event)."""
    return [
        paper_issue(form=form, agency=_issuer(dossier, event), issued_at=event.at, event=event)
        for form, actions in SOURCES.items()
        if event.action in actions and form in APPLIES and APPLIES[form](dossier)
    ]


def source_event(dossier: Dossier, form: str, seq: int | None = None) -> DossierEvent | None:
    """The event that made ``dossier``'s paper ``form``: the last of its kind, or the one
    numbered ``seq`` in the trace (an earlier paper of the same form, e.g. the first form 02
    after a second request to complete)."""
    events = dossier.events.filter(action__in=SOURCES[form])
    if seq is not None:
        return events.filter(seq=seq).first()
    return events.order_by("-seq").first()


@dataclass(frozen=True)
class EarlierPaper:
    """A numbered paper the dossier was given before the latest one of its form: still
    printable as issued (``dossier_paper(…, seq=seq)``)."""

    form: str
    title: str
    seq: int
    number: str
    issued_at: datetime


def earlier_papers(
    dossier: Dossier, events: list[DossierEvent] | None = None
) -> list[EarlierPaper]:
    """Every numbered paper of ``dossier`` but the latest of each form, in the trace's order;
    ``events`` is the trace when the caller has it (the dossier's page). One query for the
    earlier papers' numbers, none when there are none. A paper not issued yet (an event
    before numbering) shows its event's date and gets its number at its first print."""
    forms = {action: form for form, actions in SOURCES.items() for action in actions}
    if events is None:
        events = list(dossier.events.filter(action__in=forms).order_by("seq"))
    events = [e for e in events if e.action in forms]
    latest = {forms[e.action]: e.seq for e in events}
    has = dict(papers_for(dossier))
    earlier = [e for e in events if e.seq != latest[forms[e.action]] and forms[e.action] in has]
    if not earlier:
        return []
    issued = {
        (p.event_id, p.form): p
        for p in IssuedPaper.objects.filter(event__in=[e.pk for e in earlier])
    }
    found = []
    for event in earlier:
        form = forms[event.action]
        paper = issued.get((event.pk, form))
        found.append(
            EarlierPaper(
                form,
                str(FORMS[form]),
                event.seq,
                paper.number if paper else "",
                paper.issued_at if paper else event.at,
            )
        )
    return found


def dossier_issue(
    dossier: Dossier, form: str, seq: int | None = None
) -> tuple[Issue, DossierEvent | None]:
    """The paper's number and issue time, and the event it says what it says from (the
    latest paper of the form, or the one made by the event ``seq``)."""
    if form not in NUMBERED:  # 01 and 06: issued at receipt, named by the code
        if seq is not None:
            raise NoSuchPaper(form)
        return Issue("", dossier.received_at, dossier.receiving_agency), None
    event = source_event(dossier, form, seq)
    if event is None:  # a status set with no event behind it (an import): nothing to print
        raise NoSuchPaper(form)
    agency = _issuer(dossier, event)
    paper = paper_issue(form=form, agency=agency, issued_at=event.at, event=event)
    return Issue(paper.number, paper.issued_at, agency), event


# --- what the papers say --------------------------------------------------------------------


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(VN_TZ) if value else None


def code_serial(code: str) -> str:
    """The serial of a dossier code, in full (``…-261123-10000`` → ``10000``)."""
    return code.rsplit("-", 1)[-1]


def coordinating_agencies(dossier: Dossier) -> list[Agency]:
    """Agencies that take part besides the lead (deciding) one: the agency that received the
    dossier when it is another (ND 118), and for a liên thông procedure the lead agency's
    superior at the procedure's interop level."""
    agencies = []
    if dossier.receiving_agency_id != dossier.deciding_agency_id:
        agencies.append(dossier.receiving_agency)
    version = dossier.procedure_version
    if version.is_interop and version.interop_level_id:
        ancestor = dossier.deciding_agency.parent
        while ancestor is not None and ancestor.level_id != version.interop_level_id:
            ancestor = ancestor.parent
        if ancestor is not None and ancestor not in agencies:
            agencies.append(ancestor)
    return agencies


@dataclass
class ControlRow:
    """One line of form 06: who held the dossier from when to when, and how that went.
    ``kind`` "step" is a step of the internal process (``order``), judged against the step's
    due time; "wait" is the time the applicant had it, never judged (the clock stops,
    SPEC §6)."""

    kind: str
    holder: str
    given_by: str
    received_at: datetime
    received_by: str = ""
    handed_at: datetime | None = None
    due: datetime | None = None
    outcome: Outcome | None = None
    notes: list[str] = field(default_factory=list)
    order: int | None = None
    #: ``received_by`` names the officer the step was assigned to.
    assigned: bool = False

    @property
    def outcome_label(self) -> str:
        if self.kind == "wait":
            return str(_("Không tính (thời gian chờ)"))
        return str(OUTCOME_LABELS[self.outcome]) if self.outcome else ""


def _holder(dossier: Dossier, order: int | None, unit_name: str, steps: dict) -> str:
    """The step and who holds it: the desk, the agency's leader, or the unit."""
    step = steps.get(order)
    if step is None:
        return unit_name or dossier.receiving_desk.name
    if step.role == Role.DESK_OFFICER:
        where = dossier.receiving_desk.name
    elif step.role == Role.AGENCY_LEADER:
        where = f"Lãnh đạo {dossier.deciding_agency.name}"
    else:
        where = unit_name or dossier.deciding_agency.name
    return f"{step.order}. {step.name} — {where}"


def _note(event: DossierEvent, labels) -> str:
    """How an event that hands nothing over shows on the slip: an extension, and any other
    action (an assignment, an opinion, and those added later)."""
    if event.action == "extend":
        new_due = _moment(event.data.get("due_at"))
        text = "Gia hạn, hẹn trả mới " + paper_time(new_due)
    else:
        text = str(labels.get(event.action, event.action))
    text += f" ({event.actor_name}, {paper_time(event.at)})"
    return f"{text}: {event.note}" if event.note else text


def _is_hand_over(event: DossierEvent) -> bool:
    """The dossier changed hands: another step, or no step any more (finished, closed)."""
    return event.step_after != event.step_before or event.step_after is None


#: Work inside a step that the slip leaves out: an opinion and a proposal of form 04 are the
#: officers' working notes (never public); SPEC §7 asks of each row only the hand-over — who
#: gave, who received, when, the outcome and its note.
OFF_THE_SLIP = INTERNAL_ACTIONS - {"assign"}


def _assignment(current: ControlRow, event: DossierEvent, names: dict[str, str]) -> None:
    """An assignment names who received the step in its unit (SPEC §7: "by whom"); a
    re-assignment is a note, with both officers' full names."""
    name = event.data.get("assignee_name") or event.data.get("assignee", "")
    if not current.assigned:
        current.received_by, current.assigned = name, True
        return
    before = names.get(event.data.get("previous_assignee"), "")
    text = f"Giao lại cho {name}" + (f" (trước đó {before})" if before else "")
    text += f" ({event.actor_name}, {paper_time(event.at)})"
    current.notes.append(f"{text}: {event.note}" if event.note else text)


def control_rows(dossier: Dossier) -> list[ControlRow]:
    """Form 06 from the trace: a row per hand-over — from whom, to whom, received at, handed
    over at, and the outcome of that step against its due time as the hand-over found it
    (moved later by any wait, SPEC §6). A wait for the applicant or for payment is its own row
    and judges nobody. An assignment names who received the step (a re-assignment is a
    note); other events that hand nothing over (an extension) are notes on the row of the
    step they happened in; opinions and proposals are not on the slip (``OFF_THE_SLIP``)."""
    from motcua.dossiers.selectors import previous_assignee_names
    from motcua.dossiers.transitions import ACTION_LABELS

    steps = {s.order: s for s in process.steps_of(dossier)}
    events = list(dossier.events.exclude(action__in=OFF_THE_SLIP).order_by("seq"))
    names = previous_assignee_names(events)
    units: dict[int, str] = {}  # row index → the unit that held the step, when one did
    rows: list[ControlRow] = []

    def open_step(order, given_by, received_by, at) -> ControlRow:
        row = ControlRow("step", "", given_by, at, received_by=received_by, order=order)
        rows.append(row)
        return row

    current: ControlRow | None = None
    for event in events:
        if event.action in STARTS:
            current = open_step(
                event.step_after,
                dossier.applicant_name,
                event.actor_name,
                dossier.received_at or event.at,
            )
        elif current is None:
            continue  # submitted online and not accepted yet, or finished: nobody holds it
        elif event.action in PAUSES:
            current.handed_at = event.at
            current.received_by = current.received_by or event.actor_name
            if event.unit_name:
                units[len(rows) - 1] = event.unit_name
            current.notes.append(f"Chuyển công dân: {event.note}".strip(": "))
            current = ControlRow(
                "wait", str(PAUSES[event.action]), event.actor_name, event.at,
                received_by=dossier.applicant_name,
            )  # fmt: skip
            rows.append(current)
        elif event.action in RESUMES and current.kind == "wait":
            waited = event.data.get("waited_hours")
            current.handed_at = event.at
            current.notes.append(
                "Không tính vào thời hạn giải quyết"
                + (f" ({waited:g} giờ làm việc)".replace(".", ",") if waited else "")
            )
            current = open_step(
                event.step_after, dossier.applicant_name, event.actor_name, event.at
            )
        elif event.action == "assign":
            if current.kind == "step":
                _assignment(current, event, names)
        elif _is_hand_over(event):
            # the due time the step had, counted from when it actually started (SPEC §6,
            # ``process.enter_step``) and moved by any wait; a wait has none
            due = _moment(event.data.get("step_due_at")) if current.kind == "step" else None
            current.handed_at, current.due = event.at, due
            current.received_by = current.received_by or event.actor_name
            current.outcome = deadline_outcome(event.at, due) if due else None
            if event.unit_name:
                units[len(rows) - 1] = event.unit_name
            if event.note:
                current.notes.append(event.note)
            current = None
            if event.step_after is not None:
                current = open_step(event.step_after, event.actor_name, "", event.at)
        else:
            current.notes.append(_note(event, ACTION_LABELS))
    if current is not None and current.kind == "step":  # still held: judged when handed over
        current.due = dossier.step_due_at
        if dossier.current_unit_id:
            units[len(rows) - 1] = dossier.current_unit.name
        if dossier.current_assignee_id and not current.received_by:  # sent back to them
            from motcua.agencies.selectors import person_name

            current.received_by = person_name(dossier.current_assignee)
    for index, row in enumerate(rows):
        if row.kind == "step":
            row.holder = _holder(dossier, row.order, units.get(index, ""), steps)
    return rows


def _appointment_note(dossier: Dossier) -> dict | None:
    """Form 01 reprinted after the appointment moved: the appointment it gave stays, with a
    note of the one in force and why (an extension, time waiting for the applicant)."""
    if dossier.due_at == dossier.original_due_at or dossier.due_at is None:
        return None
    extension = None
    if dossier.extended_at is not None:
        issue, _event = dossier_issue(dossier, "04")
        extension = issue
    waited = dossier.events.filter(action__in=RESUMES).exists()
    return {"due_at": dossier.due_at, "extension": extension, "waited": waited}


def _masked(id_number: str) -> str:
    return "*" * max(0, len(id_number) - 4) + id_number[-4:]


def qr_payload(
    *,
    form: str,
    issued_at: datetime,
    code: str = "",
    procedure: str = "",
    id_number: str = "",
    number: str = "",
    due_at=None,
    token: str = "",
) -> str:
    """The lookup URL carrying what TT 01/2023 asks a printed paper's QR to hold: dossier code,
    procedure code, applicant ID (masked: the paper may be photographed), document name (and
    number), issuing system and time — the paper's issue time, so a reprint carries the same
    code — and the appointment."""
    params = {"t": token} if token else {"code": code}
    params.update(
        {
            "ma": code,
            "tthc": procedure,
            "dd": _masked(id_number),
            "giay": form,
            "ht": "Motcua",
            "tg": issued_at.astimezone(VN_TZ).strftime("%Y%m%d%H%M%S"),
        }
    )
    if number:
        params["so"] = number
    if due_at is not None:
        params["hen"] = due_at.astimezone(VN_TZ).strftime("%Y%m%d%H%M")
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/tra-cuu/?{urlencode(params)}"


def qr_data_uri(payload: str) -> str:
    return segno.make(payload, error="m").svg_data_uri(scale=3, border=2)


def dossier_qr(dossier: Dossier, form: str, issue: Issue) -> str:
    return qr_data_uri(
        qr_payload(
            form=form,
            issued_at=issue.issued_at,
            code=dossier.code or "",  # an online dossier asked to complete: no code yet
            procedure=dossier.procedure_version.procedure.code,
            id_number=dossier.applicant_id_number,
            number=issue.number,
            due_at=dossier.original_due_at if form == "01" else None,  # the one it gave
            token=lookup_token(dossier),
        )
    )


# --- the papers ----------------------------------------------------------------------------


@dataclass
class Paper:
    """A paper ready to show: its template and what the template reads."""

    form: str
    template: str
    context: dict
    filename: str

    def pdf(self) -> bytes:
        return render_pdf(self.template, self.context)


def dossier_paper(dossier: Dossier, form: str, seq: int | None = None) -> Paper:
    """Paper ``form`` of ``dossier`` (01, 03–06; 02 once a dossier has one), for the staff
    page and the API alike; issues it on its first print if its event did not. The latest of
    its form, or with ``seq`` the one the trace's event ``seq`` made: every paper issued stays
    printable as issued (the first form 02 after a second request to complete)."""
    if form not in FORMS or form not in dict(papers_for(dossier)):
        raise NoSuchPaper(form)
    issue, event = dossier_issue(dossier, form, seq)
    context = {
        "dossier": dossier,
        "form_no": form,
        "title": FORMS[form],
        "issue": issue,
        "event": event,
        "qr": dossier_qr(dossier, form, issue),
        "now": clock.now(),
    }
    if form == "01":
        context["documents"] = dossier.documents.all()
        context["serial"] = code_serial(dossier.code)
        context["appointment_note"] = _appointment_note(dossier)
    elif form == "02":  # the request to complete of its event, the same paper as the desk's
        context["notice"] = _notice_of(dossier, event)
        if context["notice"] is None:  # asked before form 02 was kept for dossiers
            raise NoSuchPaper(form)
    elif form == "04":
        context["previous_due_at"] = _moment(event.data.get("previous_due_at"))
        context["new_due_at"] = _moment(event.data.get("due_at"))
        context["issued_by"] = event  # the agency's leader
    elif form == "06":
        context["rows"] = control_rows(dossier)
        context["coordinating"] = coordinating_agencies(dossier)
    if event is not None:
        context["issuer"] = _issuer(dossier, event)
    return Paper(form, f"dossiers/forms/form{form}.html", context, f"mau-{form}-{dossier.ref}")


def _notice_of(dossier: Dossier, event: DossierEvent) -> DeskNotice | None:
    """The form 02 written with ``event`` (its data names it); for an event recorded before
    it did, the dossier's latest notice when ``event`` is the latest request."""
    notices = dossier.notices.select_related("desk__agency", "officer")
    if "notice" in event.data:
        return notices.filter(pk=event.data["notice"]).first()
    if source_event(dossier, "02") != event:
        return None
    return notices.order_by("-pk").first()


def notice_paper(notice: DeskNotice) -> Paper:
    """Form 02 or 03 the desk gave an applicant whose dossier it did not receive."""
    form = notice.form
    issued = paper_issue(
        form=form, agency=notice.desk.agency, issued_at=notice.created_at, desk_notice=notice
    )
    issue = Issue(issued.number, issued.issued_at, notice.desk.agency)
    context = {
        "notice": notice,
        "form_no": form,
        "title": FORMS[form],
        "issue": issue,
        "qr": qr_data_uri(
            qr_payload(
                form=form,
                issued_at=issue.issued_at,
                code=(notice.dossier.code or "") if notice.dossier_id else "",
                procedure=notice.procedure_version.procedure.code,
                id_number=notice.applicant_id_number,
                number=issue.number,
                # the look-up opens the dossier, or this paper when nothing was received
                token=lookup_token(notice.dossier)
                if notice.dossier_id
                else notice_lookup_token(notice),
            )
        ),
        "now": clock.now(),
    }
    return Paper(form, f"dossiers/forms/form{form}.html", context, f"mau-{form}-so-{issued.serial}")


def render_pdf(template: str, context: dict) -> bytes:
    """The PDF of a paper: always the Vietnamese legal form, whatever the reader's language."""
    from weasyprint import CSS, HTML

    with translation.override("vi"):
        html = render_to_string(template, {**context, "for_pdf": True})
    stylesheet = CSS(filename=finders.find("motcua/paper.css"))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[stylesheet])
