"""VNPay, the merchants' public integration spec version 2.1.0 ("Hướng dẫn tích hợp Cổng
thanh toán VNPAY"; SPEC §10, §12.3). Written from that document, not from anyone's code.

- **Payment URL** (``vnp_Command=pay``): the payer's browser is sent to ``MOTCUA_VNPAY_URL``
  with ``vnp_Version`` 2.1.0, ``vnp_TmnCode``, ``vnp_Amount`` (the amount × 100: VNPay
  counts hundredths), ``vnp_CurrCode`` VND, ``vnp_TxnRef`` (our reference, unique),
  ``vnp_OrderInfo`` (without diacritics), ``vnp_OrderType``, ``vnp_Locale``,
  ``vnp_ReturnUrl``, ``vnp_IpAddr``, ``vnp_CreateDate`` and ``vnp_ExpireDate``
  (``yyyyMMddHHmmss``, GMT+7), then ``vnp_SecureHash``.
- **Signature**: HMAC-SHA512, keyed by ``MOTCUA_VNPAY_HASH_SECRET``, over the ``vnp_``
  parameters except ``vnp_SecureHash`` and ``vnp_SecureHashType``, sorted by name, each value
  URL-encoded as a form value (``quote_plus``: a space is ``+``) and joined as a query
  string; hex. 2.1.0 sends no ``vnp_SecureHashType``.
- **IPN** (VNPay's server calls ``GET /api/v1/payments/vnpay/ipn?…``) and the **return URL**
  (the payer's browser) carry ``vnp_TxnRef``, ``vnp_Amount``, ``vnp_ResponseCode``,
  ``vnp_TransactionStatus``, ``vnp_TransactionNo``, ``vnp_BankCode``, ``vnp_PayDate``… signed
  the same way. Paid when both codes are ``00``. Only the IPN changes anything; the return
  page only shows what the IPN recorded.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import timedelta
from urllib.parse import quote_plus, urlsplit

from django.conf import settings

from motcua.catalog.text import strip_diacritics
from motcua.payments.providers.base import BadSignature, Callback, Gateway
from motcua.workcalendar.calendar import VN_TZ

VERSION = "2.1.0"
HASH, HASH_TYPE = "vnp_SecureHash", "vnp_SecureHashType"
#: vnp_ResponseCode / vnp_TransactionStatus of a successful payment.
SUCCESS = "00"
#: vnp_ResponseCode when the payer cancelled on VNPay's page.
CANCELLED_BY_PAYER = "24"
#: VNPay's order types; fees and charges have none of their own.
ORDER_TYPE = "other"
TIME_FORMAT = "%Y%m%d%H%M%S"


def hash_data(params: Mapping[str, str]) -> str:
    """The text VNPay signs: the ``vnp_`` parameters but the hash and its type, sorted by name,
    as ``name=quote_plus(value)`` joined by ``&``."""
    return "&".join(
        f"{name}={quote_plus(str(value))}"
        for name, value in sorted(params.items())
        if name.startswith("vnp_") and name not in (HASH, HASH_TYPE)
    )


def sign(params: Mapping[str, str], secret: str) -> str:
    """``vnp_SecureHash``: HMAC-SHA512 of ``hash_data(params)`` keyed by ``secret``, hex."""
    return hmac.new(secret.encode(), hash_data(params).encode(), hashlib.sha512).hexdigest()


def signature_holds(params: Mapping[str, str], secret: str) -> bool:
    given = str(params.get(HASH, ""))
    return bool(secret and given) and hmac.compare_digest(sign(params, secret), given.lower())


def vnp_time(moment) -> str:
    """``yyyyMMddHHmmss`` in Vietnam time (GMT+7), as VNPay reads its dates."""
    return moment.astimezone(VN_TZ).strftime(TIME_FORMAT)


def order_info(dossier_ref: str) -> str:
    """``vnp_OrderInfo``: Vietnamese without diacritics, as VNPay asks."""
    text = f"Nop phi, le phi ho so {dossier_ref}"
    return strip_diacritics(text).encode("ascii", "ignore").decode()[:255]


def amount_of(value: str) -> int | None:
    """``vnp_Amount`` (hundredths of a đồng) in đồng; None unless a whole number of đồng."""
    value = str(value)
    if not value.isascii() or not value.isdigit() or len(value) > 20:
        return None
    hundredths = int(value)
    return hundredths // 100 if hundredths % 100 == 0 else None


class VnpayGateway(Gateway):
    name = "vnpay"
    label = "VNPay"
    reference_param = "vnp_TxnRef"

    def tmn_code(self) -> str:
        return settings.VNPAY_TMN_CODE

    def secret(self) -> str:
        return settings.VNPAY_HASH_SECRET

    def url(self, base_url: str) -> str:
        return settings.VNPAY_URL

    def enabled(self) -> bool:
        return bool(self.tmn_code() and self.secret() and settings.VNPAY_URL)

    def request_params(self, payment, *, return_url: str, client_ip: str) -> dict[str, str]:
        """The payment request's parameters, signature included."""
        expires = payment.created_at + timedelta(minutes=settings.PAYMENT_EXPIRE_MINUTES)
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code(),
            "vnp_Amount": str(payment.amount * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": payment.reference,
            "vnp_OrderInfo": order_info(payment.dossier.ref),
            "vnp_OrderType": ORDER_TYPE,
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": return_url,
            "vnp_IpAddr": client_ip or "127.0.0.1",
            "vnp_CreateDate": vnp_time(payment.created_at),
            "vnp_ExpireDate": vnp_time(expires),
        }
        params[HASH] = sign(params, self.secret())
        return params

    def payment_url(self, payment, *, base_url: str, return_url: str, client_ip: str) -> str:
        params = self.request_params(payment, return_url=return_url, client_ip=client_ip)
        signature = params.pop(HASH)
        return f"{self.url(base_url)}?{hash_data(params)}&{HASH}={signature}"

    def callback(self, params: Mapping[str, str]) -> Callback:
        if not self.enabled() or not signature_holds(params, self.secret()):
            raise BadSignature
        status = params.get("vnp_TransactionStatus", SUCCESS)
        code = str(params.get("vnp_ResponseCode", ""))
        return Callback(
            reference=str(params.get("vnp_TxnRef", "")),
            amount=amount_of(params.get("vnp_Amount", "")),
            success=code == SUCCESS and status == SUCCESS,
            transaction_id=str(params.get("vnp_TransactionNo", "")),
            gateway_code=code,
        )

    def origins(self, base_url: str) -> list[str]:
        parts = urlsplit(self.url(base_url))
        return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []
