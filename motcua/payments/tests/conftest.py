import hashlib
import hmac
from urllib.parse import parse_qsl, quote_plus, urlsplit

import pytest

from motcua.actors import SYSTEM
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import act, four_step_procedure, receive, vn

VNPAY_SECRET = "VNPAYTESTSECRET0123456789ABCDEF"
DVCQG_SECRET = "DVCQGTESTSECRET"


@pytest.fixture(autouse=True)
def gateways(settings):
    """VNPay and the national platform configured with test secrets; the demo gateway on."""
    settings.VNPAY_TMN_CODE = "TESTTMN1"
    settings.VNPAY_HASH_SECRET = VNPAY_SECRET
    settings.VNPAY_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    settings.DVCQG_PAY_URL = "https://thanhtoan.dichvucong.example/pay"
    settings.DVCQG_PAY_MERCHANT = "MOTCUA01"
    settings.DVCQG_PAY_SECRET = DVCQG_SECRET
    settings.DVCQG_PAY_REQUEST_FIELDS = ""
    settings.DVCQG_PAY_CALLBACK_FIELDS = ""
    settings.PAYMENT_DEMO = True
    settings.PAYMENT_EXPIRE_MINUTES = 15
    return settings


@pytest.fixture
def other_citizen(db):
    """Another citizen's own account."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username="lan", password="pw-lan", first_name="Lan")


@pytest.fixture
def version(levels):
    """Desk → tư pháp → leader → desk; its fee is 8.000 đ."""
    return four_step_procedure()


@pytest.fixture
def desk(desk_officer):
    return desk_officer.memberships.get().desk


@pytest.fixture
def dossier(desk, version, desk_officer, clock):
    """Received Monday 9 November 2026 10:00 at the commune's desk (fee 8.000 đ)."""
    clock(vn(2026, 11, 9, 10))
    return receive(desk, version, actor=desk_officer, at=vn(2026, 11, 9, 10))


@pytest.fixture
def waiting(dossier, desk_officer, specialist, clock):
    """Forwarded to tư pháp, which asked for the fee at 11:00: DVCQG 6, its clock stopped."""
    act(dossier, "forward", desk_officer)
    clock(vn(2026, 11, 9, 11))
    return act(dossier, "request_payment", specialist, note="Lệ phí 8.000 đ")


def fresh(dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def untouched(dossier) -> tuple:
    """What a payment that is not confirmed must leave as it was."""
    d = fresh(dossier)
    return (d.status, d.version, d.due_at, d.paused_at, d.state_hash, d.events.count())


# --- signatures computed here, with hmac and hashlib, apart from the code under test ----------


def vnpay_hash(params: dict, secret: str = VNPAY_SECRET) -> str:
    pairs = sorted(
        (k, v) for k, v in params.items() if k not in ("vnp_SecureHash", "vnp_SecureHashType")
    )
    text = "&".join(k + "=" + quote_plus(v) for k, v in pairs)
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha512).hexdigest()


def vnpay_ipn(reference: str, amount: int, *, code="00", status=None, secret=VNPAY_SECRET, **extra):
    """An IPN as VNPay sends it, signed with ``secret``."""
    params = {
        "vnp_Amount": str(amount * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14226112",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Nop phi, le phi ho so",
        "vnp_PayDate": "20261109113000",
        "vnp_ResponseCode": code,
        "vnp_TmnCode": "TESTTMN1",
        "vnp_TransactionNo": "14226112",
        "vnp_TransactionStatus": status or ("00" if code == "00" else "02"),
        "vnp_TxnRef": reference,
        **extra,
    }
    params["vnp_SecureHash"] = vnpay_hash(params, secret)
    return params


def dvcqg_hash(values: list[str], secret: str = DVCQG_SECRET) -> str:
    return hashlib.sha256(("|".join(values) + "|" + secret).encode("utf-8")).hexdigest()


def dvcqg_ipn(reference: str, amount: int, *, code="00", secret=DVCQG_SECRET) -> dict:
    params = {
        "MaDoiTac": "MOTCUA01",
        "MaThamChieu": reference,
        "SoTien": str(amount),
        "MaGiaoDich": "PG0001",
        "MaKetQua": code,
        "ThoiGianThanhToan": "20261109113000",
    }
    params["MaXacThuc"] = dvcqg_hash(list(params.values()), secret)
    return params


def query_of(url: str) -> dict:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def start(dossier, provider="vnpay", payer=SYSTEM, base_url="http://testserver"):
    from motcua.payments.services import payment_start

    return payment_start(
        dossier_id=dossier.pk,
        provider=provider,
        payer=payer,
        base_url=base_url,
        client_ip="10.1.2.3",
    )
