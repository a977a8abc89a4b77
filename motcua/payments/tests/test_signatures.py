"""The gateways' signatures (SPEC §10, §12.3) against vectors computed here with hmac and
hashlib, and against fixed vectors whose hex was computed apart (``openssl dgst``) and whose
signed text was written out by hand."""

from datetime import timedelta

import pytest
from django.core.checks import Error

from motcua.payments.checks import dvcqg_fields_check
from motcua.payments.models import Payment
from motcua.payments.providers import BadSignature, dvcqg, gateway_get, vnpay
from motcua.payments.tests.conftest import (
    DVCQG_SECRET,
    VNPAY_SECRET,
    dvcqg_hash,
    dvcqg_ipn,
    query_of,
    start,
    vnpay_hash,
    vnpay_ipn,
)
from motcua.workcalendar.calendar import VN_TZ

FIXED = {
    "vnp_Version": "2.1.0",
    "vnp_Command": "pay",
    "vnp_TmnCode": "TESTTMN1",
    "vnp_Amount": "1000000",
    "vnp_CurrCode": "VND",
    "vnp_TxnRef": "MC2611230123456789ABCDEF",
    "vnp_OrderInfo": "Nop phi, le phi ho so 000.01.31.H99-261123-0001",
    "vnp_OrderType": "other",
    "vnp_Locale": "vn",
    "vnp_ReturnUrl": "https://motcua.example.gov.vn/thanh-toan/ket-qua/MC261123ABC:sig/",
    "vnp_IpAddr": "127.0.0.1",
    "vnp_CreateDate": "20261123090000",
    "vnp_ExpireDate": "20261123091500",
}
#: Sorted by name, values form-encoded (a space is "+", "," is %2C, ":" %3A, "/" %2F).
FIXED_TEXT = (
    "vnp_Amount=1000000&vnp_Command=pay&vnp_CreateDate=20261123090000&vnp_CurrCode=VND"
    "&vnp_ExpireDate=20261123091500&vnp_IpAddr=127.0.0.1&vnp_Locale=vn"
    "&vnp_OrderInfo=Nop+phi%2C+le+phi+ho+so+000.01.31.H99-261123-0001&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fmotcua.example.gov.vn%2Fthanh-toan%2Fket-qua%2FMC261123ABC"
    "%3Asig%2F&vnp_TmnCode=TESTTMN1&vnp_TxnRef=MC2611230123456789ABCDEF&vnp_Version=2.1.0"
)
#: printf '%s' "$FIXED_TEXT" | openssl dgst -sha512 -hmac VNPAYTESTSECRET0123456789ABCDEF
FIXED_HASH = (
    "170cac416b10cd8335bb357711e0f07c2a5a678716702c275503246812d496344cb2c1b301e69c0de40c05a1"
    "447af90b245e430f31006a6e29aa859b8e3bc973"
)


def test_vnpay_signs_the_sorted_form_encoded_parameters_fixed_vector():
    assert vnpay.hash_data(FIXED) == FIXED_TEXT
    assert vnpay.sign(FIXED, VNPAY_SECRET) == FIXED_HASH
    # The hash itself and its type are never signed.
    with_hash = {**FIXED, "vnp_SecureHash": "x", "vnp_SecureHashType": "HmacSHA512"}
    assert vnpay.sign(with_hash, VNPAY_SECRET) == FIXED_HASH


@pytest.mark.parametrize(
    "extra",
    [
        {"vnp_OrderInfo": "Thanh toán phí & lệ phí = 100% / hồ sơ?"},
        {"vnp_BankCode": "", "vnp_OrderInfo": "a+b c~d*e'f(g)"},
        {"vnp_ReturnUrl": "http://127.0.0.1:8000/thanh-toan/ket-qua/MC1:AbC-_x/?q=1&r=2"},
    ],
)
def test_vnpay_signature_equals_an_independent_computation(extra):
    params = {**FIXED, **extra}
    assert vnpay.sign(params, VNPAY_SECRET) == vnpay_hash(params)
    assert vnpay.sign(params, "another secret") != vnpay_hash(params)


def test_the_payment_url_follows_vnpay_2_1_0(dossier, clock):
    started = start(dossier)
    payment = started.payment
    url = started.url
    assert url.startswith("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?")
    query = query_of(url)
    created = payment.created_at.astimezone(VN_TZ)
    assert query == {
        "vnp_Version": "2.1.0",
        "vnp_Command": "pay",
        "vnp_TmnCode": "TESTTMN1",
        "vnp_Amount": "800000",  # 8.000 đ × 100
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": payment.reference,
        "vnp_OrderInfo": f"Nop phi, le phi ho so {dossier.code}",
        "vnp_OrderType": "other",
        "vnp_Locale": "vn",
        "vnp_ReturnUrl": query["vnp_ReturnUrl"],
        "vnp_IpAddr": "10.1.2.3",
        "vnp_CreateDate": created.strftime("%Y%m%d%H%M%S"),
        "vnp_ExpireDate": (created + timedelta(minutes=15)).strftime("%Y%m%d%H%M%S"),
        "vnp_SecureHash": vnpay_hash({k: v for k, v in query.items() if k != "vnp_SecureHash"}),
    }
    assert query["vnp_CreateDate"] == "20261109100000"  # GMT+7, the domain clock
    assert query["vnp_ReturnUrl"].startswith("http://testserver/thanh-toan/ket-qua/")
    assert payment.amount == 8000 and url.endswith(f"&vnp_SecureHash={query['vnp_SecureHash']}")
    assert "vnp_SecureHashType" not in query
    assert started.url == gateway_get("vnpay").payment_url(
        payment,
        base_url="http://testserver",
        return_url=query["vnp_ReturnUrl"],
        client_ip="10.1.2.3",
    )  # the same address each time


def test_vnpay_callback_is_read_only_with_our_secret():
    gateway = gateway_get("vnpay")
    good = vnpay_ipn("MC1", 8000)
    read = gateway.callback(good)
    assert (read.reference, read.amount, read.success, read.transaction_id) == (
        "MC1",
        8000,
        True,
        "14226112",
    )
    with pytest.raises(BadSignature):
        gateway.callback(vnpay_ipn("MC1", 8000, secret="not ours"))
    with pytest.raises(BadSignature):
        gateway.callback({**good, "vnp_Amount": "100"})  # changed after signing
    with pytest.raises(BadSignature):
        gateway.callback({k: v for k, v in good.items() if k != "vnp_SecureHash"})
    assert gateway.callback(vnpay_ipn("MC1", 8000, code="24")).success is False
    assert gateway.callback(vnpay_ipn("MC1", 8000, status="01")).success is False
    # A signed amount that is not a whole number of đồng reads as no amount at all.
    odd = vnpay_ipn("MC1", 8000, vnp_Amount="800050")
    assert gateway.callback(odd).amount is None


def test_an_unconfigured_vnpay_verifies_nothing(settings):
    settings.VNPAY_HASH_SECRET = ""
    with pytest.raises(BadSignature):
        gateway_get("vnpay").callback(vnpay_ipn("MC1", 8000, secret=""))


# --- the national platform: SHA-256 over the "|"-joined fields and the secret --------------


def test_dvcqg_signature_fixed_vectors():
    request = ["MOTCUA01", "MC2611230123456789ABCDEF", "10000", "000.01.31.H99-261123-0001"]
    # printf '%s' 'MOTCUA01|MC2611230123456789ABCDEF|10000|000.01.31.H99-261123-0001|''\
    # DVCQGTESTSECRET' | openssl dgst -sha256
    assert dvcqg.sign(request, DVCQG_SECRET) == (
        "979e6c5c2dacaa4e91229caa44c9cc60ea9010a9d46ce93ae8b43046d5bd285b"
    )
    callback = ["MOTCUA01", "MC2611230123456789ABCDEF", "10000", "PG0001", "00", "20261123091000"]
    assert dvcqg.sign(callback, DVCQG_SECRET) == (
        "2b2013eba19a45472c0439c102720bbbf8aaed2462843648b1b24202fc9be258"
    )
    values = ["Nguyễn Văn An", "a|b", ""]
    assert dvcqg.sign(values, DVCQG_SECRET) == dvcqg_hash(values)


def test_the_dvcqg_request_is_signed_over_its_fields_in_order(dossier, settings):
    payment = start(dossier, "dvcqg").payment
    query = query_of(start(dossier, "dvcqg").url)  # a second attempt, another reference
    assert query["MaThamChieu"] != payment.reference and query["SoTien"] == "8000"
    order = ["MaDoiTac", "MaThamChieu", "SoTien", "MaHoSo", "NoiDung", "ThoiGianTao", "UrlTraVe"]
    assert list(query) == [*order, "MaXacThuc"]
    assert query["MaXacThuc"] == dvcqg_hash([query[name] for name in order])
    settings.DVCQG_PAY_REQUEST_FIELDS = "SoTien,MaThamChieu"  # what a deployment's document says
    query = query_of(start(dossier, "dvcqg").url)
    assert list(query) == ["SoTien", "MaThamChieu", "MaXacThuc"]
    assert query["MaXacThuc"] == dvcqg_hash([query["SoTien"], query["MaThamChieu"]])


def test_the_dvcqg_callback_field_order_is_configurable(settings):
    gateway = gateway_get("dvcqg")
    params = dvcqg_ipn("MC1", 8000)
    assert gateway.callback(params).success is True
    settings.DVCQG_PAY_CALLBACK_FIELDS = "MaKetQua,SoTien,MaThamChieu"
    with pytest.raises(BadSignature):  # signed in the default order: not this deployment's
        gateway.callback(params)
    reordered = {**params, "MaXacThuc": dvcqg_hash(["00", "8000", "MC1"])}
    assert gateway.callback(reordered).amount == 8000
    with pytest.raises(BadSignature):
        gateway.callback({**reordered, "SoTien": "1"})


def test_a_dvcqg_field_list_without_what_motcua_reads_stops_start_up(settings):
    assert dvcqg_fields_check() == []
    settings.DVCQG_PAY_CALLBACK_FIELDS = "MaThamChieu,SoTien"  # the result itself unsigned
    errors = dvcqg_fields_check()
    assert [e.id for e in errors] == ["payments.E001"] and isinstance(errors[0], Error)
    assert "MaKetQua" in errors[0].msg
    settings.DVCQG_PAY_CALLBACK_FIELDS = ""
    settings.DVCQG_PAY_REQUEST_FIELDS = "MaThamChieu,SoTien,Bogus"
    assert "Bogus" in dvcqg_fields_check()[0].msg


def test_references_are_unique_and_unguessable(dossier):
    references = {start(dossier).payment.reference for _ in range(20)}
    assert len(references) == 20 == Payment.objects.count()
    assert all(r.startswith("MC261109") and len(r) == 24 for r in references)
