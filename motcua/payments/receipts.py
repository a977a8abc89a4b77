"""The e-receipt of a payment, "Biên lai thu phí, lệ phí (điện tử)": the same paper on screen,
printed and as PDF, drawn with the forms' QR code and PDF renderer (``dossiers.papers``).

It is Motcua's proof of payment. A receipt registered with the tax authority (biên lai điện
tử under Nghị định 123/2020/NĐ-CP, with its template code, symbol and number) is issued by the
agency's receipt software; docs/adr/0020 says why Motcua does not issue one itself.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from num2words import num2words

from motcua.dossiers import papers
from motcua.dossiers.selectors import lookup_url
from motcua.payments.models import Payment, PaymentProvider

TEMPLATE = "payments/receipt.html"
TITLE = "Biên lai thu phí, lệ phí (điện tử)"
STYLESHEETS = ("motcua/paper.css", "payments/payments.css")


def amount_in_words(amount: int) -> str:
    """ "Tám nghìn đồng": Vietnamese words, as a receipt writes the sum."""
    return f"{num2words(amount, lang='vi')} đồng".capitalize()


def masked(id_number: str) -> str:
    return "*" * max(0, len(id_number) - 4) + id_number[-4:]


def receipt_context(payment: Payment) -> dict:
    """What the receipt shows; stable, so printing it twice gives the same paper."""
    dossier = payment.dossier
    version = dossier.procedure_version
    return {
        "title": TITLE,
        "payment": payment,
        "dossier": dossier,
        "fees": list(version.fees.all()),
        "amount_words": amount_in_words(payment.amount),
        "id_number": masked(dossier.applicant_id_number),
        "demo": payment.provider == PaymentProvider.DEMO,
        "online": payment.is_online,
        # The look-up of the dossier (its signed link), with the receipt's number.
        "qr": papers.qr_data_uri(f"{lookup_url(dossier)}&bl={payment.reference}"),
        "now": payment.paid_at,
    }


def receipt_pdf(payment: Payment) -> bytes:
    """The receipt as PDF, in Vietnamese whatever the reader's language: the forms' sheet
    (``paper.css``) and this app's marks (the demo and refund stamps)."""
    from weasyprint import CSS, HTML

    with translation.override("vi"):
        html = render_to_string(TEMPLATE, {**receipt_context(payment), "for_pdf": True})
    sheets = [CSS(filename=finders.find(name)) for name in STYLESHEETS]
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=sheets)
