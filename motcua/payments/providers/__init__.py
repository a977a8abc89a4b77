"""The payment gateways, one module each, behind one interface (``base.Gateway``)."""

from motcua.payments.providers.base import BadSignature, Callback, Gateway
from motcua.payments.providers.demo import DemoGateway
from motcua.payments.providers.dvcqg import DvcqgGateway
from motcua.payments.providers.vnpay import VnpayGateway

GATEWAYS: dict[str, Gateway] = {
    gateway.name: gateway for gateway in (VnpayGateway(), DvcqgGateway(), DemoGateway())
}


def gateway_get(name: str) -> Gateway | None:
    return GATEWAYS.get(name)


def gateways_enabled() -> list[Gateway]:
    """The gateways configured here, in the order pages offer them."""
    return [gateway for gateway in GATEWAYS.values() if gateway.enabled()]


__all__ = ["GATEWAYS", "BadSignature", "Callback", "Gateway", "gateway_get", "gateways_enabled"]
