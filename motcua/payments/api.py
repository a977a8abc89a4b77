"""Payment endpoints of the API (SPEC §12.3), under ``/api/v1``.

- ``POST /dossiers/{code}/payments`` starts paying a dossier's fee: with a peer system's key
  (its agencies' dossiers), an officer's personal token, or the applicant's own logged-in
  session (with its CSRF token) — whoever may see the dossier; anyone else gets 404.
- ``GET /dossiers/{code}/payments`` lists them, for the same callers.
- ``GET /payments/vnpay/ipn?…`` is VNPay's IPN, answered in VNPay's JSON ``{"RspCode",
  "Message"}``; ``GET /payments/dvcqg/ipn?…`` the national platform's, ``{"code",
  "message"}`` with the same codes. Their signature is their credential.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from motcua.api.auth import StaffAuth
from motcua.api.dossiers import DossierCode, vn_time
from motcua.api.errors import FieldErrors, error_responses
from motcua.api.inputs import text
from motcua.clientaddress import client_address
from motcua.dossiers import access
from motcua.payments.models import PaymentEvent, PaymentProvider
from motcua.payments.selectors import fee_state, payments_of
from motcua.payments.services import payment_callback, payment_path, payment_start
from motcua.payments.views import site_url

log = logging.getLogger(__name__)
router = Router(tags=["payments"])

NOT_FOUND = "Không tìm thấy hồ sơ."
Outcome = PaymentEvent.Outcome


def _csrf_ok(request) -> bool:
    check = CsrfViewMiddleware(lambda r: None)
    return check.process_view(request, None, (), {}) is None


class PayerAuth(HttpBearer):
    """A Bearer API key or personal token (``StaffAuth``), else the logged-in session of the
    applicant or an officer — CSRF-checked, as the site's own pages send it.
    ``request.auth`` is the actor."""

    def __call__(self, request):
        if request.headers.get(self.header):
            return super().__call__(request)
        actor = access.request_actor(request)
        if isinstance(actor, access.Citizen | access.Officer) and _csrf_ok(request):
            return actor
        return None

    def authenticate(self, request, token):
        return StaffAuth().authenticate(request, token)


def _visible(actor, code: str):
    dossier = access.dossier_get_visible(actor, ref=code)
    if dossier is None:
        raise HttpError(404, NOT_FOUND)
    return dossier


# --- starting and listing ----------------------------------------------------------------------

GatewayName = Literal["vnpay", "dvcqg", "demo"]


class PaymentIn(Schema):
    provider: GatewayName = Field(
        description="Cổng thanh toán: `vnpay`, `dvcqg` (nền tảng thanh toán của Cổng DVCQG) "
        "hoặc `demo` (cổng thử, chỉ khi máy chủ bật MOTCUA_PAYMENT_DEMO)."
    )


class PaymentStarted(Schema):
    reference: str = Field(description="Mã tham chiếu (vnp_TxnRef), cũng là số biên lai.")
    amount: int = Field(description="Số tiền, đồng: toàn bộ phí, lệ phí của hồ sơ.")
    payment_url: str = Field(description="Địa chỉ chuyển người nộp tới cổng thanh toán.")
    provider: str
    state: str = Field(description="`pending` cho tới khi cổng xác nhận.")


class PaymentOut(Schema):
    reference: str
    amount: int
    provider: str = Field(description="`vnpay`, `dvcqg`, `demo` hoặc `desk` (nộp tại quầy).")
    state: str = Field(description="`pending`, `paid`, `cancelled` hoặc `refunded` (SPEC §10).")
    created_at: datetime
    paid_at: datetime | None
    provider_transaction_id: str
    receipt_url: str | None = Field(description="Biên lai điện tử (đã nộp, đã hoàn trả).")


class PaymentList(Schema):
    fee_amount: int = Field(description="Phí, lệ phí của hồ sơ, đồng (0: không phải nộp).")
    fee_state: str | None = Field(
        description="`unpaid`, `pending`, `paid` hoặc `refunded`; null khi không có phí."
    )
    items: list[PaymentOut]


@router.post(
    "/dossiers/{code}/payments",
    response={201: PaymentStarted, **error_responses(400, 401, 404, 422)},
    auth=PayerAuth(),
    summary="Nộp phí, lệ phí trực tuyến",
)
def dossier_payment_create(request: HttpRequest, code: Path[DossierCode], payload: PaymentIn):
    """A pending payment of the dossier's whole fee and the gateway's address to send the
    payer to. For ``vnpay`` the address follows VNPay 2.1.0 (``vnp_TxnRef`` = ``reference``,
    ``vnp_Amount`` = amount × 100, ``vnp_SecureHash`` HMAC-SHA512). Only the gateway's
    verified callback (IPN) confirms a payment. Callers: a peer system's key (its agencies'
    dossiers), an officer's personal token, or the applicant's own logged-in session (with
    the CSRF token). ``422`` when the fee is nothing, already paid, the dossier is closed or
    the gateway is not configured here; nothing is stored then."""
    actor = request.auth
    dossier = _visible(actor, code)
    try:
        started = payment_start(
            dossier_id=dossier.pk,
            provider=payload.provider,
            payer=actor,
            base_url=site_url(request),
            client_ip=client_address(request) or "",
        )
    except PermissionDenied:
        raise HttpError(404, NOT_FOUND) from None
    except ValidationError as exc:
        errors = {}
        if hasattr(exc, "error_dict"):
            errors = {k: " ".join(v) for k, v in exc.message_dict.items() if k == "provider"}
        raise FieldErrors(errors, detail=" ".join(exc.messages)) from None
    payment = started.payment
    return Status(
        201,
        {
            "reference": payment.reference,
            "amount": payment.amount,
            "payment_url": started.url,
            "provider": payment.provider,
            "state": payment.state,
        },
    )


@router.get(
    "/dossiers/{code}/payments",
    response={200: PaymentList, **error_responses(401, 404, 422)},
    auth=PayerAuth(),
    summary="Các khoản nộp phí, lệ phí của hồ sơ",
)
def dossier_payments(request: HttpRequest, code: Path[DossierCode]):
    """The dossier's fee and its payments, oldest first (online and at the desk)."""
    dossier = _visible(request.auth, code)
    payments = payments_of(dossier)
    state = fee_state(dossier, payments)
    base = site_url(request)
    return {
        "fee_amount": dossier.fee_amount,
        "fee_state": state.value if state else None,
        "items": [
            {
                "reference": p.reference,
                "amount": p.amount,
                "provider": p.provider,
                "state": p.state,
                "created_at": vn_time(p.created_at),
                "paid_at": vn_time(p.paid_at),
                "provider_transaction_id": p.provider_transaction_id,
                "receipt_url": base + payment_path(p, "receipt")
                if p.state in ("paid", "refunded")
                else None,
            }
            for p in payments
        ],
    }


# --- the gateways' callbacks ------------------------------------------------------------------

#: The answer to a gateway for each outcome: VNPay's IPN codes.
ANSWERS = {
    Outcome.CONFIRMED: ("00", "Confirm Success"),
    Outcome.CANCELLED: ("00", "Confirm Success"),
    Outcome.UNKNOWN: ("01", "Order not found"),
    Outcome.ALREADY: ("02", "Order already confirmed"),
    Outcome.WRONG_AMOUNT: ("04", "invalid amount"),
    Outcome.BAD_SIGNATURE: ("97", "Invalid signature"),
}
UNKNOWN_ERROR = ("99", "Unknown error")

Param = text(255)


class VnpayIpnQuery(Schema):
    """What VNPay sends (all signed); other ``vnp_`` parameters are signed and kept too."""

    vnp_TmnCode: Param = ""
    vnp_Amount: text(20) = Field("", description="Số tiền × 100.")
    vnp_BankCode: Param = ""
    vnp_BankTranNo: Param = ""
    vnp_CardType: Param = ""
    vnp_PayDate: Param = ""
    vnp_OrderInfo: Param = ""
    vnp_TransactionNo: Param = ""
    vnp_ResponseCode: Param = ""
    vnp_TransactionStatus: Param = ""
    vnp_TxnRef: Param = Field("", description="Mã tham chiếu của khoản thanh toán.")
    vnp_SecureHashType: Param = ""
    vnp_SecureHash: text(256) = Field("", description="HMAC-SHA512, hex.")


class VnpayIpnAnswer(Schema):
    RspCode: str = Field(
        description="00 đã ghi nhận; 01 không có mã tham chiếu; 02 đã xác nhận trước đó (không "
        "ghi lại); 04 sai số tiền; 97 sai chữ ký (không thay đổi gì); 99 lỗi khác."
    )
    Message: str


def _answer(provider: str, request) -> tuple[str, str]:
    params = {name: request.GET[name] for name in request.GET}
    try:
        return ANSWERS[payment_callback(provider=provider, params=params)]
    except Exception:
        log.exception("Xử lý thông báo của cổng thanh toán %s thất bại", provider)
        return UNKNOWN_ERROR


@router.get(
    "/payments/vnpay/ipn",
    response={200: VnpayIpnAnswer, **error_responses(422)},
    summary="IPN của VNPay",
)
def vnpay_ipn(request: HttpRequest, params: Query[VnpayIpnQuery]):
    """VNPay's server tells the payment's result (IPN, VNPay 2.1.0). Verified first: a bad
    signature changes nothing (``97``). Idempotent: a replay records nothing twice (``02``).
    A wrong amount confirms nothing (``04``). Every call is logged with its parameters."""
    code, message = _answer(PaymentProvider.VNPAY, request)
    return {"RspCode": code, "Message": message}


class DvcqgIpnQuery(Schema):
    """The national platform's callback (field names assumed, see docs/api.md)."""

    MaDoiTac: Param = ""
    MaThamChieu: Param = ""
    SoTien: text(20) = ""
    MaGiaoDich: Param = ""
    MaKetQua: Param = Field("", description="00: đã thanh toán.")
    ThoiGianThanhToan: Param = ""
    MaXacThuc: text(256) = Field("", description="SHA-256 của các trường nối bằng |, hex.")


class DvcqgIpnAnswer(Schema):
    code: str = Field(description="Cùng mã với IPN của VNPay: 00, 01, 02, 04, 97, 99.")
    message: str


@router.get(
    "/payments/dvcqg/ipn",
    response={200: DvcqgIpnAnswer, **error_responses(422)},
    summary="Thông báo kết quả của nền tảng thanh toán Cổng DVCQG",
)
def dvcqg_ipn(request: HttpRequest, params: Query[DvcqgIpnQuery]):
    """The national payment platform tells the payment's result, signed with SHA-256 over
    its fields joined by ``|`` and the shared secret (SPEC §10). Same rules as VNPay's IPN."""
    code, message = _answer(PaymentProvider.DVCQG, request)
    return {"code": code, "message": message}
