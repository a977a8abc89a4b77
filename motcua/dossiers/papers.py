"""Forms 01–07 (SPEC §7): one HTML template each, shown on screen, printed, or rendered to PDF
by WeasyPrint from the same template (ADR 0004), with the QR code of TT 01/2023."""

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.selectors import lookup_token
from motcua.workcalendar.calendar import VN_TZ

FORMS = {
    "01": _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "02": _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "03": _("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "04": _("Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết"),
    "05": _("Thông báo dừng giải quyết hồ sơ"),
    "06": _("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    "07": _("Sổ theo dõi hồ sơ"),
}


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
            "tg": timezone.now().astimezone(VN_TZ).strftime("%Y%m%d%H%M%S"),
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
            code=dossier.code,
            procedure=dossier.procedure_version.procedure.code,
            id_number=dossier.applicant_id_number,
            due_at=dossier.due_at if form == "01" else None,
            token=lookup_token(dossier),
        )
    )


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(template, {**context, "for_pdf": True})
    stylesheet = CSS(filename=finders.find("motcua/paper.css"))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[stylesheet])
