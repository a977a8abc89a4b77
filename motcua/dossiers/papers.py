"""Forms 01–07 (SPEC §7): one HTML template each, shown on screen, printed, or rendered to PDF
by WeasyPrint from the same template (ADR 0004), with the QR code of TT 01/2023."""

from datetime import datetime
from itertools import pairwise
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from motcua import clock
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.selectors import lookup_token
from motcua.dossiers.transitions import INTERNAL_ACTIONS
from motcua.workcalendar.calendar import VN_TZ, deadline_outcome

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


def papers_for(dossier: Dossier) -> list[tuple[str, str]]:
    """(form number, title) of the papers ``dossier`` has now."""
    return [(form, FORMS[form]) for form, applies in APPLIES.items() if applies(dossier)]


def control_rows(dossier: Dossier) -> list[dict]:
    """Form 06: a row per hand-over, judged early / on time / late against that step's due
    time as the event recorded it."""
    moves = dossier.events.exclude(action__in=INTERNAL_ACTIONS)  # not hand-overs
    rows, events = [], list(moves.order_by("seq"))
    for previous, event in pairwise(events):
        due = event.data.get("step_due_at")
        rows.append(
            {
                "event": event,
                "given_by": previous.actor_name,
                "due": due,
                "outcome": deadline_outcome(event.at, datetime.fromisoformat(due)) if due else None,
            }
        )
    return rows


def _masked(id_number: str) -> str:
    return "*" * max(0, len(id_number) - 4) + id_number[-4:]


def qr_payload(
    *,
    form: str,
    code: str = "",
    procedure: str = "",
    id_number: str = "",
    due_at=None,
    token: str = "",
) -> str:
    """The lookup URL carrying what TT 01/2023 asks a printed paper's QR to hold: dossier code,
    procedure code, applicant ID (masked: the paper may be photographed), document name,
    issuing system and time, and the appointment."""
    params = {"t": token} if token else {"code": code}
    params.update(
        {
            "ma": code,
            "tthc": procedure,
            "dd": _masked(id_number),
            "giay": form,
            "ht": "Motcua",
            "tg": clock.now().strftime("%Y%m%d%H%M%S"),
        }
    )
    if due_at is not None:
        params["hen"] = due_at.astimezone(VN_TZ).strftime("%Y%m%d%H%M")
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/tra-cuu/?{urlencode(params)}"


def qr_data_uri(payload: str) -> str:
    return segno.make(payload, error="m").svg_data_uri(scale=3, border=2)


def dossier_qr(dossier, form: str) -> str:
    return qr_data_uri(
        qr_payload(
            form=form,
            code=dossier.code or "",
            procedure=dossier.procedure_version.procedure.code,
            id_number=dossier.applicant_id_number,
            due_at=dossier.due_at if form == "01" else None,
            token=lookup_token(dossier),
        )
    )


def paper_template(form: str) -> str:
    return f"dossiers/forms/form{form}.html"


def paper_context(dossier: Dossier, form: str) -> dict:
    """What paper ``form`` of ``dossier`` shows: the staff page and the API render this same
    context with the same template. ``Http404`` when the paper cannot be drawn."""
    from django.http import Http404

    from motcua.dossiers.transitions import Action

    context = {
        "dossier": dossier,
        "form_no": form,
        "title": FORMS[form],
        "qr": dossier_qr(dossier, form),
        "documents": dossier.documents.all(),
        "rows": control_rows(dossier) if form == "06" else [],
        "now": datetime.now(VN_TZ),
    }
    if form == "02":  # the latest request to complete, the same paper as the desk's
        notices = dossier.notices.select_related("desk__agency", "officer").order_by("-pk")
        context["notice"] = notices.first()
        if context["notice"] is None:  # asked before form 02 was kept for dossiers
            raise Http404
    if form == "04":  # issued by the agency's leader
        context["issued_by"] = dossier.events.filter(action=Action.EXTEND).latest("seq")
    return context


def paper_pdf(dossier: Dossier, form: str) -> bytes:
    """Paper ``form`` of ``dossier`` as PDF; a legal form is in Vietnamese, whatever language
    the caller reads."""
    with translation.override("vi"):
        return render_pdf(paper_template(form), paper_context(dossier, form))


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(template, {**context, "for_pdf": True})
    stylesheet = CSS(filename=finders.find("motcua/paper.css"))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[stylesheet])
