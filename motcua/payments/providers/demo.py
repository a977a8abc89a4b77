"""The demo gateway: Motcua's own pages play a VNPay-like gateway (``/thanh-toan-thu/``), so a
development or demonstration server pays end to end without a merchant account — and no money
moves. It speaks VNPay 2.1.0 exactly (the same parameters, HMAC-SHA512 signatures, the same
IPN handling: ``services.payment_callback``), keyed by a secret derived from ``SECRET_KEY``.

Enabled only by ``MOTCUA_PAYMENT_DEMO``, which defaults to ``MOTCUA_DEBUG``: a production
server (debug off) has no demo gateway unless someone sets the variable on purpose. Its pages
say on every screen that it is not real money.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.urls import reverse

from motcua.payments.providers.vnpay import VnpayGateway

#: ``vnp_TmnCode`` of the demo merchant (VNPay's codes are 8 characters).
TMN_CODE = "MOTCUA00"


def demo_enabled() -> bool:
    return bool(settings.PAYMENT_DEMO)


class DemoGateway(VnpayGateway):
    name = "demo"
    label = "Cổng thanh toán thử"

    def tmn_code(self) -> str:
        return TMN_CODE

    def secret(self) -> str:
        return hmac.new(
            settings.SECRET_KEY.encode(), b"motcua.payments.demo-gateway", hashlib.sha256
        ).hexdigest()

    def url(self, base_url: str) -> str:
        return base_url.rstrip("/") + reverse("payments:demo_gateway")

    def enabled(self) -> bool:
        return demo_enabled()

    def origins(self, base_url: str) -> list[str]:
        return []  # this server: the policy's 'self'
