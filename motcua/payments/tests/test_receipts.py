"""The e-receipt of a payment: only for a paid (or refunded) payment, by its signed link; the
PDF read back (text with its Vietnamese, the QR code decoded as a phone would) and each page
saved as a PNG under ``var/screenshots/payments/`` to be looked at."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from motcua.dossiers.selectors import lookup_url
from motcua.dossiers.tests.factories import as_actor, vn
from motcua.payments.receipts import amount_in_words
from motcua.payments.services import payment_path, payment_record_at_desk, payment_refund
from motcua.payments.tests.conftest import start, vnpay_ipn

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "payments"


def pdf_of(payment) -> bytes:
    response = Client().get(payment_path(payment, "receipt") + "?pdf=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def text_of(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def save_and_read_qr(pdf: bytes, name: str) -> str:
    import pypdfium2
    import zxingcpp

    SHOTS.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(pdf)
    assert len(document) == 1, "the receipt fits on one page"
    image = document[0].render(scale=2).to_pil()
    image.save(SHOTS / f"{name}.png")
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code on the receipt"
    return found[0].text


def test_amounts_in_vietnamese_words():
    assert amount_in_words(8000) == "Tám nghìn đồng"
    assert amount_in_words(1_500_000) == "Một triệu năm trăm nghìn đồng"


def test_the_e_receipt_of_a_fee_paid_through_a_gateway(client, dossier, clock):
    payment = start(dossier).payment
    clock(vn(2026, 11, 9, 10, 7))
    client.get("/api/v1/payments/vnpay/ipn", vnpay_ipn(payment.reference, 8000))
    payment.refresh_from_db()
    pdf = pdf_of(payment)
    text = " ".join(text_of(pdf).split())
    for expected in (
        "BIÊN LAI THU PHÍ, LỆ PHÍ (ĐIỆN TỬ)",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Số biên lai: {payment.reference}",
        "Người nộp: Nguyễn Văn An",
        dossier.code,
        "8.000",
        "Tám nghìn đồng",
        "Hình thức nộp: VNPay",
        "Mã giao dịch: 14226112",
        "10 giờ 07 phút, ngày 09/11/2026",
        "Thu qua cổng thanh toán điện tử",
    ):
        assert expected in text, expected
    assert "THANH TOÁN THỬ" not in text and "ĐÃ HOÀN TRẢ" not in text
    assert "079123456789" not in text and "********6789" in text  # masked
    qr = save_and_read_qr(pdf, "bien-lai-vnpay")
    assert qr.startswith(lookup_url(dossier)) and qr.endswith(f"&bl={payment.reference}")
    assert pdf_of(payment) != b"" and text_of(pdf_of(payment)) == text_of(pdf)  # stable


def test_a_demo_payment_and_a_refund_are_stamped(client, dossier, desk_officer):
    from motcua.payments.providers.demo import DemoGateway
    from motcua.payments.tests.conftest import vnpay_hash

    demo = start(dossier, "demo").payment
    params = vnpay_ipn(demo.reference, 8000)
    params.pop("vnp_SecureHash")
    params["vnp_TmnCode"] = "MOTCUA00"
    params["vnp_SecureHash"] = vnpay_hash(params, DemoGateway().secret())
    from motcua.payments.services import payment_callback

    assert payment_callback(provider="demo", params=params) == "confirmed"
    demo.refresh_from_db()
    text = text_of(pdf_of(demo))
    assert "THANH TOÁN THỬ — KHÔNG PHẢI TIỀN THẬT" in text
    save_and_read_qr(pdf_of(demo), "bien-lai-thu")
    payment_refund(reference=demo.reference, actor=as_actor(desk_officer), reason="Nộp nhầm")
    demo.refresh_from_db()
    text = " ".join(text_of(pdf_of(demo)).split())
    assert "ĐÃ HOÀN TRẢ" in text and "Nộp nhầm" in text
    save_and_read_qr(pdf_of(demo), "bien-lai-hoan-tra")


def test_the_desk_receipt_names_the_officer_and_the_paper_receipt(dossier, desk_officer):
    paid = payment_record_at_desk(
        dossier_id=dossier.pk, actor=as_actor(desk_officer), receipt_number="BL-0042"
    )
    text = " ".join(text_of(pdf_of(paid)).split())
    assert "Nộp tại Bộ phận một cửa" in text and "Số biên lai giấy: BL-0042" in text
    assert as_actor(desk_officer).name in text
    save_and_read_qr(pdf_of(paid), "bien-lai-tai-quay")
    page = Client().get(payment_path(paid, "receipt")).content.decode()
    assert "Tám nghìn đồng" in page and "BL-0042" in page


@pytest.mark.parametrize("how", ["pending", "forged"])
def test_no_receipt_without_a_paid_payment_and_its_signed_link(dossier, how):
    payment = start(dossier).payment
    path = payment_path(payment, "receipt")
    if how == "forged":
        payment.state, payment.paid_at = "paid", payment.created_at
        payment.save()
        path = path.replace(path.split("/")[-2], payment.reference + ":forged")
    assert Client().get(path).status_code == 404
    assert Client().get(path + "?pdf=1").status_code == 404
