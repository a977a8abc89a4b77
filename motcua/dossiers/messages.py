"""What the applicant is told, and when (SPEC §6, §7): the dossiers' own messages, handed to
the generic outbox (``notifications``). Which action sends which message is the transition
table's ``ActionSpec.message``."""

from __future__ import annotations

from motcua.catalog.text import strip_diacritics
from motcua.dossiers.models import Dossier
from motcua.notifications.models import Notification
from motcua.notifications.services import Contact, outbox_put, outbox_rows
from motcua.workcalendar.calendar import VN_TZ

# SMS texts without diacritics: they fit one message and every phone shows them.
TEXTS = {
    "submitted": "Ho so {procedure} da duoc gui, dang cho tiep nhan. Theo doi: {url}",
    "received": "Ho so {code} ({procedure}) da duoc tiep nhan. Hen tra: {due}. Tra cuu: {url}",
    "supplement_requested": "Ho so {code} can bo sung giay to. Vui long xem phieu yeu cau "
    "hoac tra cuu: {url}",
    "payment_requested": "Ho so {code}: vui long thuc hien nghia vu tai chinh. Tra cuu: {url}",
    "extended": "Ho so {code} se tra cham. Xin loi ong/ba. Hen tra moi: {due}.",
    "result_ready": "Ho so {code} da co ket qua. Moi ong/ba den nhan theo hinh thuc da dang ky.",
}


def about(dossier: Dossier) -> str:
    return f"dossier:{dossier.uid}"


def _message(dossier: Dossier, kind: str) -> dict:
    from motcua.dossiers.selectors import lookup_url

    text = TEXTS[kind]
    due = dossier.due_at.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y") if dossier.due_at else ""
    procedure = strip_diacritics(dossier.procedure_version.name)[:60]
    url = lookup_url(dossier) if "{url}" in text else ""
    return {
        "about": about(dossier),
        "kind": kind,
        "body": text.format(code=dossier.code, procedure=procedure, due=due, url=url),
        "contacts": [
            Contact("sms", dossier.applicant_phone),
            Contact("email", dossier.applicant_email, f"Hồ sơ {dossier.code or procedure}"),
        ],
    }


def message_rows(dossier: Dossier, kind: str) -> list[Notification]:
    """The unsaved messages of ``kind`` to the applicant's phone and e-mail. The code is
    written as the dossier has it (the receipt's statement puts the real code in place of a
    placeholder, in subject and body)."""
    return outbox_rows(**_message(dossier, kind))


def message_put(dossier: Dossier, kind: str) -> list[Notification]:
    """Queue the messages of ``kind``; call inside the change's transaction."""
    return outbox_put(**_message(dossier, kind))
