"""The payment platform of the National Public Service Portal (Cổng Dịch vụ công quốc gia,
DVCQG; SPEC §10): requests and callbacks signed with SHA-256 over their fields joined by ``|``,
the shared secret joined last.

**Assumed, configurable.** The platform's integration document is given to connected systems,
not published; we found no public description of its fields. What is fixed here is SPEC §10's
rule: ``MaXacThuc = sha256("v1|v2|…|vn|secret")`` in lower-case hex, UTF-8. The field
*names* below are our assumption, and the *order* of the signed fields is configurable
(``MOTCUA_DVCQG_PAY_REQUEST_FIELDS``, ``MOTCUA_DVCQG_PAY_CALLBACK_FIELDS``, comma-separated),
so a deployment sets it from the document it receives; ``checks.py`` refuses a list without
the fields Motcua needs. Defaults:

- request (the payer's browser goes to ``MOTCUA_DVCQG_PAY_URL`` with these as the query):
  ``MaDoiTac`` (our merchant code, ``MOTCUA_DVCQG_PAY_MERCHANT``), ``MaThamChieu`` (our
  reference), ``SoTien`` (đồng), ``MaHoSo`` (the dossier's code), ``NoiDung`` (without
  diacritics), ``ThoiGianTao`` (``yyyyMMddHHmmss``, GMT+7), ``UrlTraVe`` (the return page);
- callback (``GET /api/v1/payments/dvcqg/ipn?…``): ``MaDoiTac``, ``MaThamChieu``, ``SoTien``,
  ``MaGiaoDich`` (the platform's transaction), ``MaKetQua`` (``00`` paid), ``ThoiGianThanhToan``;
  answered ``{"code", "message"}`` with the codes of VNPay's IPN (00, 01, 02, 04, 97).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode, urlsplit

from django.conf import settings

from motcua.payments.providers.base import BadSignature, Callback, Gateway
from motcua.payments.providers.vnpay import order_info, vnp_time

SIGNATURE = "MaXacThuc"
SUCCESS = "00"
REQUEST_FIELDS = (
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "MaHoSo",
    "NoiDung",
    "ThoiGianTao",
    "UrlTraVe",
)
CALLBACK_FIELDS = (
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "MaGiaoDich",
    "MaKetQua",
    "ThoiGianThanhToan",
)
#: What Motcua cannot do without, in whatever order a deployment signs them.
REQUEST_REQUIRED = {"MaThamChieu", "SoTien"}
CALLBACK_REQUIRED = {"MaThamChieu", "SoTien", "MaKetQua"}


def sign(values: Sequence[str], secret: str) -> str:
    """SHA-256 of the values joined by ``|``, the shared secret joined last; hex."""
    return hashlib.sha256("|".join([*map(str, values), secret]).encode()).hexdigest()


def fields(setting: str, default: Sequence[str]) -> list[str]:
    configured = [name.strip() for name in setting.split(",") if name.strip()]
    return configured or list(default)


def request_fields() -> list[str]:
    return fields(settings.DVCQG_PAY_REQUEST_FIELDS, REQUEST_FIELDS)


def callback_fields() -> list[str]:
    return fields(settings.DVCQG_PAY_CALLBACK_FIELDS, CALLBACK_FIELDS)


class DvcqgGateway(Gateway):
    name = "dvcqg"
    label = "Nền tảng thanh toán Cổng Dịch vụ công quốc gia"
    reference_param = "MaThamChieu"

    def enabled(self) -> bool:
        return bool(
            settings.DVCQG_PAY_URL and settings.DVCQG_PAY_MERCHANT and settings.DVCQG_PAY_SECRET
        )

    def request_params(self, payment, *, return_url: str) -> dict[str, str]:
        known = {
            "MaDoiTac": settings.DVCQG_PAY_MERCHANT,
            "MaThamChieu": payment.reference,
            "SoTien": str(payment.amount),
            "MaHoSo": payment.dossier.ref,
            "NoiDung": order_info(payment.dossier.ref),
            "ThoiGianTao": vnp_time(payment.created_at),
            "UrlTraVe": return_url,
        }
        names = request_fields()
        params = {name: known.get(name, "") for name in names}
        params[SIGNATURE] = sign([params[name] for name in names], settings.DVCQG_PAY_SECRET)
        return params

    def payment_url(self, payment, *, base_url: str, return_url: str, client_ip: str) -> str:
        params = self.request_params(payment, return_url=return_url)
        return f"{settings.DVCQG_PAY_URL}?{urlencode(params)}"

    def callback(self, params: Mapping[str, str]) -> Callback:
        secret = settings.DVCQG_PAY_SECRET
        given = str(params.get(SIGNATURE, ""))
        expected = sign([params.get(name, "") for name in callback_fields()], secret)
        if not self.enabled() or not given or not hmac.compare_digest(expected, given.lower()):
            raise BadSignature
        amount = str(params.get("SoTien", ""))
        code = str(params.get("MaKetQua", ""))
        return Callback(
            reference=str(params.get("MaThamChieu", "")),
            amount=int(amount)
            if amount.isascii() and amount.isdigit() and len(amount) < 19
            else None,
            success=code == SUCCESS,
            transaction_id=str(params.get("MaGiaoDich", "")),
            gateway_code=code,
        )

    def origins(self, base_url: str) -> list[str]:
        parts = urlsplit(settings.DVCQG_PAY_URL)
        return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []
